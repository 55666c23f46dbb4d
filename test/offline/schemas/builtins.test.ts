import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BuiltinSchemas, KUBERNETES_SCHEMA_VERSION, builtinKinds } from "../../../offline/schemas/builtins";

type Obj = Record<string, unknown>;

const role = (rules: unknown): Obj => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "reader", namespace: "p" },
    rules,
});
const job = (container: Obj): Obj => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "refresh", namespace: "p" },
    spec: {
        template: {
            spec: {
                restartPolicy: "Never",
                containers: [{ name: "c", image: "busybox:1.37", ...container }],
            },
        },
    },
});
const policy = (ingress: unknown): Obj => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "deny", namespace: "p" },
    spec: { podSelector: {}, ingress },
});

/** [what, rejected object, path, message, a close accepted object] */
const CASES: readonly (readonly [string, Obj, string, string, Obj])[] = [
    [
        "a Role whose verbs are a string",
        role([{ apiGroups: [""], resources: ["secrets"], verbs: "get" }]),
        "/rules/0/verbs",
        "must be array",
        role([{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }]),
    ],
    [
        "a Role rule without verbs",
        role([{ apiGroups: [""], resources: ["pods"] }]),
        "/rules/0",
        'missing required field "verbs"',
        role([{ apiGroups: [""], resources: ["pods"], verbs: ["list"] }]),
    ],
    [
        "a RoleBinding without roleRef",
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: { name: "b", namespace: "p" },
            subjects: [],
        },
        "/",
        'missing required field "roleRef"',
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: { name: "b", namespace: "p" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" },
        },
    ],
    [
        "a Job container memory limit that is not a quantity",
        job({ resources: { limits: { memory: "1 Gi" } } }),
        "/spec/template/spec/containers/0/resources/limits/memory",
        'must match format "quantity"',
        job({ resources: { limits: { memory: "1Gi" } } }),
    ],
    [
        "a NetworkPolicy port given as an object",
        policy([{ ports: [{ port: { number: 80 } }] }]),
        "/spec/ingress/0/ports/0/port",
        "must be string",
        policy([{ ports: [{ port: 80 }] }]),
    ],
    [
        "a ConfigMap value that is a number",
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { retries: 3 } },
        "/data/retries",
        "must be string",
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { retries: "3" } },
    ],
    [
        "a Namespace label that is a boolean",
        {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name: "p", labels: { "kargo.akuity.io/project": true } },
        },
        "/metadata/labels/kargo.akuity.io~1project",
        "must be string",
        {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name: "p", labels: { "kargo.akuity.io/project": "true" } },
        },
    ],
];

describe(`built-in kinds against the Kubernetes ${KUBERNETES_SCHEMA_VERSION} OpenAPI schema (kubernetes-models)`, () => {
    let schemas: BuiltinSchemas;
    before(async () => {
        schemas = await BuiltinSchemas.load();
    });

    it("states the Kubernetes release kubernetes-models was generated from, and pins it exactly", () => {
        const pkg = JSON.parse(readFileSync(join(__dirname, "../../../package.json"), "utf8")) as {
            dependencies: Obj;
        };
        assert.equal(pkg.dependencies["kubernetes-models"], "5.1.0");
        assert.equal(KUBERNETES_SCHEMA_VERSION, "1.36.0");
    });

    it("covers every built-in kind the stacks declare", () => {
        for (const kind of ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]) {
            assert.ok(builtinKinds().includes(`rbac.authorization.k8s.io/v1:${kind}`), kind);
        }
        for (const key of [
            "v1:Namespace",
            "v1:ConfigMap",
            "v1:ServiceAccount",
            "v1:Secret",
            "v1:Service",
            "batch/v1:Job",
            "networking.k8s.io/v1:NetworkPolicy",
            "networking.k8s.io/v1:Ingress",
        ]) {
            assert.ok(builtinKinds().includes(key), key);
        }
    });

    for (const [what, rejected, path, message, accepted] of CASES) {
        it(`rejects ${what}, accepts the fixed one`, () => {
            const issues = schemas.validateObject(rejected);
            assert.ok(
                issues.some((i) => i.path === path && i.message === message),
                JSON.stringify(issues),
            );
            assert.deepEqual(schemas.validateObject(accepted), []);
        });
    }

    it("does not judge a value the synth could not see (a redacted secret)", () => {
        const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: "[secret]" };
        assert.equal(schemas.validateObject(secret).length, 1);
        assert.deepEqual(schemas.validateObject(secret, ["[secret]"]), []);
    });

    it("leaves custom resources and unlisted kinds alone", () => {
        assert.ok(!schemas.hasKind("kargo.akuity.io/v1alpha1", "Stage"));
        assert.deepEqual(schemas.validateObject({ apiVersion: "v1", kind: "Pod", spec: 1 }), []);
    });
});
