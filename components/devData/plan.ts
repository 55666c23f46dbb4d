/**
 * Every object of the dev data plane for a configuration, grouped in creation order. Empty when the dev
 * stage runs `monolith-public` only (no write data plane, ADR 009 open question 3) or there is no dev stage.
 */
import type { StackConfig } from "../config";
import type {
    ConfigMap,
    CronJob,
    Job,
    Namespace,
    NetworkPolicy,
    ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding,
} from "../core/builtins";
import type { StackObject } from "../core/declare";
import type { Application, Cluster, PromotionTask } from "../core/generated";
import { buildCloneCluster } from "./clone";
import {
    buildDenyProdEgressPolicy,
    buildDevNamespace,
    buildRefresherRbac,
    type RefresherRbacObject,
} from "./isolation";
import { buildRefresherAdmissionBinding, buildRefresherAdmissionPolicy } from "./admission";
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
    readonly namespace?: Namespace;
    /**
     * NetworkPolicy, ServiceAccount, Roles and bindings, the admission policy that narrows them, ConfigMap:
     * in place before any pod runs.
     */
    readonly isolation: readonly (
        | NetworkPolicy
        | RefresherRbacObject
        | ValidatingAdmissionPolicy
        | ValidatingAdmissionPolicyBinding
        | ConfigMap
    )[];
    /**
     * The Job that takes and binds the first snapshot, then clears prod's verifiers in the clone. Declared
     * beside the Cluster, not before it: it waits for the clone to be Ready (refresh.sh, step 6).
     */
    readonly seedJob?: Job;
    /** Held by CloudNativePG until the seed Job has bound its source snapshot; Pulumi awaits it Ready. */
    readonly cluster?: Cluster;
    /** What refreshes the clone later: the CronJob, or the hook Application and its PromotionTask. */
    readonly refresh: readonly (Application | PromotionTask | CronJob)[];
}

const EMPTY: DevDataPlan = { isolation: [], refresh: [] };

export function buildDevDataPlan(cfg: StackConfig): DevDataPlan {
    if (!isClonePlanned(cfg)) return EMPTY;
    const onPromotion = cfg.devData.refresh.cadence === "on-promotion";
    return {
        namespace: buildDevNamespace(cfg),
        isolation: [
            buildDenyProdEgressPolicy(cfg),
            ...buildRefresherRbac(cfg),
            buildRefresherAdmissionPolicy(cfg),
            buildRefresherAdmissionBinding(cfg),
            buildRefreshConfigMap(cfg),
        ],
        seedJob: buildSeedJob(cfg),
        cluster: buildCloneCluster(cfg),
        refresh: onPromotion
            ? [buildDataApplication(cfg), buildRefreshTask(cfg)]
            : [buildRefreshCronJob(cfg)],
    };
}

/** The plan as one list, in creation order (tests and the budget read it this way). */
export function listDevDataObjects(plan: DevDataPlan): StackObject[] {
    return [
        ...(plan.namespace ? [plan.namespace] : []),
        ...plan.isolation,
        ...(plan.seedJob ? [plan.seedJob] : []),
        ...(plan.cluster ? [plan.cluster] : []),
        ...plan.refresh,
    ];
}
