/**
 * The admission model: the rules Kargo 1.11.2's and CloudNativePG 1.30's validating webhooks apply beyond
 * what their CRDs express, ported one small function per upstream rule (each cites its file). Input is
 * plain objects, as a synth or a YAML file has them; output is one issue per problem.
 *
 * Rules that read cluster state run only with a context, whose objects stand for the cluster.
 */
import { validateBackup } from "./backup";
import type { AdmissionContext } from "./cluster";
import { validateCnpgCluster } from "./cnpgCluster";
import {
    CNPG_API_VERSION,
    KARGO_API_VERSION,
    apiVersionOf,
    describeObject,
    kindOf,
    type AdmissionIssue,
    type RuleIssue,
} from "./objects";
import { validateProject } from "./project";
import { validateProjectConfig } from "./projectConfig";
import { validateClusterPromotionTask, validatePromotionTask } from "./promotionTask";
import { validateScheduledBackup } from "./scheduledBackup";
import { validateStage } from "./stage";
import { validateWarehouse } from "./warehouse";

export type { AdmissionContext } from "./cluster";
export type { AdmissionIssue } from "./objects";

type Webhook = (obj: unknown, ctx?: AdmissionContext) => RuleIssue[];

/** The validating webhooks modelled, by `apiVersion:kind`. */
const WEBHOOKS: ReadonlyMap<string, Webhook> = new Map<string, Webhook>([
    [`${KARGO_API_VERSION}:Project`, validateProject],
    [`${KARGO_API_VERSION}:ProjectConfig`, validateProjectConfig],
    [`${KARGO_API_VERSION}:Warehouse`, validateWarehouse],
    [`${KARGO_API_VERSION}:Stage`, validateStage],
    [`${KARGO_API_VERSION}:PromotionTask`, validatePromotionTask],
    [`${KARGO_API_VERSION}:ClusterPromotionTask`, (obj) => validateClusterPromotionTask(obj)],
    [`${CNPG_API_VERSION}:Cluster`, (obj) => validateCnpgCluster(obj)],
    [`${CNPG_API_VERSION}:Backup`, validateBackup],
    [`${CNPG_API_VERSION}:ScheduledBackup`, validateScheduledBackup],
]);

/** Whether a webhook is modelled for this object's kind. */
export function hasAdmissionModel(obj: unknown): boolean {
    return WEBHOOKS.has(`${apiVersionOf(obj)}:${kindOf(obj)}`);
}

/** What the modelled webhook would refuse in `obj` on create; [] for kinds without a model. */
export function validateAdmission(obj: unknown, ctx?: AdmissionContext): AdmissionIssue[] {
    const webhook = WEBHOOKS.get(`${apiVersionOf(obj)}:${kindOf(obj)}`);
    if (!webhook) return [];
    const object = describeObject(obj);
    return webhook(obj, ctx).map((i) => ({ object, ...i }));
}

/** Every object declared together, each admitted against the others as the cluster. */
export function validateAdmissionAll(
    objects: readonly unknown[],
    options: Omit<AdmissionContext, "objects"> = {},
): AdmissionIssue[] {
    const ctx: AdmissionContext = { ...options, objects };
    return objects.flatMap((o) => validateAdmission(o, ctx));
}
