/**
 * CloudNativePG 1.30's Cluster validating webhook (internal/webhook/v1/cluster_webhook.go,
 * ClusterCustomValidator.validate) for the fields this stack declares or is likely to: bootstrap,
 * name, image, storage, replicas, roles, certificates, annotations. Parameters and resources are in
 * cnpgClusterParameters.ts. Rules on updates (validateClusterChanges) need the old object: not modelled.
 */
import { shouldValidateCnpgObject } from "./cnpgBypass";
import { instancesOf, validateClusterResources, validatePostgresParameters } from "./cnpgClusterParameters";
import {
    annotationsOf,
    asArray,
    asDict,
    asInt,
    asString,
    isDict,
    nameOf,
    pointer,
    quote,
    specOf,
    type Dict,
    type RuleIssue,
} from "./objects";
import { isZeroQuantity, parseQuantity } from "./quantity";

function bootstrapOf(cluster: unknown): Dict {
    return asDict(specOf(cluster).bootstrap);
}

/** cluster_webhook.go, validateBootstrapMethod: at most one of initdb, recovery, pg_basebackup. */
export function validateBootstrapMethod(cluster: unknown): RuleIssue[] {
    const b = bootstrapOf(cluster);
    const methods = ["initdb", "recovery", "pg_basebackup"].filter((m) => isDict(b[m]));
    if (methods.length <= 1) return [];
    return [
        {
            path: pointer("spec", "bootstrap"),
            message: "Only one bootstrap method can be specified at a time",
        },
    ];
}

/** cluster_webhook.go, validateInitDB: WAL segment size a power of 2; SQL refs name both key and name. */
export function validateInitDB(cluster: unknown): RuleIssue[] {
    const initdb = asDict(bootstrapOf(cluster).initdb);
    const issues: RuleIssue[] = [];
    const wal = asInt(initdb.walSegmentSize);
    if (wal !== 0 && (wal < 0 || (wal & (wal - 1)) !== 0)) {
        issues.push({
            path: pointer("spec", "bootstrap", "initdb", "walSegmentSize"),
            message: "WAL segment size must be a power of 2",
        });
    }
    const refs = asDict(initdb.postInitApplicationSQLRefs);
    for (const kind of ["secretRefs", "configMapRefs"]) {
        for (const item of asArray(refs[kind])) {
            if (asString(asDict(item).name) === "" || asString(asDict(item).key) === "") {
                issues.push({
                    path: pointer("spec", "bootstrap", "initdb", "postInitApplicationSQLRefs", kind),
                    message: "key and name must be specified",
                });
            }
        }
    }
    return issues;
}

/** Cluster.ExternalCluster: the entry of spec.externalClusters with that name. */
function externalCluster(cluster: unknown, name: string): Dict | undefined {
    const found = asArray(specOf(cluster).externalClusters).find((e) => asString(asDict(e).name) === name);
    return found === undefined ? undefined : asDict(found);
}

/**
 * cluster_webhook.go, validateBootstrapPgBaseBackupSource and validateBootstrapRecoverySource: the source
 * names an external cluster, and (for recovery) one that has connection parameters, Barman or a plugin.
 */
export function validateBootstrapSources(cluster: unknown): RuleIssue[] {
    const b = bootstrapOf(cluster);
    const issues: RuleIssue[] = [];
    if (isDict(b.pg_basebackup)) {
        const source = asString(b.pg_basebackup.source);
        if (!externalCluster(cluster, source)) {
            issues.push({
                path: pointer("spec", "bootstrap", "pg_basebackup", "source"),
                message: `External cluster ${source} not found`,
            });
        }
    }
    const source = asString(asDict(b.recovery).source);
    if (isDict(b.recovery) && source !== "") {
        const found = externalCluster(cluster, source);
        const path = pointer("spec", "bootstrap", "recovery", "source");
        if (!found) issues.push({ path, message: `External cluster ${source} not found` });
        const e = found ?? {};
        if (!isDict(e.connectionParameters) && !isDict(e.barmanObjectStore) && !isDict(e.plugin)) {
            issues.push({
                path,
                message: `External cluster ${source} cannot be used for recovery: missing connection parameters, Barman, or CNPG-i configuration`,
            });
        }
    }
    return issues;
}

/** cluster_webhook.go, validateVolumeSnapshotSource: a VolumeSnapshot or a PersistentVolumeClaim. */
function validateSnapshotSource(ref: unknown, path: string): RuleIssue[] {
    const apiGroup = asString(asDict(ref).apiGroup);
    const kind = asString(asDict(ref).kind);
    const ok =
        (apiGroup === "snapshot.storage.k8s.io" && kind === "VolumeSnapshot") ||
        (apiGroup === "" && kind === "PersistentVolumeClaim");
    return ok ? [] : [{ path, message: "Only VolumeSnapshots and PersistentVolumeClaims are supported" }];
}

/**
 * cluster_webhook.go, validateBootstrapRecoveryDataSource: recovery from volume snapshots excludes a
 * backup and a backupID target, and needs walStorage in the Cluster when it restores a WAL snapshot.
 */
export function validateBootstrapRecoveryDataSource(cluster: unknown): RuleIssue[] {
    const recovery = asDict(bootstrapOf(cluster).recovery);
    if (!isDict(recovery.volumeSnapshots)) return [];
    if (isDict(recovery.backup)) {
        return [
            {
                path: pointer("spec", "bootstrap", "recovery", "backup"),
                message: "Recovery from dataSource is not compatible with other types of recovery",
            },
        ];
    }
    if (asString(asDict(recovery.recoveryTarget).backupID) !== "") {
        return [
            {
                path: pointer("spec", "bootstrap", "recovery", "recoveryTarget", "backupID"),
                message: "Cannot specify a backupID when recovering using a DataSource",
            },
        ];
    }
    const snapshots = recovery.volumeSnapshots;
    const issues = validateSnapshotSource(
        snapshots.storage,
        pointer("spec", "bootstrap", "recovery", "volumeSnapshots", "storage"),
    );
    if (isDict(snapshots.walStorage)) {
        const walPath = pointer("spec", "bootstrap", "recovery", "volumeSnapshots", "walStorage");
        if (!isDict(specOf(cluster).walStorage)) {
            issues.push({
                path: walPath,
                message:
                    "A WAL storage configuration is required when recovering using a DataSource for WALs",
            });
        }
        issues.push(...validateSnapshotSource(snapshots.walStorage, walPath));
    }
    return issues;
}

/**
 * cluster_webhook.go, validateImageName with machinery's reference.New and version.FromTag: a tag that
 * starts with a version, not `latest`, not only a digest.
 */
export function validateImageName(cluster: unknown): RuleIssue[] {
    const image = asString(specOf(cluster).imageName);
    if (image === "") return [];
    let name = image.includes("/") ? image : `docker.io/library/${image}`;
    if (!/^[^./:]+((\.[^./:]+)+(:[0-9]+)?|:[0-9]+)\//.test(name)) name = `docker.io/${name}`;
    const digest = /@sha256:([a-fA-F0-9]+)$/.exec(name);
    if (digest) name = name.slice(0, -digest[0].length);
    const tag = /:([^/]+)$/.exec(name)?.[1] ?? (digest ? "" : "latest");
    const path = pointer("spec", "imageName");
    if (tag === "latest")
        return [{ path, message: "Can't use 'latest' as image tag as we can't detect upgrades" }];
    if (tag === "") return [{ path, message: "Can't use just the image sha as we can't detect upgrades" }];
    if (!/^(\d\.?)+/.test(tag)) return [{ path, message: "invalid version tag" }];
    // validateConfiguration: the PostgreSQL major from the tag must be 13 or newer.
    return Number(tag.split(".")[0]) < 13
        ? [{ path, message: "Unsupported PostgreSQL version. Versions 13 or newer are supported" }]
        : [];
}

/** cluster_webhook.go, validateImagePullPolicy. */
export function validateImagePullPolicy(cluster: unknown): RuleIssue[] {
    const policy = asString(specOf(cluster).imagePullPolicy);
    if (["Always", "Never", "IfNotPresent", ""].includes(policy)) return [];
    return [
        {
            path: pointer("spec", "imagePullPolicy"),
            message: "invalid imagePullPolicy, if defined must be one of 'Always', 'Never' or 'IfNotPresent'",
        },
    ];
}

/** cluster_webhook.go, validatePrimaryUpdateStrategy: supervised needs more than one instance. */
export function validatePrimaryUpdateStrategy(cluster: unknown): RuleIssue[] {
    const strategy = asString(specOf(cluster).primaryUpdateStrategy);
    const path = pointer("spec", "primaryUpdateStrategy");
    if (strategy === "") return [];
    if (strategy !== "supervised" && strategy !== "unsupervised") {
        return [{ path, message: "primaryUpdateStrategy should be empty, 'supervised' or 'unsupervised'" }];
    }
    if (strategy === "supervised" && instancesOf(cluster) === 1) {
        return [
            {
                path,
                message: "supervised update strategy is not allowed for clusters with a single instance",
            },
        ];
    }
    return [];
}

/** cluster_webhook.go, validateMaxSyncReplicas and validateMinSyncReplicas. */
export function validateSyncReplicas(cluster: unknown): RuleIssue[] {
    const spec = specOf(cluster);
    const [min, max] = [asInt(spec.minSyncReplicas), asInt(spec.maxSyncReplicas)];
    const issues: RuleIssue[] = [];
    if (min < 0)
        issues.push({
            path: pointer("spec", "minSyncReplicas"),
            message: "minSyncReplicas must be a non negative integer",
        });
    if (min > max)
        issues.push({
            path: pointer("spec", "minSyncReplicas"),
            message: "minSyncReplicas cannot be greater than maxSyncReplicas",
        });
    if (max < 0)
        issues.push({
            path: pointer("spec", "maxSyncReplicas"),
            message: "maxSyncReplicas must be a non negative integer",
        });
    if (max >= instancesOf(cluster))
        issues.push({
            path: pointer("spec", "maxSyncReplicas"),
            message: "maxSyncReplicas must be lower than the number of instances",
        });
    return issues;
}

/** cluster_webhook.go, validateStorageConfigurationSize: a parseable size, or a pvcTemplate storage request. */
function validateStorageConfiguration(storage: unknown, base: readonly (string | number)[]): RuleIssue[] {
    const size = asString(asDict(storage).size);
    const path = pointer(...base, "size");
    if (size !== "") return parseQuantity(size) ? [] : [{ path, message: "Size value isn't valid" }];
    const template = asDict(asDict(storage).pvcTemplate);
    const request = asString(asDict(asDict(template.resources).requests).storage);
    if (!isZeroQuantity(parseQuantity(request))) return [];
    return [
        { path, message: "Size not configured. Please add it, or a storage request in the pvcTemplate." },
    ];
}

/** cluster_webhook.go, validateStorageSize, validateWalStorageSize and validateTablespaceStorageSize. */
export function validateStorageSizes(cluster: unknown): RuleIssue[] {
    const spec = specOf(cluster);
    return [
        ...validateStorageConfiguration(spec.storage, ["spec", "storage"]),
        ...(isDict(spec.walStorage)
            ? validateStorageConfiguration(spec.walStorage, ["spec", "walStorage"])
            : []),
        ...asArray(spec.tablespaces).flatMap((t, n) =>
            validateStorageConfiguration(asDict(t).storage, ["spec", "tablespaces", n, "storage"]),
        ),
    ];
}

/** cluster_webhook.go, validateName: a DNS-1035 label of at most 50 characters (Pod and Service names derive from it). */
export function validateClusterName(cluster: unknown): RuleIssue[] {
    const name = nameOf(cluster);
    const issues: RuleIssue[] = [];
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) {
        issues.push({ path: pointer("metadata", "name"), message: "cluster name must be a valid DNS label" });
    }
    if (name.length > 50)
        issues.push({
            path: pointer("metadata", "name"),
            message: "the maximum length of a cluster name is 50 characters",
        });
    return issues;
}

/** cluster_webhook.go, validateManagedRoles (reserved names from pkg/postgres/roles.go, IsRoleReserved). */
export function validateManagedRoles(cluster: unknown): RuleIssue[] {
    const seen = new Set<string>();
    const issues: RuleIssue[] = [];
    const path = pointer("spec", "managed", "roles");
    for (const raw of asArray(asDict(specOf(cluster).managed).roles)) {
        const role = asDict(raw);
        const name = asString(role.name);
        if (seen.has(name))
            issues.push({ path, message: `Role name is duplicate of another (${quote(name)})` });
        seen.add(name);
        // The CRD defaults connectionLimit to -1.
        const limit = role.connectionLimit === undefined ? -1 : asInt(role.connectionLimit);
        if (limit !== -1 && limit < 0)
            issues.push({ path, message: "Connection limit should be positive, unless defaulting to -1" });
        if (name === "postgres" || name === "streaming_replica" || name.startsWith("cnpg_")) {
            issues.push({ path, message: `This role is reserved for operator use (${quote(name)})` });
        }
        if (role.disablePassword === true && isDict(role.passwordSecret)) {
            issues.push({ path, message: `This role both sets and disables a password (${quote(name)})` });
        }
    }
    return issues;
}

/** cluster_webhook.go, validateSuperuserSecret and validateCerts. */
export function validateSecretsAndCerts(cluster: unknown): RuleIssue[] {
    const spec = specOf(cluster);
    const issues: RuleIssue[] = [];
    if (isDict(spec.superuserSecret) && asString(spec.superuserSecret.name) === "") {
        issues.push({
            path: pointer("spec", "superuserSecret", "name"),
            message: "Super user secret name can't be empty",
        });
    }
    const certs = asDict(spec.certificates);
    if (asString(certs.serverTLSSecret) !== "") {
        if (asArray(certs.serverAltDNSNames).length > 0) {
            issues.push({
                path: pointer("spec", "certificates", "serverAltDNSNames"),
                message: "Server alternative DNS names can't be defined when server TLS secret is provided",
            });
        }
        if (asString(certs.serverCASecret) === "") {
            issues.push({
                path: pointer("spec", "certificates", "serverCASecret"),
                message: "Server CA secret can't be empty when server TLS secret is provided",
            });
        }
    }
    if (asString(certs.replicationTLSSecret) !== "" && asString(certs.clientCASecret) === "") {
        issues.push({
            path: pointer("spec", "certificates", "clientCASecret"),
            message: "Client CA secret can't be empty when client replication secret is provided",
        });
    }
    return issues;
}

/** cluster_webhook.go, validateHibernationAnnotation and validateEphemeralVolumeSource. */
export function validateHibernationAndEphemeral(cluster: unknown): RuleIssue[] {
    const issues: RuleIssue[] = [];
    const annotations = annotationsOf(cluster);
    const hibernation = "cnpg.io/hibernation";
    if (hibernation in annotations && !["on", "off"].includes(asString(annotations[hibernation]))) {
        issues.push({
            path: pointer("metadata", "annotations", hibernation),
            message: 'Annotation value for hibernation should be "on" or "off"',
        });
    }
    const spec = specOf(cluster);
    if (
        isDict(spec.ephemeralVolumeSource) &&
        asDict(spec.ephemeralVolumesSizeLimit).temporaryData !== undefined
    ) {
        issues.push({
            path: pointer("spec", "ephemeralVolumeSource"),
            message:
                "Conflicting settings: provide either ephemeralVolumeSource or ephemeralVolumesSizeLimit.TemporaryData, not both.",
        });
    }
    return issues;
}

/** ClusterCustomValidator.validate (the ported subset, in upstream's order where it matters). */
export function validateCnpgCluster(cluster: unknown): RuleIssue[] {
    if (!shouldValidateCnpgObject(cluster)) return [];
    return [
        validateInitDB,
        validateSecretsAndCerts,
        validateBootstrapMethod,
        validateImageName,
        validateImagePullPolicy,
        validatePrimaryUpdateStrategy,
        validateSyncReplicas,
        validateStorageSizes,
        validateClusterName,
        validateBootstrapSources,
        validateBootstrapRecoveryDataSource,
        validatePostgresParameters,
        validateManagedRoles,
        validateClusterResources,
        validateHibernationAndEphemeral,
    ].flatMap((rule) => rule(cluster));
}
