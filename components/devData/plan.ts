/**
 * Every object of the dev data plane for a configuration, grouped in creation order. Empty when the dev
 * stage runs `monolith-public` only (no write data plane, ADR 009 open question 3) or there is no dev stage.
 */
import type { StackConfig } from "../config";
import type { K8sObject } from "../core/objects";
import { buildCloneCluster, buildScheduledBackup, buildSeedBackup } from "./clone";
import { buildDenyProdEgressPolicy, buildDevNamespace, buildRefresherRbac } from "./isolation";
import { isClonePlanned } from "./names";
import {
    buildDataApplication,
    buildRefreshConfigMap,
    buildRefreshCronJob,
    buildRefreshTask,
    buildSeedJob,
} from "./refresher";

export interface DevDataPlan {
    /** The dev namespace, before anything else lands in it. */
    readonly namespace?: K8sObject;
    /** NetworkPolicy, ServiceAccount, Roles and bindings, ConfigMap: in place before any pod runs. */
    readonly isolation: readonly K8sObject[];
    /** In prod's namespace: the seed Backup (on-promotion) or the ScheduledBackup (schedule). */
    readonly snapshots: readonly K8sObject[];
    /** The Job that binds the first snapshot; the clone waits for it. */
    readonly seedJob?: K8sObject;
    readonly cluster?: K8sObject;
    /** What refreshes the clone later: the CronJob, or the hook Application and its PromotionTask. */
    readonly refresh: readonly K8sObject[];
}

const EMPTY: DevDataPlan = { isolation: [], snapshots: [], refresh: [] };

export function buildDevDataPlan(cfg: StackConfig): DevDataPlan {
    if (!isClonePlanned(cfg)) return EMPTY;
    const onPromotion = cfg.devData.refresh.cadence === "on-promotion";
    return {
        namespace: buildDevNamespace(cfg),
        isolation: [buildDenyProdEgressPolicy(cfg), ...buildRefresherRbac(cfg), buildRefreshConfigMap(cfg)],
        snapshots: [onPromotion ? buildSeedBackup(cfg) : buildScheduledBackup(cfg)],
        seedJob: buildSeedJob(cfg),
        cluster: buildCloneCluster(cfg),
        refresh: onPromotion
            ? [buildDataApplication(cfg), buildRefreshTask(cfg)]
            : [buildRefreshCronJob(cfg)],
    };
}

/** The plan as one list, in creation order (tests and the budget read it this way). */
export function listDevDataObjects(plan: DevDataPlan): K8sObject[] {
    return [
        ...(plan.namespace ? [plan.namespace] : []),
        ...plan.isolation,
        ...plan.snapshots,
        ...(plan.seedJob ? [plan.seedJob] : []),
        ...(plan.cluster ? [plan.cluster] : []),
        ...plan.refresh,
    ];
}
