/**
 * pipeline.md says exactly what the Stage objects do. Each case derives the expected claims from the Stage
 * objects themselves (which Warehouses each stage requests, and from where), never from config.
 */
import { strict as assert } from "node:assert";
import { buildPipelineObjects } from "../../../components/pipeline/promotionPipeline";
import {
    renderPipelineMarkdown,
    selectUpstreamRoute,
    viewStages,
} from "../../../offline/report/pipelineMarkdown";
import { BOTH_CHARTS_VERIFIED, stackConfig } from "../../support/config";
import { ofKind } from "../../support/read";

const configs = [
    { name: "stack prod (per-chart, dev runs monolith-public only)", cfg: stackConfig("prod") },
    { name: "stack dev (shared Warehouse, every chart in dev)", cfg: stackConfig("dev") },
    {
        name: "per-chart with every chart in dev",
        cfg: stackConfig("prod", { pipeline: { devCharts: "all" }, verification: BOTH_CHARTS_VERIFIED }),
    },
    { name: "prod-only", cfg: stackConfig("prod", { pipeline: { mode: "prod-only" } }) },
];

function objectsOf(cfg: ReturnType<typeof stackConfig>) {
    const o = buildPipelineObjects(cfg);
    return [o.projectConfig, ...o.warehouses, ...o.tasks, ...o.stages];
}

const id = (name: string) => name.replace(/[^A-Za-z0-9]/g, "_");

for (const c of configs) {
    describe(`pipeline.md: ${c.name}`, () => {
        const objects = objectsOf(c.cfg);
        const text = renderPipelineMarkdown("test", objects);
        const stages = ofKind(objects, "Stage");
        const requested = (stage: string) =>
            (stages.find((s) => s.metadata.name === stage)?.spec.requestedFreight ?? []).map(
                (r) => r.origin.name,
            );

        it("draws every requested Warehouse as the Stage objects route it: direct, verified upstream, or approval only", () => {
            for (const stage of stages) {
                const to = `ST_${id(stage.metadata.name)}`;
                for (const r of stage.spec.requestedFreight) {
                    const wh = r.origin.name;
                    if (r.sources.direct) {
                        assert.ok(text.includes(`WH_${id(wh)} -->|Freight| ${to}`), `${wh} direct`);
                        continue;
                    }
                    for (const up of r.sources.stages ?? []) {
                        const soak = r.sources.requiredSoakTime
                            ? `, soaked ${r.sources.requiredSoakTime}`
                            : "";
                        if (requested(up).includes(wh)) {
                            assert.ok(
                                text.includes(`|${wh}: verified${soak}| ${to}`),
                                `${wh} verified in ${up}`,
                            );
                        } else {
                            const edge = `WH_${id(wh)} -.->|${wh}: never in ${up}, unverified; kargo approve only| ${to}`;
                            assert.ok(text.includes(edge), `${wh} approval only`);
                            assert.ok(
                                !text.includes(`|${wh}: verified`),
                                `${wh} must not be drawn as verified`,
                            );
                        }
                    }
                }
            }
        });

        it("agrees with selectUpstreamRoute on every upstream edge", () => {
            const views = viewStages(objects);
            for (const v of views) {
                for (const o of v.origins) {
                    for (const up of o.stages) {
                        const expected = requested(up).includes(o.warehouse) ? "verified" : "approval-only";
                        assert.equal(selectUpstreamRoute(views, up, o.warehouse), expected);
                    }
                }
            }
        });
    });
}

describe("pipeline.md: issue 9 defect 10", () => {
    it("in the prod stack, monolith reaches prod only by manual approval, never as verified, soaked Freight", () => {
        const text = renderPipelineMarkdown("prod", objectsOf(stackConfig("prod")));
        assert.ok(!/monolith: verified/.test(text.replace(/monolith-public: verified/g, "")));
        assert.ok(
            text.includes("WH_monolith -.->|monolith: never in dev, unverified; kargo approve only| ST_prod"),
        );
        assert.ok(text.includes("|monolith-public: verified, soaked 30m| ST_prod"));
        assert.ok(
            text.includes(
                "`monolith` only by manual approval (`kargo approve --stage`): `dev` never receives it, so it is never verified",
            ),
        );
        assert.ok(
            text.includes("`promote-monolith` (only for Freight from `monolith`) → Application `monolith`"),
        );
    });
});

describe("pipeline.md: the dev data refresh task", () => {
    it("states the refresh step's own timeout, as the PromotionTask declares it", async () => {
        const { buildRefreshTask } = await import("../../../components/devData/refresher");
        const task = buildRefreshTask(stackConfig("dev"));
        const timeout = task.spec.steps?.[0].retry?.timeout;
        assert.ok(timeout, "the refresh step has a timeout");
        const text = renderPipelineMarkdown("test", [...objectsOf(stackConfig("dev")), task]);
        assert.ok(
            text.includes(`- \`refresh-dev-data\`: \`argocd-update\` (times out after ${timeout})`),
            text,
        );
    });
});
