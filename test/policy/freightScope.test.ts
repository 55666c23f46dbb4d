/**
 * The gated-prod policy's partial-scope rule (policy/lib/freightScope.ts) and the offline model's
 * (offline/behaviour/freightScope.ts) are the same rule in two packages: one table, both judged.
 */
import { strict as assert } from "node:assert";
import type { StackConfig } from "../../components/config";
import { buildPipelineObjects } from "../../components/pipeline/promotionPipeline";
import { findUndeployedFreightCharts } from "../../offline/behaviour/freightScope";
import { findUndeployedCharts } from "../../policy/lib/freightScope";
import { buildStackView, groups } from "../../policy/lib/resources";
import { stackConfig } from "../support/config";

type Obj = {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
    spec?: unknown;
};

function objectsOf(cfg: StackConfig, devCharts: StackConfig["pipeline"]["devCharts"]): Obj[] {
    const o = buildPipelineObjects({ ...cfg, pipeline: { ...cfg.pipeline, devCharts } });
    return [...o.warehouses, ...o.tasks, ...o.stages] as unknown as Obj[];
}

/** What the policy finds, in the offline model's terms: `downstream[request] upstream/warehouse: charts`. */
function judgeWithPolicy(objects: readonly Obj[]): string[] {
    const view = buildStackView(
        objects.map((o, i) => ({
            urn: `urn:${i}`,
            type: `kubernetes:${o.apiVersion}:${o.kind}`,
            name: `${o.kind}-${o.metadata.name}`,
            props: o,
        })),
    );
    const stages = view.findKube(groups.kargo, "Stage");
    return stages.flatMap((down) =>
        (
            ((down.spec as { requestedFreight?: unknown[] }).requestedFreight ?? []) as {
                origin: { name: string };
                sources: { stages?: string[] };
            }[]
        ).flatMap((req, i) =>
            (req.sources.stages ?? []).flatMap((upName) => {
                const up = stages.find((s) => s.objectName === upName);
                const charts = up ? findUndeployedCharts(up, req.origin.name, view) : [];
                return charts.length > 0
                    ? [`${down.objectName}[${i}] ${upName}/${req.origin.name}: ${charts.join(",")}`]
                    : [];
            }),
        ),
    );
}

function judgeOffline(objects: readonly Obj[]): string[] {
    return findUndeployedFreightCharts(objects).map(
        (u) => `${u.downstream}[${u.request}] ${u.upstream}/${u.warehouse}: ${u.charts.join(",")}`,
    );
}

const shared = stackConfig("dev");
const perChart = stackConfig("prod");
export const SCOPE_CASES: { name: string; objects: Obj[]; expected: string[] }[] = [
    {
        name: "shared Warehouse, dev runs monolith-public only",
        objects: objectsOf(shared, ["monolith-public"]),
        expected: ["prod[0] dev/monolith-rehearsal: oci://ghcr.io/acme/charts-rehearsal/monolith"],
    },
    { name: "shared Warehouse, every chart in dev", objects: objectsOf(shared, "all"), expected: [] },
    {
        name: "per-chart, dev runs one chart",
        objects: objectsOf(perChart, ["monolith-public"]),
        expected: [],
    },
    { name: "per-chart, every chart in dev", objects: objectsOf(perChart, "all"), expected: [] },
    {
        name: "a task the objects lack: not judged",
        objects: objectsOf(shared, ["monolith-public"]).filter((o) => o.kind !== "PromotionTask"),
        expected: [],
    },
];

describe("partial dev scope: the gated-prod policy and the offline model agree", () => {
    for (const c of SCOPE_CASES) {
        it(c.name, () => {
            assert.deepEqual(judgeOffline(c.objects), c.expected);
            assert.deepEqual(judgeWithPolicy(c.objects), c.expected);
        });
    }
});
