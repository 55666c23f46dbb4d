/**
 * Cluster services the stack's own objects need, beside Kargo's (components/kargo/prerequisites.ts): the
 * 1Password operator for every OnePasswordItem, and for the dev clone CloudNativePG, the CSI snapshot API
 * and prod's Cluster itself. Read with `.get` (never managed), so a missing one fails `pulumi preview`:
 * pulumi-kubernetes skips the preview of an object whose kind the cluster does not serve
 * (provider/pkg/provider/provider.go Check/Diff, `skipPreview` when `!k.gvkExists(newInputs)`), so without
 * these reads a missing CRD passed preview and failed `pulumi up` half-way.
 */
import type { StackConfig } from "../config";
import { shouldInstallKargo } from "../config/pipeline";

/** A cluster object that must exist before its dependents are declared. */
export interface PlatformRead {
    readonly kind: "CustomResourceDefinition" | "Cluster";
    readonly name: string;
    readonly namespace?: string;
    /** What breaks without it, shown in the docs and when the read fails. */
    readonly reason: string;
}

/** Which dependents wait on a group: by resource type (OnePasswordItem) or the whole data plane. */
export interface PlatformPrerequisites {
    /** Read when the stack declares a OnePasswordItem; every OnePasswordItem depends on them. */
    readonly onepassword: readonly PlatformRead[];
    /** Read when the stack provisions the dev clone; every object of the data plane depends on them. */
    readonly devData: readonly PlatformRead[];
}

export const ONEPASSWORD_ITEM_TYPE = "kubernetes:onepassword.com/v1:OnePasswordItem";

/** Whether the stack declares any OnePasswordItem: Kargo's admin Secret and git credential, the registry item. */
export function shouldReadOnePasswordOperator(cfg: StackConfig): boolean {
    return shouldInstallKargo(cfg) || cfg.registryCredential.enabled;
}

/** `dataPlane`: whether the stack declares the dev clone (index.ts asks DevDataPlane). */
export function buildPlatformPrerequisites(cfg: StackConfig, dataPlane: boolean): PlatformPrerequisites {
    const crd = (name: string, reason: string): PlatformRead => ({
        kind: "CustomResourceDefinition",
        name,
        reason,
    });
    return {
        onepassword: shouldReadOnePasswordOperator(cfg)
            ? [
                  crd(
                      "onepassworditems.onepassword.com",
                      "the 1Password operator turns OnePasswordItems into Secrets",
                  ),
              ]
            : [],
        devData: dataPlane
            ? [
                  crd("clusters.postgresql.cnpg.io", "CloudNativePG runs the clone"),
                  // Every cadence: the refresher itself creates each Backup (no ScheduledBackup is declared).
                  crd("backups.postgresql.cnpg.io", "CloudNativePG snapshots prod for the clone"),
                  crd("volumesnapshots.snapshot.storage.k8s.io", "the CSI snapshot API the Backups use"),
                  crd(
                      "volumesnapshotcontents.snapshot.storage.k8s.io",
                      "the refresher binds prod's snapshot",
                  ),
                  crd("volumesnapshotclasses.snapshot.storage.k8s.io", "prod's snapshot class"),
                  {
                      kind: "Cluster",
                      name: cfg.devData.prod.clusterName,
                      namespace: cfg.devData.prod.namespace,
                      reason: "prod's database, the clone's source",
                  },
              ]
            : [],
    };
}

/** The parts of prod's Cluster the check reads (what `.get` returns). */
export interface ProdClusterView {
    readonly spec?: {
        readonly instances?: unknown;
        readonly backup?: { readonly volumeSnapshot?: { readonly className?: unknown } | null } | null;
    };
}

/**
 * Undefined when prod's live Cluster can be snapshotted for the clone; else the message that fails the
 * preview. CloudNativePG 1.30:
 * - a cold snapshot fences its target pod, and `getBackupTargetPod` (internal/controller/backup_controller.go)
 *   falls back to the primary when no standby exists: prod needs at least 2 instances;
 * - a `volumeSnapshot` Backup of a Cluster without `spec.backup.volumeSnapshot` is failed at once
 *   (backup_controller.go, "no volumeSnapshot section defined on the target cluster");
 * - an empty `className` leaves the class to the cluster's default VolumeSnapshotClass
 *   (pkg/reconciler/persistentvolumeclaim/calculator.go GetVolumeSnapshotClass returns nil), which may not
 *   exist or may belong to another driver: the class is required by name.
 */
export function checkProdCluster(cluster: ProdClusterView, cfg: StackConfig): string | undefined {
    const where = `Cluster ${cfg.devData.prod.namespace}/${cfg.devData.prod.clusterName} (devData.prod)`;
    const problems: string[] = [];
    const instances = cluster.spec?.instances;
    if (typeof instances !== "number" || instances < 2) {
        problems.push(
            `spec.instances is ${JSON.stringify(instances ?? null)}; a cold snapshot fences its target and CloudNativePG falls back to the primary without a standby; allowed: 2 or more`,
        );
    }
    const className = cluster.spec?.backup?.volumeSnapshot?.className;
    if (typeof className !== "string" || className === "") {
        problems.push(
            `spec.backup.volumeSnapshot.className is ${JSON.stringify(className ?? null)}; the clone's snapshot Backups need prod's VolumeSnapshotClass by name; allowed: the class of prod's CSI driver`,
        );
    }
    return problems.length === 0 ? undefined : `${where}: ${problems.join("; ")}`;
}
