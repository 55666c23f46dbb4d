/**
 * The API server's validation of built-in kinds beyond their OpenAPI schema (Kubernetes v1.34.3
 * pkg/apis/rbac/validation, pkg/apis/core/validation, pkg/apis/batch/validation,
 * pkg/apis/admissionregistration/validation): each violation alone, with its message, and the fixed object.
 */
import { strict as assert } from "node:assert";
import type { BuiltinSchemas } from "../../../offline/schemas/builtins";
import { loadBuiltins } from "../../support/registry";

type Obj = Record<string, unknown>;

const RBAC = "rbac.authorization.k8s.io/v1";
const rule = (r: Obj): Obj => ({ apiGroups: [""], resources: ["pods"], verbs: ["get"], ...r });
const role = (r: Obj, kind = "Role"): Obj => ({
    apiVersion: RBAC,
    kind,
    metadata: kind === "Role" ? { name: "r", namespace: "p" } : { name: "r" },
    rules: [rule(r)],
});
const sa = (s: Obj): Obj => ({ kind: "ServiceAccount", name: "refresher", namespace: "dev", ...s });
const binding = (kind: string, subject: Obj, roleRef: Obj = {}): Obj => ({
    apiVersion: RBAC,
    kind,
    metadata: kind === "RoleBinding" ? { name: "b", namespace: "p" } : { name: "b" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "r", ...roleRef },
    subjects: [subject],
});

const job = (pod: Obj = {}, container: Obj = {}, volume: Obj = {}): Obj => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "j", namespace: "p" },
    spec: {
        template: {
            spec: {
                restartPolicy: "Never",
                volumes: [{ name: "cfg", configMap: { name: "cfg" }, ...volume }],
                containers: [
                    {
                        name: "c",
                        image: "busybox:1.37",
                        volumeMounts: [{ name: "cfg", mountPath: "/cfg" }],
                        resources: {
                            requests: { cpu: "100m", memory: "48Mi" },
                            limits: { cpu: "500m", memory: "64Mi" },
                        },
                        ...container,
                    },
                ],
                ...pod,
            },
        },
    },
});
const POD = "/spec/template/spec";
/** Containers that mount nothing, to judge a volume alone. */
const BARE = [{ name: "c", image: "busybox:1.37" }];
const C0 = `${POD}/containers/0`;

const ADMISSION = "admissionregistration.k8s.io/v1";
const resourceRule = (r: Obj = {}): Obj => ({
    apiGroups: ["postgresql.cnpg.io"],
    apiVersions: ["*"],
    resources: ["backups"],
    operations: ["CREATE", "DELETE"],
    ...r,
});
const vap = (spec: Obj = {}, r: Obj = {}): Obj => ({
    apiVersion: ADMISSION,
    kind: "ValidatingAdmissionPolicy",
    metadata: { name: "p" },
    spec: {
        failurePolicy: "Fail",
        matchConstraints: { resourceRules: [resourceRule(r)] },
        matchConditions: [{ name: "the-refresher", expression: "true" }],
        validations: [{ expression: "true", message: "no", reason: "Forbidden" }],
        ...spec,
    },
});
const vapb = (spec: Obj = {}): Obj => ({
    apiVersion: ADMISSION,
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: "p" },
    spec: { policyName: "p", validationActions: ["Deny"], ...spec },
});
const RR = "/spec/matchConstraints/resourceRules/0";

/** [what, rejected object, path, message, a close accepted object] */
const CASES: readonly (readonly [string, Obj, string, string, Obj])[] = [
    // pkg/apis/rbac/validation/validation.go
    [
        "a rule without verbs",
        role({ verbs: [] }),
        "/rules/0/verbs",
        "verbs must contain at least one value",
        role({}),
    ],
    [
        "a resource rule without apiGroups",
        role({ apiGroups: undefined }),
        "/rules/0/apiGroups",
        'resource rules must supply at least one api group ("" is the core group)',
        role({ apiGroups: [""] }),
    ],
    [
        "a resource rule without resources",
        role({ resources: [] }),
        "/rules/0/resources",
        "resource rules must supply at least one resource",
        role({ resources: ["pods"] }),
    ],
    [
        "a Role rule on non-resource URLs",
        role({ apiGroups: undefined, resources: undefined, nonResourceURLs: ["/healthz"] }),
        "/rules/0/nonResourceURLs",
        "a Role's rules cannot apply to non-resource URLs (only a ClusterRole's can)",
        role({ apiGroups: undefined, resources: undefined, nonResourceURLs: ["/healthz"] }, "ClusterRole"),
    ],
    [
        "a ClusterRole rule on resources and non-resource URLs",
        role({ nonResourceURLs: ["/healthz"] }, "ClusterRole"),
        "/rules/0/nonResourceURLs",
        "a rule cannot apply to both regular resources and non-resource URLs",
        role({}, "ClusterRole"),
    ],
    [
        "a ClusterRoleBinding's ServiceAccount without a namespace",
        binding("ClusterRoleBinding", sa({ namespace: undefined })),
        "/subjects/0/namespace",
        "a ServiceAccount subject of a ClusterRoleBinding needs its namespace",
        // A RoleBinding's ServiceAccount defaults to the binding's namespace.
        binding("RoleBinding", sa({ namespace: undefined })),
    ],
    [
        "a subject without a name",
        binding("RoleBinding", sa({ name: "" })),
        "/subjects/0/name",
        "the subject's name is required",
        binding("RoleBinding", sa({})),
    ],
    [
        "a ServiceAccount subject with the RBAC apiGroup",
        binding("RoleBinding", sa({ apiGroup: "rbac.authorization.k8s.io" })),
        "/subjects/0/apiGroup",
        `a ServiceAccount's apiGroup must be "" (got "rbac.authorization.k8s.io")`,
        binding("RoleBinding", sa({ apiGroup: "" })),
    ],
    [
        "a subject of an unknown kind",
        binding("RoleBinding", sa({ kind: "Robot" })),
        "/subjects/0/kind",
        'got "Robot"; must be one of ServiceAccount, User, Group',
        binding("RoleBinding", { kind: "User", name: "alice" }),
    ],
    [
        "a ClusterRoleBinding naming a Role",
        binding("ClusterRoleBinding", sa({}), { kind: "Role" }),
        "/roleRef/kind",
        'got "Role"; must be one of ClusterRole',
        binding("RoleBinding", sa({}), { kind: "Role" }),
    ],
    [
        "a roleRef name with a slash",
        binding("RoleBinding", sa({}), { name: "a/b" }),
        "/roleRef/name",
        `"a/b" may not contain '/'`,
        binding("RoleBinding", sa({}), { name: "a-b", apiGroup: "" }),
    ],
    // pkg/apis/core/validation/validation.go, pkg/apis/batch/validation/validation.go
    [
        "a container without an image",
        job({}, { image: undefined }),
        `${C0}/image`,
        "a container's image is required",
        job(),
    ],
    [
        "a Job without restartPolicy (defaulted to Always)",
        job({ restartPolicy: undefined }),
        `${POD}/restartPolicy`,
        "a Job's pods need restartPolicy OnFailure or Never (got none, which defaults to Always)",
        job({ restartPolicy: "OnFailure" }),
    ],
    [
        "a Job whose pods restart Always",
        job({ restartPolicy: "Always" }),
        `${POD}/restartPolicy`,
        'a Job\'s pods need restartPolicy OnFailure or Never (got "Always")',
        job({ restartPolicy: "Never" }),
    ],
    [
        "a configMap volume without its name",
        job({ volumes: [{ name: "cfg", configMap: {} }], containers: BARE }),
        `${POD}/volumes/0/configMap/name`,
        "a configMap volume names its ConfigMap (name is required)",
        job({ containers: BARE }),
    ],
    [
        "a secret volume without its secretName",
        job({ volumes: [{ name: "s", secret: {} }], containers: BARE }),
        `${POD}/volumes/0/secret/secretName`,
        "a secret volume names its Secret (secretName is required)",
        job({ volumes: [{ name: "s", secret: { secretName: "s" } }], containers: BARE }),
    ],
    [
        "a mount of a volume the pod does not declare",
        job({}, { volumeMounts: [{ name: "other", mountPath: "/o" }] }),
        `${C0}/volumeMounts/0/name`,
        'mounts volume "other", which the pod does not declare (or declares invalid)',
        job({}, { volumeMounts: [{ name: "cfg", mountPath: "/o" }] }),
    ],
    [
        "a CPU request above its limit",
        job({}, { resources: { requests: { cpu: 7 }, limits: { cpu: "500m" } } }),
        `${C0}/resources/requests/cpu`,
        "cpu request 7 must be less than or equal to its limit 500m",
        job({}, { resources: { requests: { cpu: "0.5" }, limits: { cpu: "500m" } } }),
    ],
    [
        "a memory request above its limit",
        job({}, { resources: { requests: { memory: "48Mi" }, limits: { memory: 7 } } }),
        `${C0}/resources/requests/memory`,
        "memory request 48Mi must be less than or equal to its limit 7",
        job({}, { resources: { requests: { memory: "48Mi" }, limits: { memory: "50331648" } } }),
    ],
    [
        "a hugepages request different from its limit",
        job({}, { resources: { requests: { "hugepages-2Mi": "2Mi" }, limits: { "hugepages-2Mi": "4Mi" } } }),
        `${C0}/resources/requests/hugepages-2Mi`,
        "hugepages-2Mi request 2Mi must equal its limit 4Mi",
        job({}, { resources: { requests: { "hugepages-2Mi": "4Mi" }, limits: { "hugepages-2Mi": "4Mi" } } }),
    ],
    // pkg/apis/admissionregistration/validation/validation.go
    [
        "a policy rule without apiGroups",
        vap({}, { apiGroups: [] }),
        `${RR}/apiGroups`,
        "at least one API group is required",
        vap({}, { apiGroups: ["*"] }),
    ],
    [
        "a policy rule without apiVersions",
        vap({}, { apiVersions: undefined }),
        `${RR}/apiVersions`,
        "at least one API version is required",
        vap({}, { apiVersions: ["v1"] }),
    ],
    [
        "a policy rule without resources",
        vap({}, { resources: [] }),
        `${RR}/resources`,
        "at least one resource is required",
        vap({}, { resources: ["backups/status"] }),
    ],
    [
        "a policy rule without operations",
        vap({}, { operations: [] }),
        `${RR}/operations`,
        "at least one operation is required",
        vap({}, { operations: ["*"] }),
    ],
    [
        "a policy rule with '*' beside another operation",
        vap({}, { operations: ["*", "CREATE"] }),
        `${RR}/operations`,
        "if '*' is present, it must be the only operation",
        vap({}, { operations: ["UPDATE", "CREATE"] }),
    ],
    [
        "a policy without resource rules",
        vap({ matchConstraints: { resourceRules: [] } }),
        "/spec/matchConstraints/resourceRules",
        "at least one resource rule is required",
        vap(),
    ],
    [
        "a policy without validations or audit annotations",
        vap({ validations: [] }),
        "/spec/validations",
        "at least one validation or audit annotation is required",
        vap({ validations: [{ expression: "false" }] }),
    ],
    [
        "a match condition whose name is not a qualified name",
        vap({ matchConditions: [{ name: "the refresher", expression: "true" }] }),
        "/spec/matchConditions/0/name",
        `"the refresher" is not a qualified name: name part "the refresher": letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
        vap({ matchConditions: [{ name: "example.com/the-refresher", expression: "true" }] }),
    ],
    [
        "a validation message with a line break",
        vap({ validations: [{ expression: "true", message: "no\nway" }] }),
        "/spec/validations/0/message",
        "must not contain line breaks",
        vap({ validations: [{ expression: "true", message: "no way" }] }),
    ],
    [
        "a binding without validation actions",
        vapb({ validationActions: [] }),
        "/spec/validationActions",
        "at least one validation action (Deny, Warn, Audit) is required",
        vapb({ validationActions: ["Audit"] }),
    ],
    [
        "a binding that both denies and warns",
        vapb({ validationActions: ["Deny", "Warn"] }),
        "/spec/validationActions",
        "must not contain both Deny and Warn",
        vapb({ validationActions: ["Deny", "Audit"] }),
    ],
    [
        "a binding whose policy name is not a DNS subdomain",
        vapb({ policyName: "My_Policy" }),
        "/spec/policyName",
        `"My_Policy" is not a DNS-1123 subdomain (DNS-1123 labels joined by '.')`,
        vapb({ policyName: "my.policy" }),
    ],
];

describe("built-in kinds' validation rules beyond the schema (Kubernetes v1.34.3 pkg/apis/*/validation)", () => {
    let builtins: BuiltinSchemas;
    before(async () => {
        builtins = await loadBuiltins();
    });

    for (const [what, rejected, path, message, accepted] of CASES) {
        it(`refuses ${what} alone, accepts the fixed one`, () => {
            const issues = builtins.validateObject(JSON.parse(JSON.stringify(rejected)) as Obj);
            assert.deepEqual(
                issues.map((i) => `${i.path}: ${i.message}`),
                [`${path}: ${message}`],
            );
            assert.deepEqual(builtins.validateObject(JSON.parse(JSON.stringify(accepted)) as Obj), []);
        });
    }
});
