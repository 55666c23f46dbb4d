/**
 * Names of the dev data plane's objects, decided once so the builders, the refresh script and the tests
 * cannot disagree.
 */
import type { StackConfig } from "../config";
import { isCloneProvisioned } from "../config/devCharts";
import type { ChartConfig } from "../config/pipeline";
import { applicationName, devCloneBackupPrefix, workloadNamespace } from "../core/names";

/** Label on everything the dev data plane declares or creates at runtime. */
export const COMPONENT_LABEL = { "app.kubernetes.io/component": "dev-data-plane" };

/** Label the refresher puts on the Backups it creates, so it prunes only its own. */
export const REFRESH_BACKUP_LABEL = "release-pipeline.acme.dev/dev-clone-source";

/** Annotation on the dev VolumeSnapshot recording which prod Backup it was bound from. */
export const SOURCE_BACKUP_ANNOTATION = "release-pipeline.acme.dev/source-backup";

export const SNAPSHOT_API_GROUP = "snapshot.storage.k8s.io";

/** The chart whose database is cloned (config `devData.prod.chart`). */
export function selectDataChart(cfg: StackConfig): ChartConfig {
    const chart = cfg.charts.find((c) => c.name === cfg.devData.prod.chart);
    // index.ts rejects a prod.chart that names no chart before any builder runs.
    if (!chart) throw new Error(`devData.prod.chart "${cfg.devData.prod.chart}" names no configured chart`);
    return chart;
}

/**
 * ADR 009 open question 3: the clone exists only when the dev stage runs the cloned chart
 * (`pipeline.devCharts` includes `devData.prod.chart`); otherwise there is no write data plane to reproduce.
 */
export function isClonePlanned(cfg: StackConfig): boolean {
    return isCloneProvisioned(cfg);
}

/** Namespace of the clone: the cloned chart's dev namespace, next to the workload that uses it. */
export function cloneNamespace(cfg: StackConfig): string {
    return workloadNamespace("dev", selectDataChart(cfg));
}

/** Value of {@link REFRESH_BACKUP_LABEL} on everything the refresher creates at runtime. */
export function ownerLabelValue(cfg: StackConfig): string {
    return `${cloneNamespace(cfg)}.${cfg.devData.clone.name}`;
}

/** The VolumeSnapshot in the dev namespace the clone bootstraps from; rebound on every refresh. */
export function sourceSnapshotName(cfg: StackConfig): string {
    return `${cfg.devData.clone.name}-source`;
}

/** basic-auth Secret with the clone's application password, generated in-cluster on first refresh. */
export function appCredentialsSecretName(cfg: StackConfig): string {
    return `${cfg.devData.clone.name}-app-credentials`;
}

export function refresherName(cfg: StackConfig): string {
    return `${cfg.devData.clone.name}-refresh`;
}

/** Argo CD Application whose Sync hook is the refresh Job (cadence on-promotion). */
export function dataApplicationName(cfg: StackConfig): string {
    return applicationName("dev", { name: `${selectDataChart(cfg).name}-data` });
}

/**
 * Prefix of the Backups the refresher creates in the prod namespace (`<prefix>-<UTC timestamp>`). Every
 * snapshot Backup taken for the clone is the refresher's: the stack declares none (see refresh.sh step 1).
 */
export function refreshBackupPrefix(cfg: StackConfig): string {
    return devCloneBackupPrefix(cfg.devData.prod.clusterName);
}

/**
 * The server-side-apply field manager of the clone Cluster, for Pulumi (annotation
 * `pulumi.com/patchFieldManager`) and for the refresher that recreates the Cluster (`kubectl apply
 * --server-side --field-manager`): whoever wrote it last, the other finds every field under its own name.
 */
export const CLONE_FIELD_MANAGER = "release-pipeline-dev-clone";

/** The PromotionTask the dev Stage runs before its chart tasks (cadence on-promotion). */
export const REFRESH_TASK_NAME = "refresh-dev-data";
