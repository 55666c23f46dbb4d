/**
 * Kargo 1.11.2's ProjectConfig validating webhook (pkg/webhook/kubernetes/projectconfig/webhook.go) and
 * the webhook-receiver rules it calls (pkg/webhook/kubernetes/external/validation.go).
 */
import { namespaceState, type AdmissionContext } from "./cluster";
import {
    PROJECT_LABEL,
    asArray,
    asDict,
    asString,
    isDict,
    nameOf,
    namespaceOf,
    pointer,
    quote,
    specOf,
    type RuleIssue,
} from "./objects";
import { describeNamePatternError } from "./patterns";

/** projectconfig/webhook.go, validateObjectMeta: a project has one ProjectConfig, named after it. */
export function validateProjectConfigName(config: unknown): RuleIssue[] {
    const name = nameOf(config);
    const namespace = namespaceOf(config);
    if (name === namespace) return [];
    return [
        {
            path: pointer("metadata", "name"),
            message: `name ${quote(name)} must match project name ${quote(namespace)}`,
        },
    ];
}

/**
 * projectconfig/webhook.go, validatePromotionPolicies: a pattern (`glob:`, `regex:`, `regexp:`) must
 * parse and use a known prefix; an exact Stage name may appear in only one policy.
 */
export function validatePromotionPolicies(policies: unknown): RuleIssue[] {
    const issues: RuleIssue[] = [];
    const indicesByStage = new Map<string, number[]>();
    asArray(policies).forEach((raw, i) => {
        const policy = asDict(raw);
        // The deprecated `stage` field, unless a stageSelector is present (even with an empty name).
        const stage = isDict(policy.stageSelector)
            ? asString(asDict(policy.stageSelector).name)
            : asString(policy.stage);
        if (stage === "") return;
        const colon = stage.indexOf(":");
        if (colon !== -1) {
            const problem = describeNamePatternError(stage);
            if (problem !== undefined) {
                issues.push({
                    path: pointer("spec", "promotionPolicies", i, "stageSelector", "name"),
                    message: problem,
                });
            }
            return;
        }
        indicesByStage.set(stage, [...(indicesByStage.get(stage) ?? []), i]);
    });
    for (const indices of indicesByStage.values()) {
        for (const i of indices.slice(1)) {
            issues.push({
                path: pointer("spec", "promotionPolicies", i),
                message: `stage name already defined at spec.promotionPolicies[${indices[0]}]`,
            });
        }
    }
    return issues;
}

/** The receiver kinds `validateMutuallyExclusive` counts, with the names it prints. */
const RECEIVER_KINDS: readonly (readonly [string, string])[] = [
    ["bitbucket", "Bitbucket"],
    ["dockerhub", "DockerHub"],
    ["github", "GitHub"],
    ["gitlab", "GitLab"],
    ["quay", "Quay"],
    ["artifactory", "Artifactory"],
    ["azure", "Azure"],
    ["gitea", "Gitea"],
    ["generic", "Generic"],
];

/**
 * external/validation.go, ValidateWebhookReceivers: unique names (validateUniqueNames), one receiver type
 * per entry (validateMutuallyExclusive), and every generic action target selects something
 * (validateGenericConfig → validateGenericTargets).
 */
export function validateWebhookReceivers(receivers: unknown): RuleIssue[] {
    const issues: RuleIssue[] = [];
    const firstByName = new Map<string, number>();
    const list = asArray(receivers);
    list.forEach((raw, i) => {
        const name = asString(asDict(raw).name);
        const existing = firstByName.get(name);
        if (existing !== undefined) {
            issues.push({
                path: pointer("spec", "webhookReceivers", i, "name"),
                message: `webhook receiver name already defined at spec.webhookReceivers[${existing}]`,
            });
        } else {
            firstByName.set(name, i);
        }
    });
    list.forEach((raw, i) => {
        const receiver = asDict(raw);
        const kinds = RECEIVER_KINDS.filter(([key]) => isDict(receiver[key])).map(([, label]) => label);
        if (kinds.length > 1) {
            issues.push({
                path: pointer("spec", "webhookReceivers", i),
                message: `cannot define a receiver that is of more than one type, found ${kinds.length}: [${kinds.join(" ")}]`,
            });
        }
    });
    list.forEach((raw, i) => issues.push(...validateGenericTargets(asDict(raw).generic, i)));
    return issues;
}

/** external/validation.go, validateGenericTargets + selectionTargetCriteriaIsEmpty. */
function validateGenericTargets(generic: unknown, receiverIndex: number): RuleIssue[] {
    if (!isDict(generic)) return [];
    const issues: RuleIssue[] = [];
    asArray(generic.actions).forEach((action, a) => {
        asArray(asDict(action).targetSelectionCriteria).forEach((raw, t) => {
            const target = asDict(raw);
            const labels = asDict(target.labelSelector);
            const empty =
                asString(target.name) === "" &&
                Object.keys(asDict(labels.matchLabels)).length === 0 &&
                asArray(labels.matchExpressions).length === 0 &&
                asArray(asDict(target.indexSelector).matchIndices).length === 0;
            if (empty) {
                issues.push({
                    path: pointer(
                        "spec",
                        "webhookReceivers",
                        receiverIndex,
                        "generic",
                        "actions",
                        a,
                        "targetSelectionCriteria",
                        t,
                    ),
                    message:
                        "at least one of name, labelSelector, or indexSelector must be specified for target",
                });
            }
        });
    });
    return issues;
}

/**
 * projectconfig/webhook.go, ensureProjectNamespace (create only): the namespace must exist and carry the
 * project label, else 403 Forbidden.
 */
export function validateProjectConfigNamespace(config: unknown, ctx: AdmissionContext): RuleIssue[] {
    const namespace = namespaceOf(config);
    const state = namespaceState(ctx, namespace);
    if (state === "project") return [];
    if (state === "absent") {
        return [
            {
                path: pointer("metadata", "namespace"),
                message: `error getting namespace ${quote(namespace)}: namespaces ${quote(namespace)} not found`,
            },
        ];
    }
    return [
        {
            path: pointer("metadata", "namespace"),
            message: `namespace ${quote(namespace)} does not belong to Kargo project (missing ${quote(PROJECT_LABEL)} label)`,
        },
    ];
}

/** projectconfig/webhook.go, ValidateCreate: metadata, spec, then (with a cluster) the namespace. */
export function validateProjectConfig(config: unknown, ctx?: AdmissionContext): RuleIssue[] {
    const spec = specOf(config);
    const own = [
        ...validateProjectConfigName(config),
        ...validatePromotionPolicies(spec.promotionPolicies),
        ...validateWebhookReceivers(spec.webhookReceivers),
    ];
    // Upstream returns the field errors before it looks at the namespace.
    if (own.length > 0 || !ctx) return own;
    return validateProjectConfigNamespace(config, ctx);
}
