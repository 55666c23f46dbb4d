/**
 * The rehearsal's verification (offline/rehearsal/verification.ts): Kargo's AnalysisRun builder with the
 * Stage's args evaluated against a Freight collection, then Rollouts' checks. Cases are data.
 */
import { strict as assert } from "node:assert";
import type { FreightContext } from "../../../offline/rehearsal/expr/functions";
import { rehearseVerification } from "../../../offline/rehearsal/verification";
import type { KubeObject } from "../../../offline/rehearsal/types";

const A = "oci://ghcr.io/acme/charts/a";
const B = "oci://ghcr.io/acme/charts/b";

/** Dev requests Warehouses a and b (per-chart); the collection carries a's Freight only. */
const FREIGHT: FreightContext = {
    requests: [
        { origin: { kind: "Warehouse", name: "a" }, sources: { direct: true } },
        { origin: { kind: "Warehouse", name: "b" }, sources: { direct: true } },
    ],
    subscriptionsByWarehouse: new Map([
        ["a", [{ repoURL: A }]],
        ["b", [{ repoURL: B }]],
    ]),
    collection: [
        {
            name: "f1",
            origin: { kind: "Warehouse", name: "a" },
            charts: [{ RepoURL: A, Name: "", Version: "1.2.3" }],
        },
    ],
};

const TEMPLATE: KubeObject = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AnalysisTemplate",
    metadata: { name: "smoke", namespace: "shop" },
    spec: {
        args: [{ name: "version" }],
        metrics: [
            {
                name: "v",
                successCondition: 'result == "{{ args.version }}"',
                provider: { web: { url: "https://x" } },
            },
        ],
    },
};

const stage = (value: string, vars: { name: string; value: string }[] = []): KubeObject => ({
    apiVersion: "kargo.akuity.io/v1alpha1",
    kind: "Stage",
    metadata: { name: "dev", namespace: "shop" },
    spec: {
        vars,
        verification: { analysisTemplates: [{ name: "smoke" }], args: [{ name: "version", value }] },
    },
});

const quoted = (repo: string) => "${{ quote(chartFrom(" + JSON.stringify(repo) + ").Version) }}";
const guarded = (repo: string) => "${{ quote(chartFrom(" + JSON.stringify(repo) + ')?.Version ?? "") }}';
const ERRORS =
    "every AnalysisRun errors, so no Freight is ever verified: Kargo cannot build it: build spec: build arguments: ";

export const REHEARSED_VERIFICATION_CASES: {
    name: string;
    stage: KubeObject;
    value: string;
    problems: string[];
}[] = [
    {
        name: "a carried chart's version, quoted",
        stage: stage(quoted(A)),
        value: "1.2.3",
        problems: [],
    },
    {
        name: "a chart the collection does not carry, guarded: empty",
        stage: stage(guarded(B)),
        value: "",
        problems: [],
    },
    {
        name: "a chart the collection does not carry, unguarded: .Version of nil errors",
        stage: stage(quoted(B)),
        value: `(error: cannot fetch Version from nil (in ${quoted(B)}))`,
        problems: [`${ERRORS}evaluate argument "version": cannot fetch Version from nil (in ${quoted(B)})`],
    },
    {
        name: "an expression that evaluates to a bool",
        stage: stage("${{ true }}"),
        value: "true",
        problems: [`${ERRORS}evaluated argument "version" value is not a string but bool`],
    },
    {
        name: "a Stage var, evaluated first",
        stage: stage("${{ vars.v }}", [{ name: "v", value: "x" }]),
        value: "x",
        problems: [],
    },
];

describe("rehearsal: verification built and validated against the Freight collection", () => {
    for (const c of REHEARSED_VERIFICATION_CASES) {
        it(c.name, () => {
            const result = rehearseVerification(c.stage, [c.stage, TEMPLATE], FREIGHT);
            assert.deepEqual(result?.args, [{ name: "version", value: c.value }]);
            assert.deepEqual(result?.problems, c.problems);
        });
    }

    it("a Stage without verification has none to play", () =>
        assert.equal(rehearseVerification({ ...stage(""), spec: {} }, [], FREIGHT), undefined));
});
