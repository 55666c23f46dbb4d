import { strict as assert } from "node:assert";
import type { ErrorObject } from "ajv";
import { checkCelRules, filterExpressionErrors, strictifySchema } from "../../../offline/schemas/validate";
import { loadRegistry } from "../../support/registry";

import { at } from "../../support/read";

/** A Stage around `spec`, which may be deliberately invalid. */
const stage = (spec: Record<string, unknown>) => ({
    apiVersion: "kargo.akuity.io/v1alpha1",
    kind: "Stage",
    metadata: { name: "dev", namespace: "p" },
    spec,
});
const freight = [{ origin: { kind: "Warehouse", name: "w" }, sources: { direct: true } }];

describe("schema validation", () => {
    it("turns unknown fields into errors, but keeps preserve-unknown-fields open", () => {
        const strict = strictifySchema({
            type: "object",
            properties: {
                a: { type: "object", properties: { b: { type: "string" } } },
                free: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: {} },
            },
        });
        assert.equal(strict.additionalProperties, false);
        assert.equal(at(strict.properties, "a", "additionalProperties"), false);
        assert.equal(at(strict.properties, "free", "additionalProperties"), undefined);
    });

    it("evaluates CEL rules on create and skips transition rules", () => {
        const rules = [
            {
                path: "/steps/*",
                rule: "(has(self.uses) ? !has(self.task) : has(self.task))",
                message: "exactly one of uses or task",
            },
            { path: "/steps/*", rule: "self == oldSelf", message: "immutable" },
        ];
        assert.deepEqual(
            checkCelRules({ steps: [{ uses: "x" }, { uses: "x", task: { name: "t" } }] }, rules),
            [{ path: "/steps/1", message: "exactly one of uses or task" }],
        );
    });

    const err = (instancePath: string, keyword: string): ErrorObject => ({
        instancePath,
        keyword,
        schemaPath: "",
        params: {},
    });
    const cases = [
        {
            name: "type of a whole expression is unknown until evaluated",
            data: { n: "${{ vars.n }}" },
            error: err("/n", "type"),
            kept: false,
        },
        {
            name: "pattern of text with an embedded expression is unknown",
            data: { p: "./repo/${{ ctx.stage }}.yaml" },
            error: err("/p", "pattern"),
            kept: false,
        },
        {
            name: "type of text with an embedded expression is still a string",
            data: { n: "a ${{ vars.n }}" },
            error: err("/n", "type"),
            kept: true,
        },
        {
            name: "a missing required field is always an error",
            data: { n: "${{ vars.n }}" },
            error: err("", "required"),
            kept: true,
        },
        {
            name: "a plain value is judged as it is",
            data: { n: "five" },
            error: err("/n", "type"),
            kept: true,
        },
        {
            name: "the alternative ${% %} delimiters count too",
            data: { n: "${% vars.n %}" },
            error: err("/n", "enum"),
            kept: false,
        },
    ];
    for (const c of cases) {
        it(c.name, () => assert.equal(filterExpressionErrors([c.error], c.data).length, c.kept ? 1 : 0));
    }

    it("rejects an unknown field the API server would silently drop", async () => {
        const registry = await loadRegistry();
        const issues = registry.validateObject(
            stage({ requestedFreight: [{ ...freight[0], sourcess: {} }] }) as never,
        );
        assert.deepEqual(issues, [
            {
                object: "Stage p/dev",
                path: "/spec/requestedFreight/0",
                message: 'unknown field "sourcess" (the API server would drop it)',
            },
        ]);
    });

    it("validates promotion step configs against Kargo's step schemas, allowing expressions", async () => {
        const registry = await loadRegistry();
        const steps = [
            {
                uses: "git-clone",
                config: { repoURL: "${{ vars.repo }}", checkout: [{ branch: "main", path: "./repo" }] },
            },
            {
                uses: "yaml-update",
                config: { path: "./repo/x.yaml", updates: [{ key: "spec.source.targetRevision" }] },
            },
            { uses: "git-push", config: { path: "./repo", force: "${{ vars.force }}" } },
            { uses: "git-klone", config: {} },
        ];
        const issues = registry.validateObject(
            stage({ requestedFreight: freight, promotionTemplate: { spec: { steps } } }) as never,
        );
        assert.deepEqual(
            issues.map((i) => `${i.path}: ${i.message}`),
            [
                "/spec/promotionTemplate/spec/steps/1/config/updates/0: must have required property 'value'",
                '/spec/promotionTemplate/spec/steps/3: unknown promotion step "git-klone"',
            ],
        );
    });

    it("validates Warehouse subscriptions, which the CRD leaves free-form", async () => {
        const registry = await loadRegistry();
        const warehouse = {
            apiVersion: "kargo.akuity.io/v1alpha1",
            kind: "Warehouse",
            metadata: { name: "w", namespace: "p" },
            spec: {
                interval: "5m0s",
                subscriptions: [
                    { chart: { repoURL: "oci://ghcr.io/a/b", semverConstraint: "^1", discoveryLimit: 500 } },
                    { chart: {}, image: {} },
                ],
            },
        };
        const issues = registry.validateObject(warehouse as never);
        assert.deepEqual(
            issues.map((i) => `${i.path}: ${i.message}`),
            [
                "/spec/subscriptions/0/chart/discoveryLimit: must be <= 100",
                "/spec/subscriptions/1: a subscription has exactly one of chart, git, image",
            ],
        );
    });

    it("refuses kinds no pinned CRD defines", async () => {
        const registry = await loadRegistry();
        const issues = registry.validateObject({
            apiVersion: "kargo.akuity.io/v1alpha2",
            kind: "Stage",
            metadata: { name: "x" },
        } as never);
        assert.deepEqual(
            issues.map((i) => i.message),
            ["no pinned CRD defines kargo.akuity.io/v1alpha2 Stage"],
        );
    });
});
