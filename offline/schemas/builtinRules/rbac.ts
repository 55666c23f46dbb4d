/**
 * What the API server refuses in RBAC objects beyond their OpenAPI schema, where every list is optional:
 * Kubernetes v1.34.3 pkg/apis/rbac/validation/validation.go (`ValidateRole`, `ValidateClusterRole`,
 * `ValidatePolicyRule`, `ValidateRoleBinding`, `ValidateClusterRoleBinding`, `ValidateRoleBindingSubject`),
 * after the defaults of pkg/apis/rbac/v1/defaults.go (an empty `roleRef.apiGroup`, and the `apiGroup` of a
 * User or Group subject, become rbac.authorization.k8s.io).
 */
import { child, describePathSegmentProblems, isObj, list, str, type Obj, type RuleIssue } from "./common";
import { describeNameProblem } from "../../../components/config/checks/kubernetesNames";

const RBAC_GROUP = "rbac.authorization.k8s.io";

const nonEmpty = (l: readonly unknown[] | undefined): boolean => l === undefined || l.length > 0;

/** `ValidatePolicyRule`; `namespaced` for a Role's rules. */
function checkRule(rule: unknown, at: string, namespaced: boolean): RuleIssue[] {
    if (!isObj(rule)) return [];
    const issues: RuleIssue[] = [];
    if (!nonEmpty(list(rule, "verbs")))
        issues.push({ path: `${at}/verbs`, message: "verbs must contain at least one value" });
    const urls = list(rule, "nonResourceURLs");
    if (urls && urls.length > 0) {
        if (namespaced)
            issues.push({
                path: `${at}/nonResourceURLs`,
                message: "a Role's rules cannot apply to non-resource URLs (only a ClusterRole's can)",
            });
        if (["apiGroups", "resources", "resourceNames"].some((k) => (list(rule, k) ?? []).length > 0))
            issues.push({
                path: `${at}/nonResourceURLs`,
                message: "a rule cannot apply to both regular resources and non-resource URLs",
            });
        return issues;
    }
    if (!nonEmpty(list(rule, "apiGroups")))
        issues.push({
            path: `${at}/apiGroups`,
            message: 'resource rules must supply at least one api group ("" is the core group)',
        });
    if (!nonEmpty(list(rule, "resources")))
        issues.push({ path: `${at}/resources`, message: "resource rules must supply at least one resource" });
    return issues;
}

function checkRules(obj: Obj, namespaced: boolean): RuleIssue[] {
    return (list(obj, "rules") ?? []).flatMap((r, i) => checkRule(r, `/rules/${i}`, namespaced));
}

/** `ValidateClusterRole`: an aggregationRule, when present, selects at least one ClusterRole. */
function checkAggregation(obj: Obj): RuleIssue[] {
    const aggregation = child(obj, "aggregationRule");
    if (!aggregation || nonEmpty(list(aggregation, "clusterRoleSelectors"))) return [];
    return [
        {
            path: "/aggregationRule/clusterRoleSelectors",
            message: "at least one clusterRoleSelector is required when aggregationRule is set",
        },
    ];
}

/** `roleRef` of either binding; `kinds` are the role kinds it may name. */
function checkRoleRef(obj: Obj, kinds: readonly string[]): RuleIssue[] {
    const ref = child(obj, "roleRef");
    if (!ref) return [];
    const issues: RuleIssue[] = [];
    const group = str(ref, "apiGroup");
    if (group !== undefined && group !== "" && group !== RBAC_GROUP)
        issues.push({ path: "/roleRef/apiGroup", message: `got "${group}"; must be "${RBAC_GROUP}"` });
    const kind = str(ref, "kind");
    if (kind !== undefined && !kinds.includes(kind))
        issues.push({ path: "/roleRef/kind", message: `got "${kind}"; must be one of ${kinds.join(", ")}` });
    const name = str(ref, "name");
    if (name === "") issues.push({ path: "/roleRef/name", message: "the role's name is required" });
    else if (name !== undefined)
        for (const p of describePathSegmentProblems(name))
            issues.push({ path: "/roleRef/name", message: `"${name}" ${p}` });
    return issues;
}

/** `ValidateRoleBindingSubject`; a ClusterRoleBinding's ServiceAccount subjects need a namespace. */
function checkSubject(subject: unknown, at: string, namespaced: boolean): RuleIssue[] {
    if (!isObj(subject)) return [];
    const issues: RuleIssue[] = [];
    const name = str(subject, "name");
    if (name === "") issues.push({ path: `${at}/name`, message: "the subject's name is required" });
    const kind = str(subject, "kind");
    const group = str(subject, "apiGroup");
    if (kind === "ServiceAccount") {
        const problem = name ? describeNameProblem(name, "subdomain") : undefined;
        if (problem) issues.push({ path: `${at}/name`, message: `"${name}" is ${problem}` });
        if (group !== "")
            issues.push({
                path: `${at}/apiGroup`,
                message: `a ServiceAccount's apiGroup must be "" (got "${group}")`,
            });
        if (!namespaced && str(subject, "namespace") === "")
            issues.push({
                path: `${at}/namespace`,
                message: "a ServiceAccount subject of a ClusterRoleBinding needs its namespace",
            });
    } else if (kind === "User" || kind === "Group") {
        if (group !== "" && group !== RBAC_GROUP)
            issues.push({
                path: `${at}/apiGroup`,
                message: `a ${kind}'s apiGroup must be "${RBAC_GROUP}" (got "${group}")`,
            });
    } else if (kind !== undefined) {
        issues.push({
            path: `${at}/kind`,
            message: `got "${kind}"; must be one of ServiceAccount, User, Group`,
        });
    }
    return issues;
}

function checkSubjects(obj: Obj, namespaced: boolean): RuleIssue[] {
    return (list(obj, "subjects") ?? []).flatMap((s, i) => checkSubject(s, `/subjects/${i}`, namespaced));
}

/** The RBAC rules of `obj` by kind; [] for other kinds. */
export function validateRbacObject(obj: Obj): RuleIssue[] {
    if (obj.apiVersion !== `${RBAC_GROUP}/v1`) return [];
    switch (obj.kind) {
        case "Role":
            return checkRules(obj, true);
        case "ClusterRole":
            return [...checkRules(obj, false), ...checkAggregation(obj)];
        case "RoleBinding":
            return [...checkRoleRef(obj, ["Role", "ClusterRole"]), ...checkSubjects(obj, true)];
        case "ClusterRoleBinding":
            return [...checkRoleRef(obj, ["ClusterRole"]), ...checkSubjects(obj, false)];
        default:
            return [];
    }
}
