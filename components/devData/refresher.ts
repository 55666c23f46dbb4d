/**
 * How the clone gets (and re-gets) its data. One script (refresh.sh), shipped in a ConfigMap with the
 * exact Cluster and Backup manifests the stack builds, runs in three ways that share one pod spec:
 * - seed: a Job the stack declares, so the clone exists after the first `pulumi up`;
 * - cadence `on-promotion`: an Argo CD Sync hook of the `<chart>-dev-data` Application, synced by the
 *   `refresh-dev-data` PromotionTask that the dev Stage runs before its chart tasks;
 * - cadence `schedule`: a CronJob in the same minute as the ScheduledBackup.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { StackConfig } from "../config";
import { toFiveFieldCron } from "../core/cron";
import { authorizedStage } from "../core/names";
import type { ConfigMap, CronJob, Job, PodSpec } from "../core/builtins";
import type { Application, PromotionTask } from "../core/generated";
import { ARGO_API, KARGO_API, MANAGED_BY, PATCH_FORCE_ANNOTATION, STAGE_LABEL } from "../core/objects";
import type { PreSteps } from "../core/stage";
import { buildCloneCluster, buildSnapshotBackup } from "./clone";
import {
    COMPONENT_LABEL,
    REFRESH_BACKUP_LABEL,
    REFRESH_TASK_NAME,
    SOURCE_BACKUP_ANNOTATION,
    appCredentialsSecretName,
    cloneNamespace,
    dataApplicationName,
    isClonePlanned,
    refreshBackupPrefix,
    refresherName,
    scheduledBackupName,
    seedBackupName,
    sourceSnapshotName,
} from "./names";

export type RefreshMode = "seed" | "on-demand" | "scheduled";

/** Placeholder the script replaces with the Backup name it generates. */
export const BACKUP_NAME_PLACEHOLDER = "__BACKUP_NAME__";

const SCRIPT_PATH = join(__dirname, "refresh.sh");
const MOUNT = "/refresh";

/** The refresh script as shipped (read once; it is a file so it can be linted and read as shell). */
export function readRefreshScript(): string {
    return readFileSync(SCRIPT_PATH, "utf8");
}

/** Seconds in a Go-style duration (`45m`, `1h30m`, `90s`). */
export function parseDurationSeconds(text: string): number {
    const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)(h|m|s)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
        throw new Error(`"${text}" is not a duration such as 45m or 1h30m`);
    }
    const unit = { h: 3600, m: 60, s: 1 } as const;
    return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2] as keyof typeof unit], 0));
}

/** Value of the ownership label on everything the refresher creates at runtime. */
export function ownerLabelValue(cfg: StackConfig): string {
    return `${cloneNamespace(cfg)}.${cfg.devData.clone.name}`;
}

function labels(cfg: StackConfig): Record<string, string> {
    return { ...MANAGED_BY, ...COMPONENT_LABEL, [REFRESH_BACKUP_LABEL]: ownerLabelValue(cfg) };
}

export function buildRefreshConfigMap(cfg: StackConfig): ConfigMap {
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: refresherName(cfg), namespace: cloneNamespace(cfg), labels: labels(cfg) },
        data: {
            "refresh.sh": readRefreshScript(),
            // The same objects the stack declares: a recreated clone is byte-for-byte what Pulumi manages.
            "cluster.json": JSON.stringify(buildCloneCluster(cfg), null, 2),
            "backup.json": JSON.stringify(buildSnapshotBackup(cfg, BACKUP_NAME_PLACEHOLDER), null, 2),
        },
    };
}

function env(cfg: StackConfig, mode: RefreshMode): { name: string; value: string }[] {
    const { prod, clone, refresh } = cfg.devData;
    const vars: Record<string, string> = {
        MODE: mode,
        PROD_NS: prod.namespace,
        PROD_CLUSTER: prod.clusterName,
        DEV_NS: cloneNamespace(cfg),
        CLONE: clone.name,
        SOURCE_SNAPSHOT: sourceSnapshotName(cfg),
        APP_SECRET: appCredentialsSecretName(cfg),
        OWNER: clone.owner,
        KEEP_BACKUPS: String(refresh.keepBackups),
        TIMEOUT_SECONDS: String(parseDurationSeconds(refresh.timeout)),
        OWNED_LABEL: REFRESH_BACKUP_LABEL,
        SOURCE_ANNOTATION: SOURCE_BACKUP_ANNOTATION,
        BACKUP_PREFIX: refreshBackupPrefix(cfg),
        // Cadence schedule has no seed Backup: the seed binds the ScheduledBackup's immediate one.
        SEED_BACKUP: cfg.devData.refresh.cadence === "on-promotion" ? seedBackupName(cfg) : "",
        SCHEDULED_BACKUP: scheduledBackupName(cfg),
        // kubectl writes its discovery cache under $HOME; the root filesystem is read-only.
        HOME: "/tmp",
    };
    return Object.entries(vars).map(([name, value]) => ({ name, value }));
}

/** The pod every refresh runs in: least privilege, read-only root, bounded memory. */
export function buildRefreshPodSpec(cfg: StackConfig, mode: RefreshMode): PodSpec {
    const refresh = cfg.devData.refresh;
    return {
        serviceAccountName: refresherName(cfg),
        restartPolicy: "Never",
        securityContext: {
            runAsNonRoot: true,
            runAsUser: 65534,
            runAsGroup: 65534,
            seccompProfile: { type: "RuntimeDefault" },
        },
        containers: [
            {
                name: "refresh",
                image: refresh.image,
                command: ["/bin/sh", `${MOUNT}/refresh.sh`],
                env: env(cfg, mode),
                resources: refresh.resources,
                securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                },
                volumeMounts: [
                    { name: "refresh", mountPath: MOUNT, readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                ],
            },
        ],
        volumes: [
            { name: "refresh", configMap: { name: refresherName(cfg) } },
            { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
        ],
    };
}

/** Kubernetes stops a refresh Job this long after it started (the script's own timeout plus slack). */
export function selectRefreshJobDeadlineSeconds(cfg: StackConfig): number {
    return parseDurationSeconds(cfg.devData.refresh.timeout) + 300;
}

/** How much longer than the Job's deadline `pulumi up` waits, so the Job's own failure is what it reports. */
export const SEED_AWAIT_MARGIN_SECONDS = 300;

/**
 * pulumi-kubernetes waits for a Job to complete for 10 minutes unless told otherwise
 * (provider/pkg/await/job.go, `DefaultJobTimeoutMins`, read through `getTimeout`), far less than a seed
 * refresh may take: the create and update timeouts run past the Job's own deadline instead.
 */
export function buildSeedJobTimeouts(cfg: StackConfig): { create: string; update: string } {
    const minutes = Math.ceil((selectRefreshJobDeadlineSeconds(cfg) + SEED_AWAIT_MARGIN_SECONDS) / 60);
    return { create: `${minutes}m`, update: `${minutes}m` };
}

function jobSpec(cfg: StackConfig, mode: RefreshMode): NonNullable<Job["spec"]> {
    return {
        // A failed refresh is reported, not retried blindly: each attempt fences a prod standby.
        backoffLimit: 0,
        activeDeadlineSeconds: selectRefreshJobDeadlineSeconds(cfg),
        template: { metadata: { labels: labels(cfg) }, spec: buildRefreshPodSpec(cfg, mode) },
    };
}

/**
 * Declared with the stack (Pulumi waits for it), before the Cluster: it binds the seed Backup (cadence
 * on-promotion) or the ScheduledBackup's immediate one (cadence schedule) so the clone can bootstrap. It
 * never touches the Cluster (Pulumi creates it next) and does nothing when a source is already bound.
 */
export function buildSeedJob(cfg: StackConfig): Job {
    const mode: RefreshMode = "seed";
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: `${refresherName(cfg)}-seed`, namespace: cloneNamespace(cfg), labels: labels(cfg) },
        spec: jobSpec(cfg, mode),
    };
}

/** Cadence `schedule`: fires in the minute the ScheduledBackup does and waits for its Backup. */
export function buildRefreshCronJob(cfg: StackConfig): CronJob {
    return {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name: refresherName(cfg), namespace: cloneNamespace(cfg), labels: labels(cfg) },
        spec: {
            schedule: toFiveFieldCron(cfg.devData.refresh.schedule),
            timeZone: "Etc/UTC",
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: 600,
            successfulJobsHistoryLimit: 1,
            failedJobsHistoryLimit: 2,
            jobTemplate: { spec: jobSpec(cfg, "scheduled") },
        },
    };
}

/** The refresh Job as an Argo CD Sync hook: it runs on every sync, and a failed Job fails the sync. */
export function buildRefreshHookJob(cfg: StackConfig): Job {
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: {
            name: `${refresherName(cfg)}-promotion`,
            namespace: cloneNamespace(cfg),
            labels: labels(cfg),
            annotations: {
                "argocd.argoproj.io/hook": "Sync",
                "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
            },
        },
        spec: jobSpec(cfg, "on-demand"),
    };
}

/**
 * The Application Kargo syncs to refresh the clone. Its chart only renders the hook Job it is given;
 * no automated sync, so the hook runs exactly when the `refresh-dev-data` task asks.
 */
export function buildDataApplication(cfg: StackConfig): Application {
    const chart = cfg.devData.refresh.hookChart;
    return {
        apiVersion: ARGO_API,
        kind: "Application",
        metadata: {
            name: dataApplicationName(cfg),
            namespace: cfg.argocd.namespace,
            labels: { ...MANAGED_BY, ...COMPONENT_LABEL, [STAGE_LABEL]: "dev" },
            annotations: {
                "kargo.akuity.io/authorized-stage": authorizedStage(cfg.pipeline.project, "dev"),
                // Pulumi owns the hook chart's version (devData.refresh.hookChart.version, moved by Renovate), so
                // it is not ignored. Kargo's argocd-update here names no `sources`, so it writes the Application's
                // own source back unchanged (v1.11.2 pkg/promotion/runner/builtin/argocd_updater.go
                // syncApplication: `app.Spec.Source = desiredSources[0]`, merged into the live spec), which
                // makes it a co-owner of those fields: the next version change takes them back by force.
                [PATCH_FORCE_ANNOTATION]: "true",
            },
        },
        spec: {
            project: cfg.argocd.project,
            source: {
                repoURL: chart.repoURL,
                chart: chart.chart,
                targetRevision: chart.version,
                helm: { valuesObject: { resources: [buildRefreshHookJob(cfg)] } },
            },
            destination: { server: cfg.argocd.destinationServer, namespace: cloneNamespace(cfg) },
            syncPolicy: { syncOptions: [] },
        },
    };
}

/**
 * Written once, as a PromotionTask: sync the data Application and wait for its hook. argocd-update reports
 * Running until the sync operation ends and fails the step (so the Promotion, before any chart is touched)
 * when the hook Job fails.
 */
export function buildRefreshTask(cfg: StackConfig): PromotionTask {
    return {
        apiVersion: KARGO_API,
        kind: "PromotionTask",
        metadata: {
            name: REFRESH_TASK_NAME,
            namespace: cfg.pipeline.project,
            labels: { ...MANAGED_BY, ...COMPONENT_LABEL },
        },
        spec: {
            steps: [
                {
                    uses: "argocd-update",
                    as: "refresh",
                    config: { apps: [{ name: dataApplicationName(cfg), namespace: cfg.argocd.namespace }] },
                    // The snapshot, the restore and the clone's first start take minutes, not seconds.
                    retry: { timeout: cfg.devData.refresh.timeout },
                },
            ],
        },
    };
}

/**
 * Steps the dev Stage runs before its chart tasks: with cadence on-promotion and a clone, refresh it first,
 * so the new version's forward-only migrations run on fresh prod data and verification sees both.
 */
export function buildDevStagePreSteps(cfg: StackConfig): PreSteps {
    if (!isClonePlanned(cfg) || cfg.devData.refresh.cadence !== "on-promotion") return [];
    return [{ task: { name: REFRESH_TASK_NAME }, as: "refresh_dev_data" }];
}
