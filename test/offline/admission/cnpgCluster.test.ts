import { strict as assert } from "node:assert";
import { validateCnpgCluster } from "../../../offline/admission/cnpgCluster";
import { cnpg, describeRule } from "./helpers";

/** The dev clone's shape: recovery from a VolumeSnapshot, one instance, small resources. */
const base = {
    instances: 1,
    imageName: "ghcr.io/cloudnative-pg/postgresql:17.5",
    storage: { size: "10Gi" },
    bootstrap: {
        recovery: {
            database: "app",
            owner: "app",
            volumeSnapshots: {
                storage: { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: "src" },
            },
        },
    },
    resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    postgresql: { parameters: { shared_buffers: "64MB" } },
};
const cluster = (patch: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) =>
    cnpg("Cluster", "db-dev", { ...base, ...patch }, metadata);
const recovery = base.bootstrap.recovery;
const db = (extra: Record<string, unknown>) => ({ bootstrap: { recovery: { ...recovery, ...extra } } });

describeRule("CNPG Cluster: bootstrap (cluster_webhook.go)", validateCnpgCluster, [
    {
        name: "two bootstrap methods (validateBootstrapMethod)",
        rejects: cluster({ bootstrap: { ...base.bootstrap, initdb: { database: "app", owner: "app" } } }),
        path: "/spec/bootstrap",
        message: "Only one bootstrap method can be specified at a time",
        accepts: cluster(),
    },
    {
        name: "snapshot recovery combined with a backup (validateBootstrapRecoveryDataSource)",
        rejects: cluster(db({ backup: { name: "b" } })),
        path: "/spec/bootstrap/recovery/backup",
        message: "Recovery from dataSource is not compatible with other types of recovery",
        accepts: cluster(),
    },
    {
        name: "snapshot recovery from a Deployment (validateVolumeSnapshotSource)",
        rejects: cluster(
            db({ volumeSnapshots: { storage: { apiGroup: "apps", kind: "Deployment", name: "x" } } }),
        ),
        path: "/spec/bootstrap/recovery/volumeSnapshots/storage",
        message: "Only VolumeSnapshots and PersistentVolumeClaims are supported",
        accepts: cluster(db({ volumeSnapshots: { storage: { kind: "PersistentVolumeClaim", name: "x" } } })),
    },
    {
        name: "a WAL snapshot without walStorage",
        rejects: cluster(
            db({
                volumeSnapshots: {
                    ...recovery.volumeSnapshots,
                    walStorage: recovery.volumeSnapshots.storage,
                },
            }),
        ),
        path: "/spec/bootstrap/recovery/volumeSnapshots/walStorage",
        message: "A WAL storage configuration is required when recovering using a DataSource for WALs",
        accepts: cluster({
            ...db({
                volumeSnapshots: {
                    ...recovery.volumeSnapshots,
                    walStorage: recovery.volumeSnapshots.storage,
                },
            }),
            walStorage: { size: "1Gi" },
        }),
    },
    {
        name: "pg_basebackup from an undeclared external cluster (validateBootstrapPgBaseBackupSource)",
        rejects: cluster({ bootstrap: { pg_basebackup: { source: "prod" } } }),
        path: "/spec/bootstrap/pg_basebackup/source",
        message: "External cluster prod not found",
        accepts: cluster({
            bootstrap: { pg_basebackup: { source: "prod" } },
            externalClusters: [{ name: "prod", connectionParameters: { host: "db" } }],
        }),
    },
    {
        name: "recovery from an external cluster with nothing to recover from (validateBootstrapRecoverySource)",
        rejects: cluster({
            bootstrap: { recovery: { source: "prod" } },
            externalClusters: [{ name: "prod" }],
        }),
        path: "/spec/bootstrap/recovery/source",
        message:
            /cannot be used for recovery: missing connection parameters, Barman, or CNPG-i configuration$/,
        accepts: cluster({
            bootstrap: { recovery: { source: "prod" } },
            externalClusters: [{ name: "prod", plugin: { name: "barman-cloud.cloudnative-pg.io" } }],
        }),
    },
    {
        name: "an initdb WAL segment size that is not a power of 2 (validateInitDB)",
        rejects: cluster({ bootstrap: { initdb: { walSegmentSize: 24 } } }),
        path: "/spec/bootstrap/initdb/walSegmentSize",
        message: "WAL segment size must be a power of 2",
        accepts: cluster({ bootstrap: { initdb: { walSegmentSize: 32 } } }),
    },
]);

describeRule("CNPG Cluster: image, name, instances, storage (cluster_webhook.go)", validateCnpgCluster, [
    {
        name: "an image without a tag (validateImageName)",
        rejects: cluster({ imageName: "ghcr.io/cloudnative-pg/postgresql" }),
        path: "/spec/imageName",
        message: "Can't use 'latest' as image tag as we can't detect upgrades",
        accepts: cluster({ imageName: "ghcr.io/cloudnative-pg/postgresql:16.4-bookworm" }),
    },
    {
        name: "an image pinned by digest only",
        rejects: cluster({ imageName: `ghcr.io/cloudnative-pg/postgresql@sha256:${"a".repeat(64)}` }),
        path: "/spec/imageName",
        message: "Can't use just the image sha as we can't detect upgrades",
        accepts: cluster({ imageName: `ghcr.io/cloudnative-pg/postgresql:17.5@sha256:${"a".repeat(64)}` }),
    },
    {
        name: "PostgreSQL 12",
        rejects: cluster({ imageName: "ghcr.io/cloudnative-pg/postgresql:12.20" }),
        path: "/spec/imageName",
        message: "Unsupported PostgreSQL version. Versions 13 or newer are supported",
        accepts: cluster({ imageName: "ghcr.io/cloudnative-pg/postgresql:13.20" }),
    },
    {
        name: "a supervised update of a single instance (validatePrimaryUpdateStrategy)",
        rejects: cluster({ primaryUpdateStrategy: "supervised" }),
        path: "/spec/primaryUpdateStrategy",
        message: "supervised update strategy is not allowed for clusters with a single instance",
        accepts: cluster({ primaryUpdateStrategy: "supervised", instances: 2 }),
    },
    {
        name: "as many sync replicas as instances (validateMaxSyncReplicas)",
        rejects: cluster({ instances: 2, maxSyncReplicas: 2 }),
        path: "/spec/maxSyncReplicas",
        message: "maxSyncReplicas must be lower than the number of instances",
        accepts: cluster({ instances: 3, maxSyncReplicas: 2 }),
    },
    {
        name: "no storage size (validateStorageSize)",
        rejects: cluster({ storage: { storageClass: "fast" } }),
        path: "/spec/storage/size",
        message: "Size not configured. Please add it, or a storage request in the pvcTemplate.",
        accepts: cluster({ storage: { pvcTemplate: { resources: { requests: { storage: "10Gi" } } } } }),
    },
    {
        name: "a storage size that is not a quantity",
        rejects: cluster({ storage: { size: "10GB" } }),
        path: "/spec/storage/size",
        message: "Size value isn't valid",
        accepts: cluster({ storage: { size: "10G" } }),
    },
    {
        name: "a name longer than 50 characters (validateName)",
        rejects: cnpg("Cluster", "d".repeat(51), base),
        path: "/metadata/name",
        message: "the maximum length of a cluster name is 50 characters",
        accepts: cnpg("Cluster", "d".repeat(50), base),
    },
]);

describeRule("CNPG Cluster: parameters, resources, roles (cluster_webhook.go)", validateCnpgCluster, [
    {
        name: "shared_buffers above the memory request (validateResources)",
        rejects: cluster({ postgresql: { parameters: { shared_buffers: "512MB" } } }),
        path: "/spec/resources/requests",
        message: "Memory request is lower than PostgreSQL `shared_buffers` value",
        accepts: cluster({ postgresql: { parameters: { shared_buffers: "256MB" } } }),
    },
    {
        name: "a memory request above its limit",
        rejects: cluster({ resources: { requests: { memory: "512Mi" }, limits: { memory: "256Mi" } } }),
        path: "/spec/resources/requests/memory",
        message: "Memory request is greater than the limit",
        accepts: cluster({ resources: { requests: { memory: "256Mi" }, limits: { memory: "512Mi" } } }),
    },
    {
        name: "a blocked parameter (validateConfiguration)",
        rejects: cluster({ postgresql: { parameters: { listen_addresses: "*" } } }),
        path: "/spec/postgresql/parameters/listen_addresses",
        message: "Can't set fixed configuration parameter (*)",
        accepts: cluster({ postgresql: { parameters: { max_connections: "30" } } }),
    },
    {
        name: "a parameter name that could inject a directive",
        rejects: cluster({ postgresql: { parameters: { "work_mem\nfsync": "off" } } }),
        path: "/spec/postgresql/parameters/work_mem\nfsync",
        message: /^must be a valid PostgreSQL configuration parameter name/,
        accepts: cluster({ postgresql: { parameters: { "pg_stat_statements.max": "1000" } } }),
    },
    {
        name: "an unparseable shared_buffers",
        rejects: cluster({ postgresql: { parameters: { shared_buffers: "64Mi" } } }),
        path: "/spec/postgresql/parameters/shared_buffers",
        message: /^Invalid value for configuration parameter shared_buffers/,
        accepts: cluster({ postgresql: { parameters: { shared_buffers: "64" } } }),
    },
    {
        name: "wal_log_hints off with two instances",
        rejects: cluster({ instances: 2, postgresql: { parameters: { wal_log_hints: "off" } } }),
        path: "/spec/postgresql/parameters/wal_log_hints",
        message: "`wal_log_hints` must be set to `on` when `instances` > 1",
        accepts: cluster({ instances: 2, postgresql: { parameters: { wal_log_hints: "on" } } }),
    },
    {
        name: "min_wal_size above max_wal_size (validateWalSizeConfiguration)",
        rejects: cluster({ postgresql: { parameters: { min_wal_size: "2GB" } } }),
        path: "/spec/postgresql/parameters/min_wal_size",
        message: /should be smaller than parameter max_wal_size/,
        accepts: cluster({ postgresql: { parameters: { min_wal_size: "512MB" } } }),
    },
    {
        name: "a reserved managed role (validateManagedRoles)",
        rejects: cluster({ managed: { roles: [{ name: "streaming_replica", ensure: "present" }] } }),
        path: "/spec/managed/roles",
        message: 'This role is reserved for operator use ("streaming_replica")',
        accepts: cluster({ managed: { roles: [{ name: "readonly", ensure: "present" }] } }),
    },
    {
        name: "a role that sets and disables a password",
        rejects: cluster({
            managed: { roles: [{ name: "app2", disablePassword: true, passwordSecret: { name: "s" } }] },
        }),
        path: "/spec/managed/roles",
        message: 'This role both sets and disables a password ("app2")',
        accepts: cluster({ managed: { roles: [{ name: "app2", disablePassword: true }] } }),
    },
    {
        name: "a TLS server secret without its CA (validateCerts)",
        rejects: cluster({ certificates: { serverTLSSecret: "tls" } }),
        path: "/spec/certificates/serverCASecret",
        message: "Server CA secret can't be empty when server TLS secret is provided",
        accepts: cluster({ certificates: { serverTLSSecret: "tls", serverCASecret: "ca" } }),
    },
    {
        name: "an unknown hibernation value (validateHibernationAnnotation)",
        rejects: cluster({}, { annotations: { "cnpg.io/hibernation": "true" } }),
        path: "/metadata/annotations/cnpg.io~1hibernation",
        message: 'Annotation value for hibernation should be "on" or "off"',
        accepts: cluster({}, { annotations: { "cnpg.io/hibernation": "on" } }),
    },
]);

describe("CNPG Cluster: the validation bypass (common.go, bypassableValidator)", () => {
    it("admits anything annotated cnpg.io/validation: disabled", () => {
        const bad = { imageName: "postgres", bootstrap: { initdb: {}, recovery: {} } };
        assert.ok(validateCnpgCluster(cluster(bad)).length > 0);
        assert.deepEqual(
            validateCnpgCluster(cluster(bad, { annotations: { "cnpg.io/validation": "disabled" } })),
            [],
        );
    });
});
