/**
 * The CloudNativePG objects of the dev data plane: the clone `Cluster` (bootstrapped from a VolumeSnapshot
 * bound into the dev namespace) and the cold, standby-sourced snapshot `Backup` / `ScheduledBackup` of
 * prod it is made from. Pure builders returning plain objects.
 */
import type { StackConfig } from "../config";
import type { Backup, BackupSpec, Cluster, ScheduledBackup } from "../core/generated";
import { MANAGED_BY } from "../core/objects";
import {
    COMPONENT_LABEL,
    REFRESH_BACKUP_LABEL,
    SNAPSHOT_API_GROUP,
    appCredentialsSecretName,
    cloneNamespace,
    scheduledBackupName,
    seedBackupName,
    sourceSnapshotName,
} from "./names";

import { CNPG_API } from "../core/objects";

export { CNPG_API };

/**
 * The clone. Isolation is structural: a new cluster name means new CA, server, replication and app
 * Secrets generated for it; the app owner gets a password only this namespace holds; the superuser has
 * no password; every other prod login role is declared with its password disabled (their hashes come
 * with the data). No `backup`, `externalClusters` or `replica` section: it never writes to prod's object
 * store and never connects to prod. Its PVC is a new volume in the dev namespace, restored from the bound
 * snapshot: a pod in the dev namespace cannot mount prod's PVCs at all.
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
    const otherRoles = prod.loginRoles.filter((r) => r !== clone.owner && r !== "postgres");
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
            ...(otherRoles.length > 0
                ? {
                      managed: {
                          roles: otherRoles.map((name) => ({
                              name,
                              ensure: "present",
                              login: true,
                              disablePassword: true,
                          })),
                      },
                  }
                : {}),
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
        // A standby is fenced for the snapshot, never prod's primary (prod.instances >= 2 is enforced).
        target: "prefer-standby",
    };
}

/** One on-demand snapshot Backup of prod; the refresher creates these from this template. */
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
                [REFRESH_BACKUP_LABEL]: `${cloneNamespace(cfg)}.${cfg.devData.clone.name}`,
            },
            // Retry transient snapshot errors for up to half an hour before the Backup fails.
            annotations: { "cnpg.io/volumeSnapshotDeadline": "30" },
        },
        spec: snapshotBackupSpec(cfg),
    };
}

/** The Backup declared with the stack so the first clone has a snapshot to bootstrap from. */
export function buildSeedBackup(cfg: StackConfig): Backup {
    return buildSnapshotBackup(cfg, seedBackupName(cfg));
}

/** Cadence `schedule`: CNPG takes the snapshot; the refresher CronJob binds it and recreates the clone. */
export function buildScheduledBackup(cfg: StackConfig): ScheduledBackup {
    return {
        apiVersion: CNPG_API,
        kind: "ScheduledBackup",
        metadata: {
            name: scheduledBackupName(cfg),
            namespace: cfg.devData.prod.namespace,
            labels: { ...MANAGED_BY, ...COMPONENT_LABEL },
        },
        spec: {
            ...snapshotBackupSpec(cfg),
            schedule: cfg.devData.refresh.schedule,
            // Backups (and, with the class's deletionPolicy, their snapshots) go with the ScheduledBackup.
            backupOwnerReference: "self",
            // One right away, so the seed refresh does not wait for the first scheduled run.
            immediate: true,
            suspend: false,
        },
    };
}
