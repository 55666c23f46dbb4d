/** Warehouses: where Freight comes from. One per chart (independent timelines) or one shared. */
import type { StackConfig } from "../config";
import type { ChartConfig } from "../config/pipeline";
import type { Warehouse, WarehouseSpec } from "../core/generated";
import { KARGO_API, MANAGED_BY } from "../core/objects";

export function warehouseName(cfg: StackConfig, chart: Pick<ChartConfig, "name">): string {
    return cfg.pipeline.warehouseLayout === "shared" ? cfg.pipeline.project : chart.name;
}

/** OCI chart subscriptions carry the chart in the URL and must not set `name`. */
export function buildChartSubscription(chart: ChartConfig): WarehouseSpec["subscriptions"][number] {
    return {
        chart: {
            repoURL: chart.repoURL,
            semverConstraint: chart.semverConstraint,
            discoveryLimit: chart.discoveryLimit,
        },
    };
}

export function buildWarehouses(cfg: StackConfig): Warehouse[] {
    const groups = new Map<string, ChartConfig[]>();
    for (const chart of cfg.charts) {
        const name = warehouseName(cfg, chart);
        groups.set(name, [...(groups.get(name) ?? []), chart]);
    }
    return [...groups].map(([name, charts]): Warehouse => ({
        apiVersion: KARGO_API,
        kind: "Warehouse",
        metadata: { name, namespace: cfg.pipeline.project, labels: { ...MANAGED_BY } },
        spec: {
            interval: cfg.pipeline.warehouseInterval,
            freightCreationPolicy: "Automatic",
            subscriptions: charts.map(buildChartSubscription),
        },
    }));
}
