/**
 * Undeclared fields of built-in kinds: server-side apply refuses them ("field not declared in schema",
 * structured-merge-diff typed conversion), so the model does too, wherever they are.
 */
import { strict as assert } from "node:assert";
import type { BuiltinSchemas } from "../../../offline/schemas/builtins";
import { findUndeclaredFields } from "../../../offline/schemas/declaredFields";
import { loadBuiltins } from "../../support/registry";

type Obj = Record<string, unknown>;

const job = (patch: (spec: Obj, container: Obj) => void = () => undefined): Obj => {
    const container: Obj = { name: "c", image: "busybox:1.37", resources: { limits: { cpu: "1" } } };
    const spec: Obj = { template: { spec: { restartPolicy: "Never", containers: [container] } } };
    patch(spec, container);
    return { apiVersion: "batch/v1", kind: "Job", metadata: { name: "j", namespace: "p" }, spec };
};

/** [what, object, path of the one undeclared field] */
const CASES: readonly (readonly [string, Obj, string])[] = [
    [
        "a Namespace with a top-level typo",
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "p" }, labels: { a: "b" } },
        "/labels",
    ],
    ["a Job with an unknown field in spec", job((spec) => (spec.backofLimit = 2)), "/spec/backofLimit"],
    [
        "a Job container with a misspelt field",
        job((_, container) => (container.imagePullPolicyy = "Always")),
        "/spec/template/spec/containers/0/imagePullPolicyy",
    ],
    [
        "metadata with an unknown field",
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", label: { a: "b" } } },
        "/metadata/label",
    ],
    [
        "a Role rule with a misspelt list",
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "Role",
            metadata: { name: "r", namespace: "p" },
            rules: [{ apiGroups: [""], resource: ["pods"], resources: ["pods"], verbs: ["get"] }],
        },
        "/rules/0/resource",
    ],
    [
        "a key with a slash, escaped in the pointer",
        { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "s" }, "a/b": 1 },
        "/a~1b",
    ],
];

describe("undeclared fields of built-in kinds (server-side apply's typed conversion)", () => {
    let builtins: BuiltinSchemas;
    before(async () => {
        builtins = await loadBuiltins();
    });

    for (const [what, obj, path] of CASES) {
        it(`refuses ${what} alone`, () => {
            const field = path.split("/").pop()?.replace(/~1/g, "/");
            assert.deepEqual(
                builtins.validateObject(obj).map((i) => `${i.path}: ${i.message}`),
                [
                    `${path}: unknown field "${field}" (not in the ${String(obj.kind)} schema; server-side apply refuses it)`,
                ],
            );
        });
    }

    it("accepts declared fields, map keys (labels, data, resource names) and the status", () => {
        const cm = {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "c", labels: { "any.key/x": "y" }, annotations: { z: "1" } },
            data: { "any-key": "v", other: "w" },
        };
        assert.deepEqual(builtins.validateObject(cm), []);
        assert.deepEqual(builtins.validateObject(job()), []);
    });

    it("does not judge a node the validator never reads (a free-form value)", () => {
        const freeForm = (data: unknown): boolean => typeof data === "object";
        assert.deepEqual(findUndeclaredFields({ anything: { goes: 1 } }, freeForm), []);
        const declaresA = (data: unknown): boolean => (data as { a?: unknown }).a !== undefined;
        assert.deepEqual(findUndeclaredFields({ a: 1, b: { c: 2 } }, declaresA), ["/b"]);
    });
});
