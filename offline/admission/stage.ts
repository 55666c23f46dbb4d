/**
 * Kargo 1.11.2's Stage validating webhook (pkg/webhook/kubernetes/stage/webhook.go, ValidateCreate →
 * validateProjectFn + validateSpec).
 */
import { validateProjectNamespace, type AdmissionContext } from "./cluster";
import { asArray, asDict, asString, isDict, namespaceOf, pointer, specOf, type RuleIssue } from "./objects";
import { validatePromotionSteps } from "./promotionSteps";

const STEPS = ["spec", "promotionTemplate", "spec", "steps"] as const;

/** `FreightOrigin.String()` (api/v1alpha1/stage_types.go): `Kind/Name`. */
function originKey(request: unknown): string {
    const origin = asDict(asDict(request).origin);
    return `${asString(origin.kind)}/${asString(origin.name)}`;
}

/**
 * stage/webhook.go, validateRequestedFreight: the same origin may not be requested twice (one error per
 * origin, at the list), and each request's sources pass validateFreightSources.
 */
export function validateRequestedFreight(requests: unknown): RuleIssue[] {
    const issues: RuleIssue[] = [];
    const seen = new Set<string>();
    const errored = new Set<string>();
    asArray(requests).forEach((request, i) => {
        const key = originKey(request);
        if (seen.has(key) && !errored.has(key)) {
            issues.push({
                path: pointer("spec", "requestedFreight"),
                message: `freight with origin ${key} requested multiple times in spec.requestedFreight`,
            });
            errored.add(key);
        }
        issues.push(...validateFreightSources(asDict(request).sources, i));
        seen.add(key);
    });
    return issues;
}

/**
 * stage/webhook.go, validateFreightSources: the MatchUpstream auto-promotion selection policy needs
 * exactly one upstream Stage and no direct source.
 */
export function validateFreightSources(sources: unknown, index: number): RuleIssue[] {
    const s = asDict(sources);
    if (asString(asDict(s.autoPromotionOptions).selectionPolicy) !== "MatchUpstream") return [];
    const path = pointer(
        "spec",
        "requestedFreight",
        index,
        "sources",
        "autoPromotionOptions",
        "selectionPolicy",
    );
    const issues: RuleIssue[] = [];
    if (s.direct === true) {
        issues.push({
            path,
            message:
                "selection policy 'MatchUpstream' cannot be used when accepting Freight directly from its origin",
        });
    }
    if (asArray(s.stages).length !== 1) {
        issues.push({
            path,
            message: "selection policy 'MatchUpstream' requires exactly one upstream Stage to be specified",
        });
    }
    return issues;
}

/**
 * stage/webhook.go, validatePromotionStepTaskRefs: a step that references a task may carry neither `if`
 * nor `config` (Kargo inflates the task's own steps in its place, so both would be silently lost).
 */
export function validatePromotionStepTaskRefs(steps: unknown): RuleIssue[] {
    const issues: RuleIssue[] = [];
    asArray(steps).forEach((raw, i) => {
        const step = asDict(raw);
        if (!isDict(step.task)) return;
        if (asString(step.if) !== "") {
            issues.push({
                path: pointer(...STEPS, i, "if"),
                message: "PromotionTemplate step referencing a task cannot have an 'if' condition",
            });
        }
        // Go decodes `config: null` to a nil pointer too, so only a present, non-null config counts.
        if (step.config !== undefined && step.config !== null) {
            issues.push({
                path: pointer(...STEPS, i, "config"),
                message: "PromotionTemplate step referencing a task cannot have a config",
            });
        }
    });
    return issues;
}

/** stage/webhook.go, validateSpec. */
export function validateStageSpec(stage: unknown): RuleIssue[] {
    const spec = specOf(stage);
    const issues = validateRequestedFreight(spec.requestedFreight);
    if (!isDict(spec.promotionTemplate)) return issues;
    const steps = asDict(asDict(spec.promotionTemplate).spec).steps;
    return [...issues, ...validatePromotionSteps(steps, STEPS), ...validatePromotionStepTaskRefs(steps)];
}

/** stage/webhook.go, ValidateCreate: the project check needs a context (the cluster), the spec does not. */
export function validateStage(stage: unknown, ctx?: AdmissionContext): RuleIssue[] {
    const project = ctx ? validateProjectNamespace(namespaceOf(stage), ctx) : [];
    return [...project, ...validateStageSpec(stage)];
}
