/** Helm chart inputs as `helm.v3.Release`, `helm.v3.Chart` and `helm.v4.Chart` declare them. */
import { readPath, readString } from "./values";

/** Full chart reference: `chart` alone (oci:// or repo/chart), or `repositoryOpts.repo`/`fetchOpts.repo` + chart. */
export function findChartReference(props: Record<string, unknown>): string | undefined {
    const chart = readString(props.chart);
    if (!chart) return undefined;
    const repo = findChartRepo(props);
    return repo && !chart.includes("://") ? `${repo.replace(/\/+$/, "")}/${chart}` : chart;
}

export function findChartRepo(props: Record<string, unknown>): string | undefined {
    return (
        readString(readPath(props, "repositoryOpts.repo")) ?? readString(readPath(props, "fetchOpts.repo"))
    );
}
