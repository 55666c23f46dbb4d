/**
 * What the API server refuses in a ValidatingAdmissionPolicy or its Binding beyond the OpenAPI schema, where
 * the rule lists, the validation actions and the policy name are all optional: Kubernetes v1.34.3
 * pkg/apis/admissionregistration/validation/validation.go (`validateValidatingAdmissionPolicySpec`,
 * `validateMatchResources`, `validateNamedRuleWithOperations`, `validateRuleWithOperations`, `validateRule`,
 * `validateResources`, `validateMatchCondition`, `validateValidation`,
 * `validateValidatingAdmissionPolicyBindingSpec`, `validateValidationActions`), after the defaults of
 * pkg/apis/admissionregistration/v1/defaults.go (failurePolicy Fail; matchPolicy Equivalent and empty
 * namespace and object selectors in every MatchResources).
 *
 * Not modelled: the CEL expressions are compiled and type-checked upstream against the matched kinds; the
 * API server's CEL environment is not reproduced here, so a wrong expression is found by `npm run
 * conformance` only.
 */
import { describeNameProblem } from "../../../components/config/checks/kubernetesNames";
import { describeQualifiedNameProblems } from "../objectMeta";
import { child, isObj, list, str, type Obj, type RuleIssue } from "./common";

const OPERATIONS = ["*", "CREATE", "UPDATE", "DELETE", "CONNECT"];
const VALIDATION_ACTIONS = ["Deny", "Warn", "Audit"];

const required = (path: string, what: string): RuleIssue => ({ path, message: `${what} is required` });

/** A list of strings that must not be empty, and holds "*" only alone. */
function checkWildcardList(rule: Obj, key: string, at: string, one: string): RuleIssue[] {
    const values = list(rule, key);
    if (values === undefined) return [];
    if (values.length === 0) return [required(`${at}/${key}`, `at least one ${one}`)];
    if (values.length > 1 && values.includes("*"))
        return [{ path: `${at}/${key}`, message: `if '*' is present, it must be the only ${one}` }];
    return [];
}

/** `validateResources` (subresources allowed): the wildcard combinations it forbids. */
function checkResources(rule: Obj, at: string): RuleIssue[] {
    const resources = list(rule, "resources");
    if (resources === undefined) return [];
    if (resources.length === 0) return [required(`${at}/resources`, "at least one resource")];
    const issues: RuleIssue[] = [];
    resources.forEach((r, i) => {
        if (r === "") issues.push(required(`${at}/resources/${i}`, "a resource name"));
    });
    if (resources.length > 1 && resources.includes("*/*"))
        issues.push({
            path: `${at}/resources`,
            message: "if '*/*' is present, it must be the only resource",
        });
    if (
        resources.includes("*") &&
        resources.some((r) => typeof r === "string" && r !== "*" && !r.includes("/"))
    )
        issues.push({
            path: `${at}/resources`,
            message: "if '*' is present, no other resource without a subresource may be listed",
        });
    return issues;
}

/** `validateRuleWithOperations` and `validateRule` for one resource rule. */
function checkResourceRule(rule: unknown, at: string): RuleIssue[] {
    if (!isObj(rule)) return [];
    const issues = [
        ...checkWildcardList(rule, "operations", at, "operation"),
        ...checkWildcardList(rule, "apiGroups", at, "API group"),
        ...checkWildcardList(rule, "apiVersions", at, "API version"),
        ...checkResources(rule, at),
    ];
    (list(rule, "operations") ?? []).forEach((op, i) => {
        if (typeof op === "string" && !OPERATIONS.includes(op))
            issues.push({
                path: `${at}/operations/${i}`,
                message: `got "${op}"; must be one of ${OPERATIONS.join(", ")}`,
            });
    });
    (list(rule, "apiVersions") ?? []).forEach((v, i) => {
        if (v === "") issues.push(required(`${at}/apiVersions/${i}`, "an API version"));
    });
    return issues;
}

/** `validateMatchResources`: every resource rule and exclusion. */
function checkMatchResources(match: Obj | undefined, at: string): RuleIssue[] {
    if (!match) return [];
    return ["resourceRules", "excludeResourceRules"].flatMap((key) =>
        (list(match, key) ?? []).flatMap((r, i) => checkResourceRule(r, `${at}/${key}/${i}`)),
    );
}

/** `validateMatchCondition`: an expression and a qualified, unique name. */
function checkMatchConditions(spec: Obj): RuleIssue[] {
    const issues: RuleIssue[] = [];
    const seen = new Set<string>();
    (list(spec, "matchConditions") ?? []).forEach((c, i) => {
        const at = `/spec/matchConditions/${i}`;
        const expression = str(c, "expression");
        if (expression !== undefined && expression.trim() === "")
            issues.push(required(`${at}/expression`, "a match condition's expression"));
        const name = str(c, "name");
        if (name === "") issues.push(required(`${at}/name`, "a match condition's name"));
        else if (name !== undefined) {
            for (const p of describeQualifiedNameProblems(name))
                issues.push({ path: `${at}/name`, message: `"${name}" is not a qualified name: ${p}` });
            if (seen.has(name))
                issues.push({ path: `${at}/name`, message: `duplicate match condition "${name}"` });
            seen.add(name);
        }
    });
    return issues;
}

/** `validateValidatingAdmissionPolicySpec`, apart from compiling the CEL. */
function checkPolicy(obj: Obj): RuleIssue[] {
    const spec = child(obj, "spec");
    if (!spec) return [required("/spec", "spec")];
    const issues: RuleIssue[] = [];
    const match = child(spec, "matchConstraints");
    if (!match)
        issues.push(required("/spec/matchConstraints", "matchConstraints (it gives the CEL its types)"));
    else if ((list(match, "resourceRules") ?? [undefined]).length === 0)
        issues.push(required("/spec/matchConstraints/resourceRules", "at least one resource rule"));
    issues.push(...checkMatchResources(match, "/spec/matchConstraints"), ...checkMatchConditions(spec));
    const validations = list(spec, "validations") ?? [];
    const audits = list(spec, "auditAnnotations") ?? [];
    if (validations.length === 0 && audits.length === 0)
        issues.push(required("/spec/validations", "at least one validation or audit annotation"));
    validations.forEach((v, i) => {
        const expression = str(v, "expression");
        if (expression !== undefined && expression.trim() === "")
            issues.push(required(`/spec/validations/${i}/expression`, "a validation's expression"));
        const message = str(v, "message");
        if (message && message.trim() === "")
            issues.push({
                path: `/spec/validations/${i}/message`,
                message: "must be non-empty if specified",
            });
        else if (message && /[\n\r]/.test(message.trim()))
            issues.push({ path: `/spec/validations/${i}/message`, message: "must not contain line breaks" });
    });
    return issues;
}

/** `validateValidatingAdmissionPolicyBindingSpec`, apart from paramRef. */
function checkBinding(obj: Obj): RuleIssue[] {
    const spec = child(obj, "spec");
    if (!spec) return [required("/spec", "spec")];
    const issues: RuleIssue[] = [];
    const policy = str(spec, "policyName");
    if (policy === "") issues.push(required("/spec/policyName", "the policy's name"));
    else if (policy !== undefined) {
        const problem = describeNameProblem(policy, "subdomain");
        if (problem) issues.push({ path: "/spec/policyName", message: `"${policy}" is ${problem}` });
    }
    issues.push(...checkMatchResources(child(spec, "matchResources"), "/spec/matchResources"));
    const actions = list(spec, "validationActions");
    if (actions !== undefined) {
        if (actions.length === 0)
            issues.push(
                required(
                    "/spec/validationActions",
                    `at least one validation action (${VALIDATION_ACTIONS.join(", ")})`,
                ),
            );
        actions.forEach((a, i) => {
            if (typeof a !== "string") return;
            if (!VALIDATION_ACTIONS.includes(a))
                issues.push({
                    path: `/spec/validationActions/${i}`,
                    message: `got "${a}"; must be one of ${VALIDATION_ACTIONS.join(", ")}`,
                });
            if (actions.indexOf(a) !== i)
                issues.push({
                    path: `/spec/validationActions/${i}`,
                    message: `duplicate validation action "${a}"`,
                });
        });
        if (actions.includes("Deny") && actions.includes("Warn"))
            issues.push({ path: "/spec/validationActions", message: "must not contain both Deny and Warn" });
    }
    return issues;
}

/** The admission policy rules of `obj` by kind; [] for other kinds. */
export function validateAdmissionPolicy(obj: Obj): RuleIssue[] {
    if (obj.apiVersion !== "admissionregistration.k8s.io/v1") return [];
    if (obj.kind === "ValidatingAdmissionPolicy") return checkPolicy(obj);
    if (obj.kind === "ValidatingAdmissionPolicyBinding") return checkBinding(obj);
    return [];
}
