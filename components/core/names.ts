/**
 * Names every capability agrees on: how a stage and a chart map to an Application and a namespace, the
 * annotation argocd-update checks, the keys of the Access token Secret, and the Pulumi resource name of a
 * declared object. Decided once, so a builder, the synth and the policy tests can never disagree.
 */
import type { K8sObject } from "./objects";

/** The production stage keeps today's names (`monolith`); other stages are suffixed (`monolith-dev`). */
export function applicationName(stage: string, chart: { readonly name: string }): string {
    return stage === "prod" ? chart.name : `${chart.name}-${stage}`;
}

export function workloadNamespace(stage: string, chart: { readonly namespace: string }): string {
    return stage === "prod" ? chart.namespace : `${chart.namespace}-${stage}`;
}

/** The annotation argocd-update checks before touching an Application. */
export function authorizedStage(project: string, stage: string): string {
    return `${project}:${stage}`;
}

/** Keys of the Access service-token Secret the smoke check reads (created by the Access component). */
/**
 * Name of a snapshot Backup the dev refresher takes of prod's Cluster: `<prefix>-<UTC yyyymmddhhmmss>`
 * (refresh.sh, `date -u +%Y%m%d%H%M%S`). CloudNativePG writes it into the `cnpg.io/backupName` label of
 * the VolumeSnapshots (pkg/reconciler/backup/volumesnapshot/reconciler.go), so it must be a label value.
 */
export function devCloneBackupPrefix(prodClusterName: string): string {
    return `${prodClusterName}-dev-clone`;
}

/** The longest Backup name the refresher generates for a prefix (its timestamp has a fixed width). */
export function longestDevCloneBackupName(prodClusterName: string): string {
    return `${devCloneBackupPrefix(prodClusterName)}-20261231235959`;
}

export const ACCESS_CLIENT_ID_KEY = "client-id";
export const ACCESS_CLIENT_SECRET_KEY = "client-secret";

/**
 * The Pulumi resource name of a declared object, below its component's name: `<kind>-<name>`, or with
 * `namespaced`, `<kind>-<namespace>-<name>` (the dev data plane's objects live in several namespaces).
 * The two forms are part of the URNs of existing stacks: a component keeps the one it has always used.
 */
export function resourceName(obj: K8sObject, opts: { readonly namespaced: boolean }): string {
    const ns = opts.namespaced && obj.metadata.namespace ? `${obj.metadata.namespace}-` : "";
    return `${obj.kind.toLowerCase()}-${ns}${obj.metadata.name}`;
}
