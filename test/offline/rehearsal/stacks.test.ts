import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { rehearseRun } from "../../../offline/rehearsal/stack";
import { renderText } from "../../../offline/rehearsal/render";
import { loadStackFile, PROJECT_ROOT, type StackName } from "../../../offline/runtime/synth";
import { synthesizeStack, synthesizeWith, STACKS } from "../../support/stacks";

function pipelineOf(stack: StackName): Record<string, unknown> {
    const doc = parse(readFileSync(join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, Record<string, unknown>>;
    };
    return doc.config["release-pipeline:pipeline"];
}

function sectionOf(stack: StackName, key: string): Record<string, unknown> {
    const doc = parse(readFileSync(join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, Record<string, unknown>>;
    };
    return doc.config[`release-pipeline:${key}`];
}

/** Both charts in dev: each its own dev hostname, in the stack's Access zone. */
function bothChartsVerified(stack: StackName): Record<string, unknown> {
    const [main, pub] =
        stack === "dev"
            ? ["dev.rehearsal.acme.dev", "public.dev.rehearsal.acme.dev"]
            : ["dev.acme.dev", "public.dev.acme.dev"];
    return { devHostnames: [main, pub], chartHostnames: { monolith: main, "monolith-public": pub } };
}

describe("rehearsal of the shipped stacks", function () {
    this.timeout(600_000);

    for (const stack of STACKS) {
        it(`${stack}: plays every declared Stage and names a stage, step and reason for each finding`, async () => {
            const report = rehearseRun(await synthesizeStack(stack), loadStackFile(stack), {});
            assert.deepEqual(
                report.stages.map((s) => s.name),
                ["dev", "prod"],
            );
            for (const f of report.findings) {
                assert.ok(f.stage && f.step && f.reason, JSON.stringify(f));
            }
        });
    }

    // Every layout and dev-chart selection config admits must promote to prod with no finding: the task-level
    // origin condition, the Helm-type OCI Application sources and the deploy files declared as RepositoryFiles
    // (issue 9 #1 #2 #5), and one verification per dev chart that builds and validates (issue 18 #6). A shared
    // Warehouse with a partial dev scope is refused by config (issue 18 #5, below).
    const matrix = STACKS.flatMap((stack) =>
        [
            { warehouseLayout: "per-chart", devCharts: ["monolith-public"] },
            { warehouseLayout: "per-chart", devCharts: "all" },
            { warehouseLayout: "shared", devCharts: "all" },
        ].map((c) => ({ stack, ...c })),
    );
    for (const c of matrix) {
        it(`${c.stack} with ${c.warehouseLayout} Warehouses and dev charts ${String(c.devCharts)} rehearses with no finding`, async () => {
            const overrides = {
                pipeline: {
                    ...pipelineOf(c.stack),
                    warehouseLayout: c.warehouseLayout,
                    devCharts: c.devCharts,
                },
                ...(c.devCharts === "all"
                    ? {
                          verification: {
                              ...sectionOf(c.stack, "verification"),
                              ...bothChartsVerified(c.stack),
                          },
                      }
                    : {}),
            };
            const run = await synthesizeWith(c.stack, overrides);
            const report = rehearseRun(run, loadStackFile(c.stack, undefined, overrides), {});
            assert.deepEqual(report.findings, [], renderText(report));
            assert.match(report.remote.seededFrom, /RepositoryFile resources the stack declares/);
            const promoted = report.stages.flatMap((s) => s.promotions.map((p) => `${s.name}:${p.phase}`));
            assert.ok(promoted.includes("prod:Succeeded"), promoted.join(", "));
            // Every dev promotion's verification was built and validated, one version arg per dev chart.
            const dev = report.stages.find((s) => s.name === "dev");
            for (const p of dev?.promotions ?? []) {
                assert.deepEqual(p.verification?.problems, []);
                const versions = (p.verification?.args ?? []).filter((a) => a.name.startsWith("version-"));
                assert.equal(versions.length, c.devCharts === "all" ? 2 : 1);
            }
        });
    }

    it('per-chart, both charts in dev: a chart the Freight does not carry yet verifies as "", not an error', async () => {
        const overrides = {
            pipeline: { ...pipelineOf("prod"), devCharts: "all" },
            verification: { ...sectionOf("prod", "verification"), ...bothChartsVerified("prod") },
        };
        const run = await synthesizeWith("prod", overrides);
        const report = rehearseRun(run, loadStackFile("prod", undefined, overrides), {});
        const [first] = report.stages.find((s) => s.name === "dev")?.promotions ?? [];
        const args = new Map((first?.verification?.args ?? []).map((a) => [a.name, a.value]));
        // The first dev promotion carries monolith only: monolith-public's version is "" until its Freight arrives.
        assert.equal(first?.freight.origin.name, "monolith");
        assert.match(args.get("version-monolith") ?? "", /^\d+\.\d+\.\d+$/);
        assert.equal(args.get("version-monolith-public"), "");
    });
});
describe("npm run rehearse", function () {
    this.timeout(600_000);
    const rehearseCli = (args: string[]) =>
        spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "scripts/rehearse.ts"), ...args], {
            cwd: PROJECT_ROOT,
            encoding: "utf8",
            timeout: 300_000,
        });

    const usage = [
        { args: [], stderr: /^--stack is required\nusage: npm run rehearse/ },
        { args: ["--stack", "staging"], stderr: /^--stack: got "staging"; allowed: dev, prod/ },
        {
            args: ["--stack", "dev", "--freight", "monolith"],
            stderr: /--freight: expected chart=version, got "monolith"/,
        },
        {
            args: ["--stack", "dev", "--gitops", "/nonexistent"],
            stderr: /--gitops: \/nonexistent does not exist/,
        },
    ];
    for (const c of usage) {
        it(`exits 2 for [${c.args.join(" ")}]`, () => {
            const r = rehearseCli(c.args);
            assert.equal(r.status, 2, r.stderr);
            assert.match(r.stderr, c.stderr);
        });
    }

    it("--json: a machine report whose ok matches the exit code; a --freight outside the constraint exits 2", () => {
        const r = rehearseCli(["--stack", "prod", "--json", "--freight", "monolith-public=0.42.7"]);
        const report = JSON.parse(r.stdout) as { ok: boolean; freight: { charts: { Version: string }[] }[] };
        assert.equal(r.status, report.ok ? 0 : 1, r.stderr);
        assert.ok(report.freight.some((f) => f.charts.some((c) => c.Version === "0.42.7")));
        const bad = rehearseCli(["--stack", "prod", "--freight", "monolith=2.0.0"]);
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /monolith=2\.0\.0 does not satisfy the Warehouse monolith constraint/);
    });
});
