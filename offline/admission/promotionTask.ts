/**
 * Kargo 1.11.2's PromotionTask and ClusterPromotionTask validating webhooks
 * (pkg/webhook/kubernetes/promotiontask/webhook.go and clusterpromotiontask/webhook.go): both run
 * ValidatePromotionSteps on `spec.steps`; only the namespaced kind checks its project.
 */
import { validateProjectNamespace, type AdmissionContext } from "./cluster";
import { namespaceOf, specOf, type RuleIssue } from "./objects";
import { validatePromotionSteps } from "./promotionSteps";

/** promotiontask/webhook.go, ValidateCreate (validateProjectFn + validateSpec). */
export function validatePromotionTask(task: unknown, ctx?: AdmissionContext): RuleIssue[] {
    const project = ctx ? validateProjectNamespace(namespaceOf(task), ctx) : [];
    return [...project, ...validatePromotionSteps(specOf(task).steps, ["spec", "steps"])];
}

/** clusterpromotiontask/webhook.go, ValidateCreate → validateSpec (cluster-scoped: no project). */
export function validateClusterPromotionTask(task: unknown): RuleIssue[] {
    return validatePromotionSteps(specOf(task).steps, ["spec", "steps"]);
}
