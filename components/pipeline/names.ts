/**
 * The pipeline's naming rules: how a stage and a chart map to a deploy file, a task, a step alias and the
 * chart-version expression. Names other capabilities share (Applications, namespaces) are in core/names.
 */
import type { ChartConfig } from "../config/pipeline";

/** Deploy file of a chart in a stage, relative to the GitOps repo root. */
export function deployFile(deployDir: string, stage: string, chart: Pick<ChartConfig, "name">): string {
    return `${deployDir}/${stage}/${chart.name}.yaml`;
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

/** The same, forced to a string: verification args must be strings and "1.10" would become a number. */
export function quotedChartVersionExpression(chart: Pick<ChartConfig, "repoURL">): string {
    return "${{ quote(" + chartFromVersion(chart) + ") }}";
}
