/**
 * The offline preview a PR shows (summary.md), end to end on the real prod stack: `main` is the stack as
 * committed, the PR turns on prod auto-promotion with a longer soak and bumps the visual-regression image.
 * The rendered summary is checked against test/fixtures/preview/prod.summary.md, a generated fixture
 * (`UPDATE_FIXTURES=1 npx mocha test/offline/report/summary.test.ts` rewrites it), so the example in the
 * README cannot drift from what the workflow posts.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { readRawConfig, validateStackConfig } from "../../../components/config";
import { runPolicyPack, validateResourceRecords } from "../../../offline/policy/policyRunner";
import { buildPolicyConfigForStack } from "../../../offline/policy/policyStackConfig";
import { diffSynths } from "../../../offline/report/diff";
import { checkMemoryBudget, sumMemory } from "../../../offline/report/memoryBudget";
import { findFailures, renderPreviewSummary, type PreviewSummaryArgs } from "../../../offline/report/summary";
import { loadStackFile, PROJECT_ROOT, renderArtifacts } from "../../../offline/runtime/synth";
import { synthesizeStack, synthesizeWith } from "../../support/stacks";

const FIXTURE = join(__dirname, "..", "..", "fixtures", "preview", "prod.summary.md");

type Section = Record<string, unknown>;

/** The PR: prod's own config with three edits a reviewer should see in the diff and the verdicts. */
function prOverrides(): Record<string, unknown> {
    const doc = parse(readFileSync(join(PROJECT_ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Section };
    const pipeline = { ...(doc.config["release-pipeline:pipeline"] as Section) };
    const verification = structuredClone(doc.config["release-pipeline:verification"] as Section);
    (verification.visualRegression as Section).image = "ghcr.io/acme/visual-regression:1.5.0";
    return {
        "release-pipeline:pipeline": { ...pipeline, prodAutoPromotion: true, prodSoakTime: "1h" },
        "release-pipeline:verification": verification,
    };
}

describe("offline preview summary (the PR comment)", function () {
    this.timeout(300_000);
    let summary = "";
    let args: PreviewSummaryArgs;

    before(async () => {
        const rows = async (run: Awaited<ReturnType<typeof synthesizeStack>>) =>
            validateResourceRecords(JSON.parse(renderArtifacts("prod", run)["resources.json"]));
        const base = await rows(await synthesizeStack("prod"));
        const overrides = prOverrides();
        const headRun = await synthesizeWith("prod", overrides);
        const head = await rows(headRun);
        const cfg = validateStackConfig(readRawConfig(loadStackFile("prod", undefined, overrides).config));
        const memory = sumMemory(headRun.resources);
        args = {
            stack: "prod",
            diff: { base: "main", diff: diffSynths(base, head) },
            invalid: [],
            memory: { totals: memory, budget: cfg.budget, problems: checkMemoryBudget(memory, cfg.budget) },
            violations: await runPolicyPack(head, { config: buildPolicyConfigForStack(cfg) }),
            pipeline: renderArtifacts("prod", headRun)["pipeline.md"],
        };
        summary = renderPreviewSummary(args);
        if (process.env.UPDATE_FIXTURES) {
            mkdirSync(dirname(FIXTURE), { recursive: true });
            writeFileSync(FIXTURE, summary);
        }
    });

    it("matches the generated fixture (UPDATE_FIXTURES=1 regenerates it)", () => {
        assert.equal(summary, readFileSync(FIXTURE, "utf8"));
    });

    it("carries the diff, the verdicts, the memory table and the pipeline", () => {
        for (const heading of ["### Changes", "### Policy verdicts", "### Memory", "```mermaid"]) {
            assert.ok(summary.includes(heading), heading);
        }
    });

    it("shows exactly the fields the PR changed", () => {
        const changed = args.diff?.diff.resources.flatMap((r) => r.changes.map((c) => `${r.name} ${c.path}`));
        assert.deepEqual(
            args.diff?.diff.resources.map((r) => r.op),
            ["update", "update", "update"],
        );
        assert.ok(
            changed?.some((c) => c.includes("requiredSoakTime")),
            JSON.stringify(changed),
        );
        assert.ok(
            changed?.some((c) => c.includes("autoPromotionEnabled")),
            JSON.stringify(changed),
        );
        assert.ok(
            changed?.some((c) => c.includes("image")),
            JSON.stringify(changed),
        );
    });

    it("reports prod auto-promotion as an advisory verdict, not a failure", () => {
        assert.deepEqual(
            args.violations?.map((v) => [v.policy, v.enforcementLevel]),
            [["prod-auto-promotion", "advisory"]],
        );
        assert.deepEqual(findFailures(args), []);
    });

    const failing: { name: string; edit: Partial<PreviewSummaryArgs>; failures: string[] }[] = [
        {
            name: "invalid fields",
            edit: { invalid: ["Stage x spec.y: unknown field"] },
            failures: ["1 invalid field(s)"],
        },
        {
            name: "a mandatory violation",
            edit: { violations: [{ policy: "p", message: "m", enforcementLevel: "mandatory" }] },
            failures: ["1 mandatory policy violation(s)"],
        },
    ];
    for (const c of failing) {
        it(`says why it fails: ${c.name}`, () => {
            const edited = { ...args, ...c.edit };
            assert.deepEqual(findFailures(edited), c.failures);
            assert.match(
                renderPreviewSummary(edited),
                new RegExp(`\\*\\*Fails\\*\\*: ${c.failures[0].replace(/[()]/g, "\\$&")}`),
            );
        });
    }
});
