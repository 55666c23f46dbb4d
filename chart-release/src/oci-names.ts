import { ChartReleaseError, EXIT } from "./errors";
import { computeRepository, toOciTag, type RegistryRef } from "./oci";

// What an OCI registry accepts as a repository name and tag, checked before git changes: a push the
// registry refuses after the release commit was pushed would leave a version that can never be published.

/**
 * A repository name the OCI distribution spec allows (opencontainers/distribution-spec v1.1, spec.md, "Pulling
 * manifests": `<name>` MUST match this). It is lower case: `helm push` builds `<registry>/<path>/<chart name>`
 * (Helm's pkg/pusher/ocipusher.go) and the registry refuses any other name, after git has been changed.
 */
const OCI_NAME = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
/** One path component of such a name: what a chart name must be, since it becomes the last component. */
const OCI_NAME_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
/** The same spec section: "many clients impose a limit of 255 characters" on `<host>/<name>`. */
export const OCI_REFERENCE_MAX = 255;
/** A tag: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}` (same section). */
const OCI_TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** Why `name` cannot be a chart name published to OCI, or null when it can. */
export function explainInvalidChartName(name: string): string | null {
    if (OCI_NAME_COMPONENT.test(name)) return null;
    return (
        `chart name ${JSON.stringify(name)} cannot be an OCI repository name: allowed are lower-case letters ` +
        "and digits, separated by single '.', '_', '__' or runs of '-' (opencontainers/distribution-spec, " +
        "e.g. my-chart); rename the chart (name: in Chart.yaml)"
    );
}

/** Refuse a `--registry` path that no OCI registry can hold (a usage error, before anything else). */
export function validateRegistryRef(ref: RegistryRef): void {
    if (ref.namespace !== "" && !OCI_NAME.test(ref.namespace)) {
        throw new ChartReleaseError(
            `--registry oci://${ref.host}/${ref.namespace}: the path ${JSON.stringify(ref.namespace)} is not an ` +
                "OCI repository path: allowed are lower-case components of letters and digits, separated by " +
                "single '.', '_', '__' or runs of '-', joined by '/' (e.g. oci://ghcr.io/acme/charts)",
            EXIT.usage,
        );
    }
}

/** Refuse, before git changes, what the registry would refuse at the push: the name, the tag, the length. */
export function validatePublishTarget(
    ref: RegistryRef,
    chartName: string,
    version: string,
    file: string,
): void {
    const invalid = explainInvalidChartName(chartName);
    if (invalid !== null) throw new ChartReleaseError(`${file}: ${invalid}`, EXIT.invalidInput);
    const reference = `${ref.host}/${computeRepository(ref, chartName)}`;
    if (reference.length > OCI_REFERENCE_MAX) {
        throw new ChartReleaseError(
            `${reference} is ${reference.length} characters; registries take at most ${OCI_REFERENCE_MAX} for ` +
                "host and repository: shorten the --registry path or the chart name",
            EXIT.invalidInput,
        );
    }
    if (!OCI_TAG.test(toOciTag(version))) {
        throw new ChartReleaseError(
            `${file}: version ${version} makes the OCI tag ${toOciTag(version)}, which is longer than 128 ` +
                "characters or holds characters a tag cannot; shorten its pre-release or build part",
            EXIT.invalidInput,
        );
    }
}
