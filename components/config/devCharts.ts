/**
 * Which charts the dev stage runs (`pipeline.devCharts`: `all`, or a list of chart names) and what follows
 * from it: the dev stage's charts and whether the dev data plane's clone exists. Decided here, once, for the
 * schema's checks and for every builder.
 */

import type { IssueSink } from "./checks/format";
import { shouldRunDevStage, type PipelineMode } from "./pipeline";

/** The sections these decisions read. */
export interface DevChartsInput {
    readonly pipeline: { readonly mode: PipelineMode; readonly devCharts: "all" | readonly string[] };
    readonly charts: readonly { readonly name: string }[];
    readonly devData: { readonly prod: { readonly chart: string } };
}

/** The charts the dev stage deploys and verifies, in the order of `charts`; none without a dev stage. */
export function selectDevCharts<C extends { readonly name: string }>(cfg: {
    readonly pipeline: DevChartsInput["pipeline"];
    readonly charts: readonly C[];
}): C[] {
    if (!shouldRunDevStage(cfg)) return [];
    const { devCharts } = cfg.pipeline;
    return cfg.charts.filter((c) => devCharts === "all" || devCharts.includes(c.name));
}

/**
 * ADR 009 open question 3: the clone of prod's database exists only when the dev stage runs the chart
 * that uses it (`devData.prod.chart`). A dev stage of read-only charts has no write data plane to reproduce.
 */
export function isCloneProvisioned(cfg: DevChartsInput): boolean {
    return selectDevCharts(cfg).some((c) => c.name === cfg.devData.prod.chart);
}

/**
 * A shared Warehouse's Freight carries every chart, and Kargo verifies a Freight as a whole (v1.11.2
 * pkg/controller/stages/regular_stages.go markFreightVerifiedForStage; api/v1alpha1/stage_types.go
 * IsFreightAvailable offers it downstream): with a partial dev scope, prod would take charts dev never
 * deployed, marked verified. Refused rather than derived: per-chart Warehouses already give each chart its
 * own Freight, so the dev scope decides exactly what is verified.
 */
export function checkSharedWarehouseScope(
    cfg: {
        readonly pipeline: DevChartsInput["pipeline"] & { readonly warehouseLayout: string };
        readonly charts: readonly { readonly name: string }[];
    },
    sink: IssueSink,
): void {
    if (cfg.pipeline.warehouseLayout !== "shared" || !shouldRunDevStage(cfg)) return;
    const dev = selectDevCharts(cfg).map((c) => c.name);
    const never = cfg.charts.map((c) => c.name).filter((n) => !dev.includes(n));
    if (never.length === 0) return;
    sink.addIssue({
        code: "custom",
        path: ["pipeline", "warehouseLayout"],
        input: cfg.pipeline.warehouseLayout,
        message:
            `one shared Warehouse puts every chart in each Freight, but dev deploys only ${dev.join(", ")}: Kargo marks ` +
            `the whole Freight verified, so prod would take ${never.join(", ")} as verified though dev never ran it; ` +
            "allowed: per-chart (each chart its own Freight), or pipeline.devCharts: all",
    });
}
