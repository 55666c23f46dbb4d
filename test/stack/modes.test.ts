/**
 * ADR 009's adoption path as configurations of one stack (issue 13): walking the prod stack through
 * `pipeline.mode` bump-only → prod-only → full → bump-only on the mock runtime, every deploy file the
 * stack declares has exactly one writer of its `targetRevision` at every step, and a switch never touches
 * the prod Applications, their deploy files or the repository rules' identity.
 *
 * The writers are measured, not assumed: Kargo's by rehearsing the declared Stages against real git (the
 * files its promotions' pushes change), chart-release's by its own parser of the stack file
 * (chart-release/src/deploy.ts) and the deploy files the example caller passes chart-release.yml.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { buildDeployFilesBypassActors } from "../../components/access/repoRules";
import { readRawConfig, validateStackConfig, type StackConfig } from "../../components/config";
import { PIPELINE_MODES, pipelineSection, type PipelineMode } from "../../components/config/pipeline";
import {
    DEFAULT_STACK_MODE,
    DEFAULT_VERSION_SOURCE,
    parseStackMode,
    STACK_MODES,
    VERSION_SOURCES,
} from "../../chart-release/src/deploy";
import type { ResourceRecord, RunResult } from "../../offline/runtime/mockRuntime";
import { runPolicyPack, validateResourceRecords } from "../../offline/policy/policyRunner";
import { buildPolicyConfigForStack } from "../../offline/policy/policyStackConfig";
import { rehearseRun } from "../../offline/rehearsal/stack";
import { loadStackFile, renderResourcesJson, selectCommittedFiles } from "../../offline/runtime/synth";
import { BOTH_CHARTS_VERIFIED } from "../support/config";
import { synthesizeWith } from "../support/stacks";
import { exampleNamed } from "../support/workflows";

const ROOT = join(__dirname, "..", "..");
const KARGO_TYPE = /^kubernetes:kargo\.akuity\.io\//;

/**
 * The prod stack file with one pipeline mode, as the stack and chart-release both read it. One shared
 * Warehouse with every chart in dev (each on its own dev hostname), so in `full` every chart's Freight reaches
 * prod verified in dev by a route the rehearsal plays: with the shipped per-chart layout the private chart,
 * which dev does not run, reaches prod only through `kargo approve`, which the rehearsal does not play (Kargo
 * is still its one writer: the same task). A shared Warehouse with a partial dev scope is refused by config.
 */
function prodFileWith(mode: PipelineMode) {
    const shipped = JSON.parse(loadStackFile("prod").config["release-pipeline:pipeline"]);
    const verification = {
        ...JSON.parse(loadStackFile("prod").config["release-pipeline:verification"]),
        ...BOTH_CHARTS_VERIFIED,
    };
    const pipeline = { ...shipped, mode, warehouseLayout: "shared", devCharts: "all" };
    // With monolith in dev its clone of prod's database is provisioned: a budget with room for it.
    const overrides = { pipeline, verification, budget: { requests: "2Gi", limits: "3Gi" } };
    const file = loadStackFile("prod", undefined, overrides);
    return { pipeline, overrides, file, config: validateStackConfig(readRawConfig(file.config)) };
}

/** Pulumi.prod.yaml as committed, with one pipeline mode: the text chart-release reads. */
function renderProdFile(mode: PipelineMode): string {
    const doc = parse(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8")) as {
        config: Record<string, Record<string, unknown>>;
    };
    doc.config["release-pipeline:pipeline"].mode = mode;
    return stringify(doc);
}

/**
 * The deploy files the release hands to `--deploy-file` in bump-only, every chart's: the `charts` input the
 * example caller passes to chart-release.yml (the application repository's copy states its own).
 */
function readWorkflowDeployFiles(): string[] {
    const rows = JSON.parse(String(exampleNamed("charts.yml").jobs.release.with?.charts)) as {
        "deploy-files"?: string[];
    }[];
    assert.ok(rows.length > 0, "the example caller releases one entry per chart");
    return rows.flatMap((r) => r["deploy-files"] ?? []);
}

/** Files whose targetRevision line a rehearsed Kargo promotion pushed a change to. */
function findKargoWrites(run: RunResult, file: ReturnType<typeof loadStackFile>): Set<string> {
    const report = rehearseRun(run, file, {});
    assert.deepEqual(report.findings, [], "the rehearsal promotes cleanly");
    const written = new Set<string>();
    for (const push of report.stages.flatMap((s) => s.promotions.flatMap((p) => p.pushes))) {
        let current: string | undefined;
        for (const line of push.show.split("\n")) {
            const header = /^\+\+\+ b\/(.+)$/.exec(line);
            if (header) current = header[1];
            else if (current && /^\+\s*targetRevision:/.test(line)) written.add(current);
        }
    }
    return written;
}

/** Every writer of each declared deploy file's targetRevision in this mode. */
function findWriters(run: RunResult, mode: PipelineMode): Map<string, string[]> {
    const { file } = prodFileWith(mode);
    const declared = selectCommittedFiles(run.resources).map((f) => f.path);
    const hasStages = run.resources.some((r) => r.type.endsWith(":Stage"));
    const kargo = hasStages ? findKargoWrites(run, file) : new Set<string>();
    const releaseMode = parseStackMode(renderProdFile(mode), "Pulumi.prod.yaml").mode;
    const release = new Set(releaseMode === "bump-only" ? readWorkflowDeployFiles() : []);
    for (const written of [...kargo, ...release]) {
        assert.ok(
            declared.includes(written),
            `${written} is written but the stack declares no such deploy file`,
        );
    }
    return new Map(
        declared.map((path) => [
            path,
            [...(kargo.has(path) ? ["kargo"] : []), ...(release.has(path) ? ["chart-release"] : [])],
        ]),
    );
}

const prodRecords = (run: RunResult): ResourceRecord[] =>
    run.resources.filter(
        (r) =>
            (r.type === "github:index/repositoryFile:RepositoryFile" &&
                String(r.inputs.file).includes("/prod/")) ||
            (r.type === "kubernetes:argoproj.io/v1alpha1:Application" && r.name.endsWith("deploy-prod")),
    );

describe("pipeline modes: one table, read alike by the stack and by chart-release", () => {
    it("chart-release knows exactly the stack's modes and the same default", () => {
        assert.deepEqual([...STACK_MODES].sort(), Object.keys(PIPELINE_MODES).sort());
        assert.deepEqual(
            [...VERSION_SOURCES].sort(),
            [...pipelineSection.unwrap().shape.versionSource.unwrap().options].sort(),
        );
        assert.equal(DEFAULT_VERSION_SOURCE, pipelineSection.parse({}).versionSource);
        assert.equal(DEFAULT_STACK_MODE, prodFileWith("full").config.pipeline.mode);
        const unset = { ...JSON.parse(loadStackFile("prod").config["release-pipeline:pipeline"]) };
        delete unset.mode;
        const cfg = validateStackConfig(
            readRawConfig(loadStackFile("prod", undefined, { pipeline: unset }).config),
        );
        assert.equal(cfg.pipeline.mode, DEFAULT_STACK_MODE);
    });

    // Issue 19 item 13: one reading of the stack file. Pulumi.prod.yaml with its pipeline key written with
    // and without the namespace, and with both: the synth and chart-release agree, or both refuse.
    const spellings: { name: string; rewrite: (text: string) => string }[] = [
        { name: "namespaced", rewrite: (t) => t },
        {
            name: "without the namespace",
            rewrite: (t) => t.replace("release-pipeline:pipeline:", "pipeline:"),
        },
        {
            name: "without the namespace, oci-tag",
            rewrite: (t) =>
                t
                    .replace("release-pipeline:pipeline:", "pipeline:")
                    .replace("versionSource: chart-yaml", "versionSource: oci-tag"),
        },
        {
            name: "both ways",
            rewrite: (t) =>
                t.replace(
                    "release-pipeline:pipeline:",
                    "pipeline:\n    mode: bump-only\n  release-pipeline:pipeline:",
                ),
        },
    ];
    for (const spelling of spellings) {
        it(`the synth and chart-release read one stack file alike: the pipeline key ${spelling.name}`, () => {
            const dir = mkdtempSync(join(tmpdir(), "modes-"));
            try {
                const text = spelling.rewrite(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8"));
                const file = join(dir, "Pulumi.prod.yaml");
                writeFileSync(file, text);
                const synth = (() => {
                    try {
                        const cfg = validateStackConfig(
                            readRawConfig(loadStackFile("prod", ROOT, {}, [], file).config),
                        );
                        return { mode: cfg.pipeline.mode, versionSource: cfg.pipeline.versionSource };
                    } catch (err) {
                        return { error: (err as Error).message };
                    }
                })();
                const release = (() => {
                    try {
                        const source = parseStackMode(text, "Pulumi.prod.yaml");
                        return { mode: source.mode, versionSource: source.versionSource };
                    } catch (err) {
                        return { error: (err as Error).message };
                    }
                })();
                if ("error" in synth || "error" in release) {
                    assert.ok("error" in synth && "error" in release, JSON.stringify({ synth, release }));
                    assert.match(String(synth.error), /are one key/);
                    assert.match(String(release.error), /are one key/);
                } else {
                    assert.deepEqual(release, synth);
                }
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    }

    const cases: { mode: PipelineMode; writer: string }[] = [
        { mode: "bump-only", writer: "release App 1043251" },
        { mode: "prod-only", writer: "Kargo App" },
        { mode: "full", writer: "Kargo App" },
    ];
    for (const c of cases) {
        it(`${c.mode}: the deploy files' push ruleset lets exactly its writer through (${c.writer})`, () => {
            const cfg: StackConfig = prodFileWith(c.mode).config;
            const on = {
                ...cfg,
                gitCredential: { ...cfg.gitCredential, deployFilesRuleset: { enabled: true } },
            };
            const actors = buildDeployFilesBypassActors(on);
            const expected =
                c.mode === "bump-only"
                    ? cfg.chartRelease.githubApp?.appId
                    : cfg.gitCredential.githubApp?.appId;
            // The writer, and the bootstrap identity that commits deploy files added later (never a writer).
            assert.deepEqual(actors, [
                { actorType: "Integration", actorId: expected, bypassMode: "always" },
                { actorType: "User", actorId: cfg.gitCredential.bootstrapUserId, bypassMode: "always" },
            ]);
        });
    }
});

describe("walking the adoption path 1 → 2 → 3 → 1 (prod, mock runtime)", function () {
    this.timeout(600_000);
    const WALK: PipelineMode[] = ["bump-only", "prod-only", "full", "bump-only"];
    const runs: RunResult[] = [];
    before(async () => {
        for (const mode of WALK) runs.push(await synthesizeWith("prod", prodFileWith(mode).overrides));
    });

    WALK.forEach((mode, i) => {
        it(`step ${i + 1} (${mode}): every deploy file has exactly one targetRevision writer, the mode's`, () => {
            const writers = findWriters(runs[i], mode);
            assert.ok(writers.size > 0);
            const expected = PIPELINE_MODES[mode].targetRevisionWriter;
            for (const [path, who] of writers) assert.deepEqual(who, [expected], path);
        });

        it(`step ${i + 1} (${mode}): Kargo objects exist exactly when the mode installs Kargo`, () => {
            const kargo = runs[i].resources.filter(
                (r) => KARGO_TYPE.test(r.type) || r.type.endsWith("helm.sh/v3:Release"),
            );
            assert.equal(kargo.length > 0, PIPELINE_MODES[mode].kargo, kargo.map((r) => r.name).join(", "));
        });

        it(`step ${i + 1} (${mode}): passes the policy pack with the stack-derived config`, async () => {
            const records = validateResourceRecords(JSON.parse(renderResourcesJson(runs[i].resources)));
            const violations = await runPolicyPack(records, {
                config: buildPolicyConfigForStack(prodFileWith(mode).config),
            });
            assert.deepEqual(
                violations.filter((v) => v.enforcementLevel === "mandatory"),
                [],
            );
        });
    });

    for (let i = 1; i < WALK.length; i++) {
        it(`${WALK[i - 1]} → ${WALK[i]} touches no prod deploy file, no prod app-of-apps`, () => {
            const strip = (r: ResourceRecord) => ({ urn: r.urn, type: r.type, inputs: r.inputs });
            assert.deepEqual(prodRecords(runs[i]).map(strip), prodRecords(runs[i - 1]).map(strip));
            assert.equal(prodRecords(runs[i]).length, 3, "two deploy files and the app-of-apps");
        });
        it(`${WALK[i - 1]} → ${WALK[i]} keeps the repository rulesets' URNs (updated in place, never recreated)`, () => {
            const urns = (run: RunResult) =>
                run.resources.filter((r) => r.type.endsWith("RepositoryRuleset")).map((r) => r.urn);
            assert.deepEqual(urns(runs[i]), urns(runs[i - 1]));
        });
    }
});
