/**
 * How the clone gets (and re-gets) its data. One script (refresh.sh), shipped in a ConfigMap with the
 * exact Cluster and Backup manifests the stack builds, runs in three ways that share one pod spec:
 * - seed: a Job the stack declares, so the clone exists after the first `pulumi up`;
 * - cadence `on-promotion`: an Argo CD Sync hook of the `<chart>-dev-data` Application, synced by the
 *   `refresh-dev-data` PromotionTask that the dev Stage runs before its chart tasks;
 * - cadence `schedule`: a CronJob at `devData.refresh.schedule`.
 * In every mode the script itself creates the snapshot Backup of prod, after checking prod's live Cluster.
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
import { parseQuantity } from "../core/quantity";
import { buildCloneCluster, buildSnapshotBackup } from "./clone";
import {
    CLONE_FIELD_MANAGER,
    COMPONENT_LABEL,
    REFRESH_BACKUP_LABEL,
    REFRESH_TASK_NAME,
    SOURCE_BACKUP_ANNOTATION,
    appCredentialsSecretName,
    cloneNamespace,
    dataApplicationName,
    isClonePlanned,
    ownerLabelValue,
    refreshBackupPrefix,
    refresherName,
    sourceSnapshotName,
} from "./names";
import {
    formatDuration,
    selectJobDeadlineSeconds,
    selectOuterWaitSeconds,
    selectScriptSeconds,
} from "./timing";

export type RefreshMode = "seed" | "on-demand" | "scheduled";

/** Placeholder the script replaces with the Backup name it generates. */
export const BACKUP_NAME_PLACEHOLDER = "__BACKUP_NAME__";

const SCRIPT_PATH = join(__dirname, "refresh.sh");
const MOUNT = "/refresh";

/** The refresh script as shipped (read once; it is a file so it can be linted and read as shell). */
export function readRefreshScript(): string {
    return readFileSync(SCRIPT_PATH, "utf8");
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
        TIMEOUT_SECONDS: String(selectScriptSeconds(cfg)),
        OWNED_LABEL: REFRESH_BACKUP_LABEL,
        SOURCE_ANNOTATION: SOURCE_BACKUP_ANNOTATION,
        BACKUP_PREFIX: refreshBackupPrefix(cfg),
        // The clone's volume, compared with the snapshot's restoreSize before the old clone is deleted.
        CLONE_SIZE_BYTES: String(parseQuantity(clone.size)),
        // Recreated under the manager Pulumi applies as (clone.ts, buildClonePulumiAnnotations).
        FIELD_MANAGER: CLONE_FIELD_MANAGER,
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

/**
 * pulumi-kubernetes waits for a Job to complete for 10 minutes unless told otherwise
 * (provider/pkg/await/job.go, `DefaultJobTimeoutMins`, read through `getTimeout`), far less than a seed
 * refresh may take. The create and update timeouts are the outer clock of timing.ts (the Job's deadline plus
 * a margin), the same value as the seed Job's and the clone's `pulumi.com/timeoutSeconds`, so the Job's own
 * failure is what `pulumi up` reports; recorded in resources.json, where the synth checks them.
 */
export function buildSeedJobTimeouts(cfg: StackConfig): { create: string; update: string } {
    const awaited = formatDuration(selectOuterWaitSeconds(cfg));
    return { create: awaited, update: awaited };
}

function jobSpec(cfg: StackConfig, mode: RefreshMode): NonNullable<Job["spec"]> {
    return {
        // A failed refresh is reported, not retried blindly: each attempt fences a prod standby.
        backoffLimit: 0,
        activeDeadlineSeconds: selectJobDeadlineSeconds(cfg),
        template: { metadata: { labels: labels(cfg) }, spec: buildRefreshPodSpec(cfg, mode) },
    };
}

/**
 * Declared with the stack (Pulumi waits for it) beside the Cluster, which Pulumi creates at the same time
 * and CloudNativePG holds until its source snapshot exists (`VerifyDataSourceCoherence` requeues, in
 * internal/controller/cluster_create.go, v1.30.0). The Job takes a snapshot Backup of prod (after the
 * standby check), binds it, waits for the clone to be Ready and clears prod's password verifiers in it. It
 * never creates or deletes the Cluster (Pulumi's); when a source is already bound it only re-clears.
 *
 * `pulumi.com/replaceUnready`: a seed Job that failed (a failed Backup, no ready standby) is replaced on
 * the next `pulumi up` and runs again with a new Backup, instead of staying failed in the state
 * (pulumi-kubernetes provider.go, Diff: a Job that is not Ready is replaced). Pulumi waits for it as long
 * as for the clone (`pulumi.com/timeoutSeconds`, timing.ts), past the Job's own deadline.
 */
export function buildSeedJob(cfg: StackConfig): Job {
    const mode: RefreshMode = "seed";
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: {
            name: `${refresherName(cfg)}-seed`,
            namespace: cloneNamespace(cfg),
            labels: labels(cfg),
            annotations: {
                "pulumi.com/replaceUnready": "true",
                // pulumi-kubernetes waits 10 minutes for a Job by default (await/job.go, DefaultJobTimeoutMins);
                // a seed still running then would be replaced (killed) by the next `pulumi up`.
                "pulumi.com/timeoutSeconds": String(selectOuterWaitSeconds(cfg)),
            },
        },
        spec: jobSpec(cfg, mode),
    };
}

/** Cadence `schedule`: each run takes its own snapshot Backup (after the standby check) and refreshes. */
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
                    // Kargo counts from the step's start, before the hook Job even exists: the Job's
                    // deadline plus a margin, so the Job fails (with the script's reason) first (timing.ts).
                    retry: { timeout: formatDuration(selectOuterWaitSeconds(cfg)) },
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
