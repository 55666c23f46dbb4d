/**
 * Issue 18 #5: Freight verified upstream as a whole though the upstream Stage deployed only part of it. The
 * stack's config refuses the combination (config/devCharts.ts checkSharedWarehouseScope); these cases build
 * the objects it would have declared (the builders, config check bypassed) and hand-written variants, and
 * check that the behaviour rule, pipeline.md and the model agree.
 */
import { strict as assert } from "node:assert";
import type { StackConfig } from "../../../components/config";
import { buildPipelineObjects } from "../../../components/pipeline/promotionPipeline";
import { validateBehaviourAll } from "../../../offline/behaviour";
import { findUndeployedFreightCharts, selectDeployedCharts } from "../../../offline/behaviour/freightScope";
import { renderPipelineMarkdown } from "../../../offline/report/pipelineMarkdown";
import { stackConfig } from "../../support/config";

/** The objects a config would declare, without its cross-section checks (to build what config refuses). */
function objectsOf(
    cfg: StackConfig,
    devCharts: StackConfig["pipeline"]["devCharts"],
): Record<string, unknown>[] {
    const o = buildPipelineObjects({ ...cfg, pipeline: { ...cfg.pipeline, devCharts } });
    return [o.projectConfig, ...o.warehouses, ...o.tasks, ...o.templates, ...o.stages] as unknown as Record<
        string,
        unknown
    >[];
}

const MONOLITH = "oci://ghcr.io/acme/charts-rehearsal/monolith";

describe("Freight verified but only partly deployed upstream (issue 18 #5)", () => {
    const shared = stackConfig("dev");

    it("a shared Warehouse with dev running monolith-public only: refused on prod's request", () => {
        const issues = validateBehaviourAll(objectsOf(shared, ["monolith-public"]));
        assert.deepEqual(
            issues.map((i) => `${i.object} ${i.path}`),
            ["Stage monolith-rehearsal/prod /spec/requestedFreight/0"],
        );
        assert.equal(
            issues[0].message,
            `takes Freight of Warehouse monolith-rehearsal verified in Stage dev, which never deploys ${MONOLITH} ` +
                "(no chartFrom() of it in its promotion): Kargo marks the whole Freight verified " +
                "(regular_stages.go markFreightVerifiedForStage, stage_types.go IsFreightAvailable), so prod would " +
                "run versions dev never ran, as verified; allowed: one Warehouse per chart (pipeline.warehouseLayout: " +
                "per-chart), or deploy every chart of monolith-rehearsal in dev",
        );
    });

    const clean: { name: string; cfg: StackConfig; devCharts: StackConfig["pipeline"]["devCharts"] }[] = [
        { name: "shared, every chart in dev (the dev stack)", cfg: shared, devCharts: "all" },
        {
            name: "per-chart, dev runs one chart (the prod stack)",
            cfg: stackConfig("prod"),
            devCharts: ["monolith-public"],
        },
    ];
    for (const c of clean) {
        it(`admits ${c.name}`, () =>
            assert.deepEqual(findUndeployedFreightCharts(objectsOf(c.cfg, c.devCharts)), []));
    }

    it("pipeline.md says the chart arrives marked verified though dev never deployed it", () => {
        const text = renderPipelineMarkdown("test", objectsOf(shared, ["monolith-public"]) as never);
        assert.match(
            text,
            new RegExp(
                `— \\*\\*but \`dev\` never deploys \`${MONOLITH.replace(/[./]/g, "\\$&")}\`\\*\\*: Kargo marks the whole Freight verified`,
            ),
        );
        assert.match(text, /monolith-rehearsal: verified; monolith never deployed in dev\| ST_prod/);
        assert.doesNotMatch(
            renderPipelineMarkdown("test", objectsOf(shared, "all") as never),
            /never deploys/,
        );
    });

    const stage = (steps: unknown[]) => ({
        apiVersion: "kargo.akuity.io/v1alpha1",
        kind: "Stage",
        metadata: { name: "dev", namespace: "p" },
        spec: { promotionTemplate: { spec: { steps } } },
    });
    const DEPLOYED_CASES: { name: string; steps: unknown[]; expected: string[] | undefined }[] = [
        {
            name: "literal chartFrom() in a step's config",
            steps: [
                {
                    uses: "yaml-update",
                    config: { updates: [{ value: '${{ chartFrom("oci://r/a").Version }}' }] },
                },
            ],
            expected: ["oci://r/a"],
        },
        {
            name: "single-quoted, with an origin",
            steps: [{ uses: "x", config: { v: "${{ chartFrom('oci://r/b', warehouse(\"w\")).Version }}" } }],
            expected: ["oci://r/b"],
        },
        {
            name: "an argument only known at run time: unknown, never guessed",
            steps: [{ uses: "x", config: { v: "${{ chartFrom(vars.repo).Version }}" } }],
            expected: undefined,
        },
        {
            name: "a task that is not among the objects",
            steps: [{ task: { name: "t" } }],
            expected: undefined,
        },
        { name: "no chartFrom() at all", steps: [{ uses: "http", config: {} }], expected: [] },
    ];
    for (const c of DEPLOYED_CASES) {
        it(`selectDeployedCharts: ${c.name}`, () => {
            const found = selectDeployedCharts(stage(c.steps), []);
            assert.deepEqual(found ? [...found] : undefined, c.expected);
        });
    }
});
