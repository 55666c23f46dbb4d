/**
 * The pipeline's naming rules: how a stage and a chart map to a deploy file, a task, a step alias and the
 * chart-version expression. Names other capabilities share (Applications, namespaces) are in core/names.
 */
import type { ChartConfig } from "../config/pipeline";

/** A stage's deploy directory, relative to the GitOps repo root: what its app-of-apps syncs. */
export function deployDirectory(deployDir: string, stage: string): string {
    return `${deployDir}/${stage}`;
}

/** Deploy file of a chart in a stage, relative to the GitOps repo root: the chart's Application. */
export function deployFile(deployDir: string, stage: string, chart: Pick<ChartConfig, "name">): string {
    return `${deployDirectory(deployDir, stage)}/${chart.name}.yaml`;
}

export function promotionTaskName(chart: Pick<ChartConfig, "name">): string {
    return `promote-${chart.name}`;
}

/** Step aliases must be identifiers (Kargo's `^[a-zA-Z_]\w*$`), so dashes become underscores. */
export function stepAlias(chart: Pick<ChartConfig, "name">): string {
    return `promote_${chart.name.replace(/-/g, "_")}`;
}

/** `chartFrom()` matches the Warehouse repoURL byte for byte, so the argument is the configured URL itself. */
function chartFromVersion(chart: Pick<ChartConfig, "repoURL">): string {
    return "chartFrom(" + JSON.stringify(chart.repoURL) + ").Version";
}

/** Kargo expression for the chart version in the Freight being promoted. */
export function chartVersionExpression(chart: Pick<ChartConfig, "repoURL">): string {
    return "${{ " + chartFromVersion(chart) + " }}";
}

/**
 * The chart version for a verification arg: forced to a string (Kargo's builder errors on any other type,
 * pkg/rollouts/analysis_run_builder.go buildArgs, and "1.10" would become a number), and "" when the Stage's
 * Freight collection does not carry the chart yet (per-chart Warehouses: before its first Freight arrives
 * chartFrom() is nil, and `.Version` of nil would error the whole verification).
 */
export function guardedChartVersionExpression(chart: Pick<ChartConfig, "repoURL">): string {
    return "${{ quote(chartFrom(" + JSON.stringify(chart.repoURL) + ')?.Version ?? "") }}';
}

/**
 * The app-of-apps of a stage: the one Application the stack declares per stage, syncing the stage's deploy
 * directory (whose files are the chart Applications). Named after what it syncs, not after Kargo.
 */
export function rootApplicationName(stage: string): string {
    return `deploy-${stage}`;
}

/** Argo CD repository Secret enabling OCI for one `<registry>/<path>`: `helm-oci-ghcr-io-acme-charts`. */
export function helmRepositorySecretName(helmRepoURL: string): string {
    return "helm-oci-" + helmRepoURL.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}
