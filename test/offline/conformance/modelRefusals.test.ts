/**
 * The classes of the conformance run's first "model admits, upstream refuses" disagreements, replayed on the
 * harness's own mutations (offline/conformance/cases.ts buildMutations) of objects shaped like the stacks',
 * without Go: each mutation below was refused by kube-apiserver v1.34.3 and must be refused by the model.
 */
import { strict as assert } from "node:assert";
import { buildMutations, type OracleCase } from "../../../offline/conformance/cases";
import { judgeObjectsWithModel } from "../../../offline/conformance/model";
import type { BuiltinSchemas } from "../../../offline/schemas/builtins";
import type { SchemaRegistry } from "../../../offline/schemas/validate";
import { loadBuiltins, loadRegistry } from "../../support/registry";

type Obj = Record<string, unknown>;
const LABELS = { "app.kubernetes.io/managed-by": "pulumi" };

const OBJECTS: Readonly<Record<string, Obj>> = {
    namespace: { apiVersion: "v1", kind: "Namespace", metadata: { name: "kargo", labels: LABELS } },
    role: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name: "r", namespace: "p", labels: LABELS },
        rules: [{ apiGroups: ["postgresql.cnpg.io"], resources: ["backups"], verbs: ["create"] }],
    },
    job: {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: "seed", namespace: "p" },
        spec: {
            template: {
                spec: {
                    restartPolicy: "Never",
                    volumes: [{ name: "refresh", configMap: { name: "refresh" } }],
                    containers: [
                        {
                            name: "seed",
                            image: "busybox:1.37",
                            volumeMounts: [{ name: "refresh", mountPath: "/refresh" }],
                            resources: {
                                requests: { cpu: "100m", memory: "48Mi" },
                                limits: { cpu: "500m", memory: "64Mi" },
                            },
                        },
                    ],
                },
            },
        },
    },
    binding: {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name: "b" },
        spec: { policyName: "p", validationActions: ["Deny"] },
    },
    project: {
        apiVersion: "kargo.akuity.io/v1alpha1",
        kind: "Project",
        metadata: { name: "monolith", labels: LABELS, annotations: { "example.com/note": "x" } },
    },
};

/** [object, mutation label] pairs upstream refused on the first run. */
const REFUSED: readonly (readonly [string, string])[] = [
    ["namespace", "add /conformanceUnknownField"],
    ["role", "add /conformanceUnknownField"],
    ["job", "add /spec/conformanceUnknownField"],
    ["binding", "add /spec/conformanceUnknownField"],
    ["project", "retype /metadata/labels/app.kubernetes.io~1managed-by"],
    ["project", "retype /metadata/annotations/example.com~1note"],
    ["role", "delete /rules/0/verbs/0"],
    ["role", "delete /rules/0/apiGroups/0"],
    ["role", "delete /rules/0/resources/0"],
    ["job", "delete /spec/template/spec/containers/0/image"],
    ["job", "delete /spec/template/spec/restartPolicy"],
    ["job", "delete /spec/template/spec/volumes/0/configMap/name"],
    ["job", "retype /spec/template/spec/containers/0/resources/requests/cpu"],
    ["job", "retype /spec/template/spec/containers/0/resources/limits/memory"],
    ["binding", "delete /spec/validationActions/0"],
];

describe("conformance: the model refuses what kube-apiserver refused on the first run", () => {
    let registry: SchemaRegistry;
    let builtins: BuiltinSchemas;
    before(async () => {
        registry = await loadRegistry();
        builtins = await loadBuiltins();
    });

    it("admits the unmutated objects", () => {
        const cases: OracleCase[] = Object.entries(OBJECTS).map(([id, object]) => ({ id, object }));
        for (const v of judgeObjectsWithModel(cases, registry, builtins))
            assert.ok(v.allowed, `${v.id}: ${v.message}`);
    });

    for (const [name, label] of REFUSED) {
        it(`refuses ${name} [${label}]`, () => {
            const mutation = buildMutations(OBJECTS[name]).find((m) => m.label === label);
            assert.ok(mutation, `buildMutations made no "${label}"`);
            const [verdict] = judgeObjectsWithModel(
                [{ id: label, object: mutation.object }],
                registry,
                builtins,
            );
            assert.equal(verdict.allowed, false);
        });
    }
});
