/**
 * Which charts the dev stage runs (`pipeline.devCharts`: `all`, or a list of chart names) and what follows
 * from it: the dev stage's charts and whether the dev data plane's clone exists. Decided here, once, for the
 * schema's checks and for every builder.
 */

import { shouldRunDevStage, type PipelineMode } from "./pipeline";

/** The sections these decisions read. */
export interface DevChartsInput {
    readonly pipeline: { readonly mode: PipelineMode; readonly devCharts: "all" | readonly string[] };
    readonly charts: readonly { readonly name: string }[];
    readonly devData: { readonly prod: { readonly chart: string } };
}

/** The charts the dev stage deploys and verifies, in the order of `charts`; none without a dev stage. */
export function selectDevCharts<C extends { readonly name: string }>(
    cfg: Omit<DevChartsInput, "charts"> & { readonly charts: readonly C[] },
): C[] {
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
