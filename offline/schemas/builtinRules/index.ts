/**
 * The API server's validation of built-in kinds beyond their OpenAPI schema (the `Validate…` functions of
 * Kubernetes' pkg/apis/<group>/validation, run on create after defaulting): what the stacks declare.
 */
import { validateAdmissionPolicy } from "./admissionPolicies";
import type { Obj, RuleIssue } from "./common";
import { validatePodTemplate } from "./pods";
import { validateRbacObject } from "./rbac";

export type { RuleIssue } from "./common";

/** Every rule problem of a built-in object; [] for kinds without modelled rules. */
export function validateBuiltinRules(obj: Obj): RuleIssue[] {
    return [...validateRbacObject(obj), ...validatePodTemplate(obj), ...validateAdmissionPolicy(obj)];
}
