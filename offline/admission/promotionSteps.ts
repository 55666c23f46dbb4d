/** Rules shared by every Kargo kind that carries promotion steps. */
import { asArray, asDict, asString, pointer, type RuleIssue } from "./objects";

/** `promotion.ReservedStepAliasRegex` (pkg/promotion/local_engine.go): Kargo names unaliased steps so. */
export const RESERVED_STEP_ALIAS = /^(step|task)-\d+$/;

/** Go's strings.TrimSpace on ASCII and Unicode space. */
function trimSpace(value: string): string {
    return value.trim();
}

/**
 * pkg/webhook/kubernetes/promotion_steps.go, ValidatePromotionSteps: step aliases (`as`, trimmed) are
 * unique within the list, and none looks like the alias Kargo gives an unaliased step.
 * `base` is the pointer of the steps list.
 */
export function validatePromotionSteps(steps: unknown, base: readonly string[]): RuleIssue[] {
    const issues: RuleIssue[] = [];
    const indicesByAlias = new Map<string, number>();
    asArray(steps).forEach((step, i) => {
        const alias = trimSpace(asString(asDict(step).as));
        if (alias === "") return;
        const existing = indicesByAlias.get(alias);
        if (existing !== undefined) {
            issues.push({
                path: pointer(...base, i, "as"),
                message: `step alias duplicates that of ${formatFieldPath(base, existing)}`,
            });
        } else {
            indicesByAlias.set(alias, i);
        }
        if (RESERVED_STEP_ALIAS.test(alias)) {
            issues.push({ path: pointer(...base, i, "as"), message: "step alias is reserved" });
        }
    });
    return issues;
}

/** A Kubernetes field path as `field.Path.String()` prints it (`spec.steps[0]`), for upstream's messages. */
export function formatFieldPath(base: readonly string[], index?: number): string {
    const text = base.join(".");
    return index === undefined ? text : `${text}[${index}]`;
}
