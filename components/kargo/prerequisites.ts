/**
 * What must run in the cluster before Kargo: read with `.get` (never managed), so a missing object fails
 * `pulumi preview`, and, where a version matters, the version read from the object and compared with the
 * floor below (issue 9, defect 8).
 *
 * Floors, as Kargo 1.11.2 states them (akuity/kargo v1.11.2):
 * - Argo CD >= 2.11.0. docs/.../30-promotion-steps/argocd-update.md: "If you wish for the argocd-update
 *   step to honor sync windows, you must use Argo CD v2.11.0 or later"; it is the only floor Kargo states
 *   (docs/docs/40-operator-guide/10-basic-installation.md lists v2.13.0 as "tested with", not a minimum).
 *   The stack's own needs are lower: `spec.source.helm.valuesObject` arrived in Argo CD 2.8.0
 *   (pkg/apis/application/v1alpha1/types.go, ApplicationSourceHelm.ValuesObject), and Helm-type OCI
 *   sources (`repoURL: ghcr.io/acme/charts` + `chart`, registry with enableOCI) report the chart version
 *   itself as the sync revision, which is what argocd-update compares (argocd_updater.go mustPerformUpdate)
 *   on every 2.x/3.x release. Native `oci://` sources (Argo CD >= 3.1) are not used: they report a digest.
 * - Argo Rollouts, cert-manager: Kargo 1.11.2 states no floor (only "tested with" cert-manager v1.16.1
 *   and Argo Rollouts v1.7.2), so their versions are not checked; their CRDs and controllers are.
 */
import { parse as parseSemver } from "semver";
import type { KargoConfig } from "../config/kargo";

export interface VersionFloor {
    /** Product name in messages. */
    readonly product: string;
    /** Lowest version that works, without a leading v. */
    readonly minimum: string;
    /** The container whose image tag carries the version when the object has no version label. */
    readonly container: string;
    /** Why the floor is where it is, shown when the check fails. */
    readonly why: string;
}

export const ARGOCD_FLOOR: VersionFloor = {
    product: "Argo CD",
    minimum: "2.11.0",
    container: "argocd-application-controller",
    why: "Kargo 1.11.2's argocd-update honours sync windows only from Argo CD 2.11.0 (argocd-update.md)",
};

/** A cluster object that must already exist; read (never managed) so a missing one fails the preview. */
export interface Prerequisite {
    readonly kind: "CustomResourceDefinition" | "Deployment" | "StatefulSet" | "ClusterIssuer";
    readonly name: string;
    readonly namespace?: string;
    /** Why Kargo needs it, shown when the read fails. */
    readonly reason: string;
    /** When set, the version read from the object must reach this floor. */
    readonly floor?: VersionFloor;
}

/**
 * What must run before Kargo's controller starts. The controller checks for the Argo CD and Rollouts CRDs
 * once at startup and silently disables the integration if they are missing, so order matters.
 */
export function buildPrerequisites(cfg: KargoConfig, argocdNamespace: string): Prerequisite[] {
    const p = cfg.prerequisites;
    const issuer = cfg.apiHost ? cfg.ingressTls.clusterIssuer : undefined;
    return [
        {
            kind: "CustomResourceDefinition",
            name: "certificates.cert-manager.io",
            reason: "Kargo's webhook certificates",
        },
        {
            kind: "CustomResourceDefinition",
            name: "issuers.cert-manager.io",
            reason: "Kargo's self-signed issuer",
        },
        {
            kind: "Deployment",
            name: "cert-manager",
            namespace: p.certManagerNamespace,
            reason: "issues Kargo's certificates",
        },
        {
            kind: "Deployment",
            name: "cert-manager-webhook",
            namespace: p.certManagerNamespace,
            reason: "admits Kargo's Certificates",
        },
        ...(issuer
            ? [
                  {
                      kind: "ClusterIssuer" as const,
                      name: issuer,
                      reason: "signs the API ingress certificate GitHub's webhook deliveries check",
                  },
              ]
            : []),
        {
            kind: "CustomResourceDefinition",
            name: "applications.argoproj.io",
            reason: "argocd-update and health checks",
        },
        {
            kind: "StatefulSet",
            name: "argocd-application-controller",
            namespace: argocdNamespace,
            reason: "syncs promoted Applications",
            floor: ARGOCD_FLOOR,
        },
        {
            kind: "CustomResourceDefinition",
            name: "analysistemplates.argoproj.io",
            reason: "dev verification",
        },
        { kind: "CustomResourceDefinition", name: "analysisruns.argoproj.io", reason: "dev verification" },
        {
            kind: "Deployment",
            name: "argo-rollouts",
            namespace: p.argoRolloutsNamespace,
            reason: "executes AnalysisRuns",
        },
    ];
}

/** The parts of a workload a version is read from (what `.get` returns). */
export interface WorkloadView {
    readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
    readonly spec?: {
        readonly template?: {
            readonly spec?: { readonly containers?: readonly { name?: string; image?: string }[] };
        };
    };
}

/** `quay.io/argoproj/argocd:v3.5.1@sha256:…` → `v3.5.1`; undefined when the image has no tag. */
export function readImageTag(image: string): string | undefined {
    const withoutDigest = image.split("@")[0];
    const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
    const colon = lastSegment.indexOf(":");
    return colon === -1 ? undefined : lastSegment.slice(colon + 1) || undefined;
}

/**
 * The version a workload runs and where it was read: the `app.kubernetes.io/version` label (the Argo CD
 * Helm chart sets it to the app version), else the tag of the floor's container image (the upstream
 * install manifests label no version, their image is quay.io/argoproj/argocd:vX.Y.Z).
 */
export function readWorkloadVersion(
    workload: WorkloadView,
    container: string,
): { readonly version: string; readonly from: string } | undefined {
    const label = workload.metadata?.labels?.["app.kubernetes.io/version"];
    if (label) return { version: label, from: "label app.kubernetes.io/version" };
    const image = workload.spec?.template?.spec?.containers?.find((c) => c.name === container)?.image;
    const tag = image ? readImageTag(image) : undefined;
    return tag ? { version: tag, from: `image ${image}` } : undefined;
}

/**
 * Undefined when `found` reaches the floor; else the message that fails the preview. A leading `v` is
 * ignored; pre-releases sort before their release (3.1.0-rc1 < 3.1.0), so a pre-release of the floor
 * itself is refused; anything that is not a semantic version is refused as unreadable.
 */
export function checkVersionFloor(
    found: { readonly version: string; readonly from: string } | undefined,
    floor: VersionFloor,
    where: string,
): string | undefined {
    const required = `${floor.product} >= ${floor.minimum} (${floor.why})`;
    if (!found) {
        return (
            `${where}: cannot read the ${floor.product} version (no app.kubernetes.io/version label and no ` +
            `tagged ${floor.container} image); this stack needs ${required}`
        );
    }
    const parsed = parseSemver(found.version.replace(/^v(?=\d)/, ""));
    if (!parsed) {
        return `${where}: ${floor.product} version ${JSON.stringify(found.version)} (${found.from}) is not a semantic version; this stack needs ${required}`;
    }
    if (parsed.compare(floor.minimum) < 0) {
        return `${where}: runs ${floor.product} ${found.version} (${found.from}); this stack needs ${required}`;
    }
    return undefined;
}
