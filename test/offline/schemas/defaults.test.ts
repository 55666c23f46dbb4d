/**
 * Structural defaulting before validation (k8s.io/apiextensions-apiserver pkg/apiserver/schema/defaulting
 * algorithm.go Default): the cases are data, so the conformance harness can replay them on a real API server.
 */
import { strict as assert } from "node:assert";
import { applyStructuralDefaults } from "../../../offline/schemas/defaults";
import { loadRegistry } from "../../support/registry";

const SCHEMA = {
    type: "object",
    properties: {
        spec: {
            type: "object",
            required: ["interval"],
            properties: {
                interval: { type: "string", default: "5m0s" },
                policy: { type: "string", default: "Automatic" },
                optional: { type: "string", nullable: true, default: "x" },
                plain: { type: "string" },
                nested: {
                    type: "object",
                    default: {},
                    properties: { depth: { type: "integer", default: 3 } },
                },
                list: {
                    type: "array",
                    items: { type: "object", properties: { n: { type: "integer", default: 1 } } },
                },
                map: {
                    type: "object",
                    additionalProperties: {
                        type: "object",
                        properties: { k: { type: "string", default: "v" } },
                    },
                },
            },
        },
    },
};

export const DEFAULTING_CASES: { name: string; input: unknown; expected: unknown }[] = [
    {
        name: "absent fields get their defaults, and a defaulted object its own defaults",
        input: { spec: {} },
        expected: { spec: { interval: "5m0s", policy: "Automatic", optional: "x", nested: { depth: 3 } } },
    },
    {
        name: "a given value is kept",
        input: { spec: { interval: "1h", policy: "Manual", optional: "y", nested: { depth: 1 } } },
        expected: { spec: { interval: "1h", policy: "Manual", optional: "y", nested: { depth: 1 } } },
    },
    {
        name: "a non-nullable null is defaulted; a nullable null is kept; a null without default is pruned",
        input: { spec: { interval: null, optional: null, plain: null } },
        expected: { spec: { interval: "5m0s", policy: "Automatic", optional: null, nested: { depth: 3 } } },
    },
    {
        name: "array items and map values are defaulted",
        input: { spec: { list: [{}, { n: 2 }], map: { a: {} } } },
        expected: {
            spec: {
                interval: "5m0s",
                policy: "Automatic",
                optional: "x",
                nested: { depth: 3 },
                list: [{ n: 1 }, { n: 2 }],
                map: { a: { k: "v" } },
            },
        },
    },
    { name: "an absent parent object is not created", input: {}, expected: {} },
];

describe("structural defaulting (offline/schemas/defaults.ts)", () => {
    for (const c of DEFAULTING_CASES) {
        it(c.name, () => assert.deepEqual(applyStructuralDefaults(c.input, SCHEMA), c.expected));
    }

    it("never mutates its input", () => {
        const input = { spec: {} };
        applyStructuralDefaults(input, SCHEMA);
        assert.deepEqual(input, { spec: {} });
    });

    it("admits a Warehouse without interval, which the API server defaults to 5m0s", async function () {
        if (!process.env.CRD_DIR) this.skip();
        const registry = await loadRegistry();
        const warehouse = {
            apiVersion: "kargo.akuity.io/v1alpha1",
            kind: "Warehouse",
            metadata: { name: "w", namespace: "p" },
            spec: { subscriptions: [{ chart: { repoURL: "oci://ghcr.io/a/w", semverConstraint: "^1" } }] },
        };
        assert.deepEqual(registry.validateObject(warehouse), []);
        const stored = registry.applyDefaults(warehouse) as { spec: Record<string, unknown> };
        assert.equal(stored.spec.interval, "5m0s");
        assert.equal(stored.spec.freightCreationPolicy, "Automatic");
        // Without subscriptions (required, no default) it is still refused.
        const empty = { ...warehouse, spec: {} };
        assert.deepEqual(
            registry.validateObject(empty).map((i) => `${i.path}: ${i.message}`),
            ["/spec: must have required property 'subscriptions'"],
        );
    });
});
