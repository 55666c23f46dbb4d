import { validateBackup } from "../../../offline/admission/backup";
import { validateScheduledBackup } from "../../../offline/admission/scheduledBackup";
import { cnpg, describeRule } from "./helpers";

const backup = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
    cnpg("Backup", "seed", { cluster: { name: "db" }, ...spec }, metadata);
const scheduled = (spec: Record<string, unknown>) =>
    cnpg("ScheduledBackup", "nightly", {
        cluster: { name: "db" },
        schedule: "0 0 3 * * *",
        method: "volumeSnapshot",
        ...spec,
    });
const snapshotCluster = cnpg("Cluster", "db", {
    instances: 1,
    storage: { size: "1Gi" },
    backup: { volumeSnapshot: { className: "csi" } },
});
const plainCluster = cnpg("Cluster", "db", { instances: 1, storage: { size: "1Gi" } });

describeRule("CNPG Backup (backup_webhook.go, validate)", validateBackup, [
    {
        name: "'online' on a barmanObjectStore backup (the CRD's default method)",
        rejects: backup({ online: false }),
        path: "/spec/online",
        message: "Online parameter can be specified only if the backup method is volumeSnapshot",
        accepts: backup({ method: "volumeSnapshot", online: false }),
    },
    {
        name: "onlineConfiguration on a barmanObjectStore backup",
        rejects: backup({ method: "barmanObjectStore", onlineConfiguration: { immediateCheckpoint: true } }),
        path: "/spec/onlineConfiguration",
        message: "OnlineConfiguration parameter can be specified only if the backup method is volumeSnapshot",
        accepts: backup({ method: "volumeSnapshot", onlineConfiguration: { immediateCheckpoint: true } }),
    },
    {
        name: "a plugin backup without a plugin",
        rejects: backup({ method: "plugin" }),
        path: "/spec/pluginConfiguration",
        message: "cannot be empty when the backup method is plugin",
        accepts: backup({
            method: "plugin",
            pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" },
        }),
    },
    {
        name: "a snapshot deadline that is not an integer",
        rejects: backup(
            { method: "volumeSnapshot" },
            { annotations: { "cnpg.io/volumeSnapshotDeadline": "30m" } },
        ),
        path: "/metadata/annotations/cnpg.io~1volumeSnapshotDeadline",
        message: "must be an integer",
        accepts: backup(
            { method: "volumeSnapshot" },
            { annotations: { "cnpg.io/volumeSnapshotDeadline": "30" } },
        ),
    },
    {
        name: "a volumeSnapshot backup on a cluster without the VolumeSnapshot CRD",
        rejects: backup({ method: "volumeSnapshot" }),
        path: "/spec/method",
        message: /^Cannot use volumeSnapshot backup method due to missing VolumeSnapshot CRD/,
        accepts: backup({ method: "barmanObjectStore" }),
        ctx: { objects: [], volumeSnapshotCrd: false },
    },
]);

describeRule(
    "CNPG Backup: the controller's volumeSnapshot prerequisite (backup_controller.go)",
    validateBackup,
    [
        {
            name: "a volumeSnapshot backup of a declared Cluster with no volumeSnapshot section",
            rejects: backup({ method: "volumeSnapshot", cluster: { name: "db" } }),
            path: "/spec/cluster/name",
            message: /^no volumeSnapshot section defined on the target cluster "db"/,
            accepts: backup({ method: "volumeSnapshot", cluster: { name: "db2" } }),
            ctx: {
                objects: [plainCluster, { ...snapshotCluster, metadata: { name: "db2", namespace: "db" } }],
            },
        },
    ],
);

describeRule("CNPG ScheduledBackup (scheduledbackup_webhook.go, validate)", validateScheduledBackup, [
    {
        name: "a schedule robfig/cron cannot parse",
        rejects: scheduled({ schedule: "0 0 25 * * *" }),
        path: "/spec/schedule",
        message: "End of range (25) above maximum (23): 25",
        accepts: scheduled({ schedule: "0 0 23 * * *" }),
    },
    {
        name: "a five-field crontab schedule (parsed with seconds first; upstream warns)",
        rejects: scheduled({ schedule: "0 3 * * *" }),
        path: "/spec/schedule",
        message: /^Schedule parameter may not have the right number of arguments/,
        accepts: scheduled({ schedule: "0 0 3 * * *" }),
    },
    {
        name: "'online' with the barmanObjectStore method",
        rejects: scheduled({ method: "barmanObjectStore", online: true, immediate: true }),
        path: "/spec/online",
        message: "Online parameter can be specified only if the method is volumeSnapshot",
        accepts: scheduled({ online: true, immediate: true }),
    },
    {
        name: "a volumeSnapshot schedule without the VolumeSnapshot CRD",
        rejects: scheduled({}),
        path: "/spec/method",
        message: /missing VolumeSnapshot CRD/,
        accepts: scheduled({ method: "barmanObjectStore" }),
        ctx: { objects: [], volumeSnapshotCrd: false },
    },
]);
