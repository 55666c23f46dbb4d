/**
 * The CloudNativePG objects of the dev data plane: the clone `Cluster` (bootstrapped from a VolumeSnapshot
 * bound into the dev namespace) and the template of the cold, standby-sourced snapshot `Backup` of prod it
 * is made from. The stack declares no Backup: the refresher creates each one, only after reading prod's
 * live Cluster (refresh.sh, step 1). Pure builders returning plain objects.
 */
import type { StackConfig } from "../config";
import type { Backup, BackupSpec, Cluster } from "../core/generated";
import { MANAGED_BY } from "../core/objects";
import {
    CLONE_FIELD_MANAGER,
    COMPONENT_LABEL,
    REFRESH_BACKUP_LABEL,
    SNAPSHOT_API_GROUP,
    appCredentialsSecretName,
    cloneNamespace,
    ownerLabelValue,
    sourceSnapshotName,
} from "./names";
import { selectOuterWaitSeconds } from "./timing";

import { CNPG_API } from "../core/objects";

export { CNPG_API };

/**
 * How Pulumi applies and awaits the clone, read by pulumi-kubernetes from the object's annotations
 * (provider/pkg/metadata/annotations.go, overrides.go; provider.go `fieldManagerName`):
 * - `waitFor: condition=Ready` + `timeoutSeconds`: `pulumi up` returns only once CloudNativePG reports
 *   the clone Ready, waiting as long as a whole refresh may take (the seed Job binds its snapshot
 *   meanwhile); without it a custom resource is not awaited at all (`ReadyCondition`: no-op).
 * - `patchFieldManager`: Pulumi applies as {@link CLONE_FIELD_MANAGER}, the manager the refresher
 *   recreates the Cluster with, so after a refresh Pulumi still owns every field (and can remove one).
 * - `patchForce`: a field Pulumi sets that someone changed by hand (`kubectl edit`) is taken back instead
 *   of failing the update with a server-side-apply conflict (await/await.go, `patchForce`).
 * test/components/devData/ssa.test.ts replays create, refresh and the next change on the API server's own
 * field manager.
 */
export function buildClonePulumiAnnotations(cfg: StackConfig): Record<string, string> {
    return {
        "pulumi.com/waitFor": "condition=Ready",
        "pulumi.com/timeoutSeconds": String(selectOuterWaitSeconds(cfg)),
        "pulumi.com/patchFieldManager": CLONE_FIELD_MANAGER,
        "pulumi.com/patchForce": "true",
    };
}

/**
 * The clone. Isolation is structural: a new cluster name means new CA, server, replication and app
 * Secrets generated for it; the app owner gets a password only this namespace holds; the superuser has
 * no password. Every other role keeps its attributes and memberships exactly as in prod (no
 * `managed.roles`: CloudNativePG's role reconciler would rewrite them to the declared defaults); the
 * refresher clears their password verifiers, on the seeded clone too (refresh.sh, step 6). No `backup`,
 * `externalClusters` or `replica` section: it never writes to prod's object store and never connects to
 * prod. Its PVC is a new volume in the dev namespace, restored from the bound snapshot: a pod in the dev
 * namespace cannot mount prod's PVCs at all.
 */
export function buildCloneCluster(cfg: StackConfig): Cluster {
    const { clone, prod } = cfg.devData;
    if (clone.instances !== 1) {
        throw new Error(
            `devData.clone.instances must be 1 (got ${clone.instances}): ADR 009 caps the clone at one instance`,
        );
    }
    if (!clone.storageClass) {
        throw new Error(
            "devData.clone.storageClass is required to provision the clone: a snapshot-capable StorageClass",
        );
    }
    return {
        apiVersion: CNPG_API,
        kind: "Cluster",
        metadata: {
            name: clone.name,
            namespace: cloneNamespace(cfg),
            labels: { ...MANAGED_BY, ...COMPONENT_LABEL },
            annotations: {
                // The refresher recreates this object from the same spec; this records where it came from.
                "release-pipeline.acme.dev/clone-of": `${prod.namespace}/${prod.clusterName}`,
                ...buildClonePulumiAnnotations(cfg),
            },
        },
        spec: {
            instances: 1,
            // One instance: a PDB would only block node drains (CNPG docs, kubernetes_upgrade.md).
            enablePDB: false,
            imageName: prod.imageName,
            enableSuperuserAccess: false,
            primaryUpdateStrategy: "unsupervised",
            storage: { storageClass: clone.storageClass, size: clone.size },
            resources: {
                requests: { cpu: clone.resources.requests.cpu, memory: clone.resources.requests.memory },
                limits: { cpu: clone.resources.limits.cpu, memory: clone.resources.limits.memory },
            },
            postgresql: { parameters: { ...clone.postgresParameters } },
            bootstrap: {
                recovery: {
                    volumeSnapshots: {
                        storage: {
                            name: sourceSnapshotName(cfg),
                            kind: "VolumeSnapshot",
                            apiGroup: SNAPSHOT_API_GROUP,
                        },
                    },
                    database: clone.database,
                    owner: clone.owner,
                    // Applied after recovery: the owner's prod password hash is replaced by this one.
                    secret: { name: appCredentialsSecretName(cfg) },
                },
            },
        },
    };
}

/** Spec shared by every snapshot of prod taken for the clone: explicit method, cold, from a standby. */
function snapshotBackupSpec(cfg: StackConfig): Pick<BackupSpec, "cluster" | "method" | "online" | "target"> {
    return {
        cluster: { name: cfg.devData.prod.clusterName },
        // The CRD default is barmanObjectStore; a clone without a WAL archive needs a volume snapshot.
        method: "volumeSnapshot",
        // Cold: consistent by itself, restorable without any WAL (the clone has no archive to replay).
        online: false,
        // CloudNativePG fences a standby for the snapshot, but falls back to the primary when no standby
        // is Ready (internal/controller/backup_controller.go, getBackupTargetPod, v1.30.0): the refresher
        // reads prod's live Cluster first and creates no Backup unless a ready standby exists.
        target: "prefer-standby",
    };
}

/** One snapshot Backup of prod; the refresher creates every one of them from this template. */
export function buildSnapshotBackup(cfg: StackConfig, name: string): Backup {
    return {
        apiVersion: CNPG_API,
        kind: "Backup",
        metadata: {
            name,
            namespace: cfg.devData.prod.namespace,
            labels: {
                ...MANAGED_BY,
                ...COMPONENT_LABEL,
                [REFRESH_BACKUP_LABEL]: ownerLabelValue(cfg),
            },
            // Retry transient snapshot errors for up to half an hour before the Backup fails.
            annotations: { "cnpg.io/volumeSnapshotDeadline": "30" },
        },
        spec: snapshotBackupSpec(cfg),
    };
}
