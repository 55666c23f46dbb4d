/**
 * CloudNativePG 1.30's ScheduledBackup validating webhook (internal/webhook/v1/scheduledbackup_webhook.go,
 * ScheduledBackupCustomValidator.validate). Registered without the bypass annotation.
 */
import { MISSING_VOLUME_SNAPSHOT_CRD, backupMethodOf, validateVolumeSnapshotTarget } from "./backup";
import type { AdmissionContext } from "./cluster";
import { describeCronParseError } from "./cron";
import { asString, isDict, pointer, specOf, type RuleIssue } from "./objects";

/**
 * scheduledbackup_webhook.go, validate: `spec.schedule` must parse with robfig/cron v1 (`cron.Parse`,
 * seconds first). A five-field schedule parses (day of week is optional) and upstream only warns; here it
 * is an error too, because it silently means "second S of minute M" instead of crontab's "minute M of
 * hour H" — the mistake a reviewer would never spot.
 */
export function validateSchedule(scheduled: unknown): RuleIssue[] {
    const schedule = asString(specOf(scheduled).schedule);
    const problem = describeCronParseError(schedule);
    if (problem !== undefined) return [{ path: pointer("spec", "schedule"), message: problem }];
    if (!schedule.startsWith("@") && schedule.trim().split(/\s+/).length !== 6) {
        return [
            {
                path: pointer("spec", "schedule"),
                message:
                    "Schedule parameter may not have the right number of arguments (usually six arguments are needed) " +
                    "(an upstream warning, an error here: the first of five fields is read as seconds)",
            },
        ];
    }
    return [];
}

/** scheduledbackup_webhook.go, validate: the same method rules as a Backup (wording: "the method"). */
export function validateScheduledBackupMethod(scheduled: unknown, ctx?: AdmissionContext): RuleIssue[] {
    const spec = specOf(scheduled);
    const method = backupMethodOf(scheduled);
    const issues: RuleIssue[] = [];
    if (method === "volumeSnapshot" && ctx?.volumeSnapshotCrd === false) {
        issues.push({ path: pointer("spec", "method"), message: MISSING_VOLUME_SNAPSHOT_CRD });
    }
    if (method === "barmanObjectStore" && spec.online !== undefined && spec.online !== null) {
        issues.push({
            path: pointer("spec", "online"),
            message: "Online parameter can be specified only if the method is volumeSnapshot",
        });
    }
    if (method === "barmanObjectStore" && isDict(spec.onlineConfiguration)) {
        issues.push({
            path: pointer("spec", "onlineConfiguration"),
            message: "OnlineConfiguration parameter can be specified only if the method is volumeSnapshot",
        });
    }
    return issues;
}

export function validateScheduledBackup(scheduled: unknown, ctx?: AdmissionContext): RuleIssue[] {
    return [
        ...validateSchedule(scheduled),
        ...validateScheduledBackupMethod(scheduled, ctx),
        ...(ctx ? validateVolumeSnapshotTarget(scheduled, ctx) : []),
    ];
}
