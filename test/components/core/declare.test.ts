import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import type { StackObject } from "../../../components/core/declare";
import { declareObject, selectLegacyTypeAliases } from "../../../components/core/declare";
import { runProgram } from "../../../offline/runtime/mockRuntime";

const meta = { name: "x", namespace: "ns" };

/** One object of each kind declareObject handles, with the type token it registers. */
const cases: { obj: StackObject; type: string; legacyAlias?: string }[] = [
    {
        obj: { apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } },
        type: "kubernetes:core/v1:Namespace",
    },
    {
        obj: { apiVersion: "v1", kind: "ConfigMap", metadata: meta, data: { a: "b" } },
        type: "kubernetes:core/v1:ConfigMap",
        legacyAlias: "kubernetes:v1:ConfigMap",
    },
    {
        obj: { apiVersion: "v1", kind: "ServiceAccount", metadata: meta },
        type: "kubernetes:core/v1:ServiceAccount",
        legacyAlias: "kubernetes:v1:ServiceAccount",
    },
    {
        obj: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta, rules: [] },
        type: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    },
    {
        obj: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "x" } },
        type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    },
    {
        obj: {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: meta,
            spec: { podSelector: {} },
        },
        type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    },
    {
        obj: {
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: meta,
            spec: { template: { spec: { containers: [{ name: "c" }] } } },
        },
        type: "kubernetes:batch/v1:Job",
    },
    {
        obj: { apiVersion: "kargo.akuity.io/v1alpha1", kind: "Project", metadata: { name: "x" } },
        type: "kubernetes:kargo.akuity.io/v1alpha1:Project",
    },
];

describe("declareObject", () => {
    for (const c of cases) {
        it(`${c.obj.kind}: registers ${c.type}${c.legacyAlias ? `, aliased to ${c.legacyAlias}` : ""}`, async () => {
            assert.deepEqual(selectLegacyTypeAliases(c.obj), c.legacyAlias ? [{ type: c.legacyAlias }] : []);
            const run = await runProgram(() => declareObject("obj", c.obj, {}), {
                project: "p",
                stack: "s",
                config: {},
            });
            assert.deepEqual(
                run.resources.map((r) => r.type),
                [c.type],
            );
        });
    }

    it("a CustomResource of an RBAC kind registers the same type token as the typed class (URNs unchanged)", async () => {
        const run = await runProgram(
            () =>
                new k8s.apiextensions.CustomResource("obj", {
                    apiVersion: "rbac.authorization.k8s.io/v1",
                    kind: "Role",
                    metadata: meta,
                }),
            { project: "p", stack: "s", config: {} },
        );
        assert.deepEqual(
            run.resources.map((r) => r.type),
            ["kubernetes:rbac.authorization.k8s.io/v1:Role"],
        );
    });
});
