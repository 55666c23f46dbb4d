/**
 * The Argo CD Applications Kargo promotes. The stack creates each one pinned to an exact initial version and
 * carrying the authorized-stage annotation; after that Kargo owns `targetRevision` (the component tells
 * Pulumi to ignore it), so a later `pulumi up` never reverts a promotion.
 */
import type { StackConfig } from "../config";
import type { ChartConfig } from "../config/pipeline";
import { applicationName, authorizedStage, workloadNamespace } from "../core/names";
import type { Application, ApplicationSpec } from "../core/generated";
import { ARGO_API, MANAGED_BY } from "../core/objects";
import type { StageValues } from "../core/stage";
import type { StageRow } from "./stages";

export function buildApplication(
    cfg: StackConfig,
    row: StageRow,
    chart: ChartConfig,
    values: Record<string, unknown> = {},
): Application {
    const source: NonNullable<ApplicationSpec["source"]> = {
        // Native OCI source: the same oci:// string as the Warehouse, so argocd-update can match it exactly.
        repoURL: chart.repoURL,
        path: ".",
        targetRevision: chart.initialVersion,
    };
    if (Object.keys(values).length > 0) source.helm = { valuesObject: values };
    return {
        apiVersion: ARGO_API,
        kind: "Application",
        metadata: {
            name: applicationName(row.name, chart),
            namespace: cfg.argocd.namespace,
            labels: { ...MANAGED_BY, "kargo.akuity.io/stage": row.name },
            annotations: {
                "kargo.akuity.io/authorized-stage": authorizedStage(cfg.pipeline.project, row.name),
            },
        },
        spec: {
            project: cfg.argocd.project,
            source,
            destination: {
                server: cfg.argocd.destinationServer,
                namespace: workloadNamespace(row.name, chart),
            },
            // No automated sync: what runs changes only when Kargo promotes (argocd-update triggers the sync).
            syncPolicy: { syncOptions: ["CreateNamespace=true"] },
        },
    };
}

export function buildApplications(
    cfg: StackConfig,
    rows: readonly StageRow[],
    values?: StageValues,
): Application[] {
    return rows.flatMap((row) =>
        row.charts.map((chart) => buildApplication(cfg, row, chart, values ? values(row.name, chart) : {})),
    );
}
