/**
 * CloudNativePG 1.30's Backup validating webhook (internal/webhook/v1/backup_webhook.go,
 * BackupCustomValidator.validate), on the object after the CRD's defaults (`method: barmanObjectStore`).
 */
import { findDeclared, type AdmissionContext } from "./cluster";
import { shouldValidateCnpgObject } from "./cnpgBypass";
import {
    annotationsOf,
    asDict,
    asString,
    isDict,
    namespaceOf,
    pointer,
    quote,
    specOf,
    type RuleIssue,
} from "./objects";

export const VOLUME_SNAPSHOT_DEADLINE = "cnpg.io/volumeSnapshotDeadline";

export const MISSING_VOLUME_SNAPSHOT_CRD =
    "Cannot use volumeSnapshot backup method due to missing VolumeSnapshot CRD. If you installed the CRD " +
    "after having started the operator, please restart it to enable VolumeSnapshot support";

/** The backup method once the CRD default applied. */
export function backupMethodOf(obj: unknown): string {
    return asString(specOf(obj).method) || "barmanObjectStore";
}

/**
 * backup_webhook.go, validate: the volumeSnapshot method needs the VolumeSnapshot CRD (known only from a
 * context that says so); `online`/`onlineConfiguration` are for volumeSnapshot only; the plugin method
 * needs a plugin configuration.
 */
export function validateBackupMethod(backup: unknown, ctx?: AdmissionContext): RuleIssue[] {
    const spec = specOf(backup);
    const method = backupMethodOf(backup);
    const issues: RuleIssue[] = [];
    if (method === "volumeSnapshot" && ctx?.volumeSnapshotCrd === false) {
        issues.push({ path: pointer("spec", "method"), message: MISSING_VOLUME_SNAPSHOT_CRD });
    }
    if (method === "barmanObjectStore" && spec.online !== undefined && spec.online !== null) {
        issues.push({
            path: pointer("spec", "online"),
            message: "Online parameter can be specified only if the backup method is volumeSnapshot",
        });
    }
    if (method === "barmanObjectStore" && isDict(spec.onlineConfiguration)) {
        issues.push({
            path: pointer("spec", "onlineConfiguration"),
            message:
                "OnlineConfiguration parameter can be specified only if the backup method is volumeSnapshot",
        });
    }
    // api/v1 BackupPluginConfiguration.IsEmpty: no plugin name.
    if (method === "plugin" && asString(asDict(spec.pluginConfiguration).name) === "") {
        issues.push({
            path: pointer("spec", "pluginConfiguration"),
            message: "cannot be empty when the backup method is plugin",
        });
    }
    return issues;
}

/** backup_webhook.go, validate: the snapshot deadline annotation is a Go integer (strconv.Atoi). */
export function validateVolumeSnapshotDeadline(backup: unknown): RuleIssue[] {
    const value = asString(annotationsOf(backup)[VOLUME_SNAPSHOT_DEADLINE]);
    if (value === "" || /^[+-]?\d+$/.test(value)) return [];
    return [
        { path: pointer("metadata", "annotations", VOLUME_SNAPSHOT_DEADLINE), message: "must be an integer" },
    ];
}

/**
 * Not admission: the Backup controller's prerequisite (internal/controller/backup_controller.go), checked
 * here when the target Cluster is declared alongside, because a volumeSnapshot Backup of a Cluster without
 * `spec.backup.volumeSnapshot` is admitted and then never runs.
 */
export function validateVolumeSnapshotTarget(backup: unknown, ctx: AdmissionContext): RuleIssue[] {
    if (backupMethodOf(backup) !== "volumeSnapshot") return [];
    const clusterName = asString(asDict(specOf(backup).cluster).name);
    const cluster = findDeclared(ctx, "Cluster", clusterName, namespaceOf(backup));
    if (cluster === undefined) return [];
    if (isDict(asDict(specOf(cluster).backup).volumeSnapshot)) return [];
    return [
        {
            path: pointer("spec", "cluster", "name"),
            message: `no volumeSnapshot section defined on the target cluster ${quote(clusterName)} (the Backup controller would never take it)`,
        },
    ];
}

export function validateBackup(backup: unknown, ctx?: AdmissionContext): RuleIssue[] {
    if (!shouldValidateCnpgObject(backup)) return [];
    return [
        ...validateBackupMethod(backup, ctx),
        ...validateVolumeSnapshotDeadline(backup),
        ...(ctx ? validateVolumeSnapshotTarget(backup, ctx) : []),
    ];
}
