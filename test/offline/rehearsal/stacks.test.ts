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

    // Every layout and dev-chart selection must promote to prod with no finding: the task-level origin condition, the
    // Helm-type OCI Application sources and the deploy files declared as RepositoryFiles (issue 9 #1 #2 #5).
    const matrix = STACKS.flatMap((stack) =>
        (["per-chart", "shared"] as const).flatMap((warehouseLayout) =>
            [["monolith-public"], "all"].map((devCharts) => ({
                stack,
                warehouseLayout,
                devCharts,
            })),
        ),
    );
    for (const c of matrix) {
        it(`${c.stack} with ${c.warehouseLayout} Warehouses and dev charts ${String(c.devCharts)} rehearses with no finding`, async () => {
            const pipeline = {
                ...pipelineOf(c.stack),
                warehouseLayout: c.warehouseLayout,
                devCharts: c.devCharts,
            };
            const run = await synthesizeWith(c.stack, { pipeline });
            const report = rehearseRun(run, loadStackFile(c.stack, undefined, { pipeline }), {});
            assert.deepEqual(report.findings, [], renderText(report));
            assert.match(report.remote.seededFrom, /RepositoryFile resources the stack declares/);
            const promoted = report.stages.flatMap((s) => s.promotions.map((p) => `${s.name}:${p.phase}`));
            assert.ok(promoted.includes("prod:Succeeded"), promoted.join(", "));
        });
    }
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
