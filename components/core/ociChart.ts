/**
 * One OCI chart, two spellings. Kargo's Warehouse subscription and `chartFrom()` address a chart as
 * `oci://<registry>/<path>/<chart>`; Argo CD's Helm-type OCI source, and so Kargo's `argocd-update` source
 * that must match it exactly, address it as `repoURL: <registry>/<path>` (no scheme) plus `chart: <chart>`.
 * Both are derived here from the one configured URL, so they can never disagree.
 */

export interface OciChartRef {
    /** `oci://<registry>/<path>/<chart>`: the Warehouse subscription and `chartFrom()` argument, byte for byte. */
    readonly ociRepoURL: string;
    /** `<registry>/<path>`: the Argo CD Helm source's repoURL (and its repository Secret's url). */
    readonly helmRepoURL: string;
    /** The chart name: the last path segment. */
    readonly chart: string;
}

const ociChart = /^oci:\/\/([a-z0-9.-]+(?::\d+)?(?:\/[a-z0-9._-]+)*)\/([a-z0-9._-]+)$/;

/** Splits `oci://<registry>/<path>/<chart>`; undefined for anything else (no scheme, a tag, a trailing '/'). */
export function parseOciChartUrl(repoURL: string): OciChartRef | undefined {
    const match = ociChart.exec(repoURL);
    if (!match) return undefined;
    return { ociRepoURL: repoURL, helmRepoURL: match[1], chart: match[2] };
}

/** The same, for a URL config validation has already accepted; throws on anything else. */
export function selectOciChartRef(repoURL: string): OciChartRef {
    const ref = parseOciChartUrl(repoURL);
    if (!ref)
        throw new Error(
            `${repoURL} is not oci://<registry>/<path>/<chart> (config validation should have said so)`,
        );
    return ref;
}
