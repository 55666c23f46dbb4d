/**
 * The verification model (offline/behaviour/analysis.ts, verification.ts): Kargo's AnalysisRun builder and
 * Argo Rollouts' argument resolution and metric validation. Every case is data (input and the exact
 * upstream message), so the conformance harness can feed the same table to the upstream code.
 */
import { strict as assert } from "node:assert";
import { validateBehaviourAll } from "../../../offline/behaviour";
import {
    checkAnalysisRun,
    findNeverFailingMetric,
    resolveArgs,
    validateMetric,
    type AnalysisTemplateSpec,
    type Metric,
} from "../../../offline/behaviour/analysis";
import { judgeVerification, staticArgEvaluator } from "../../../offline/behaviour/verification";

const WEB = { web: { url: "https://dev.example.com/healthz", jsonPath: "{$.status}" } };
const metric = (fields: Record<string, unknown>): Metric => ({ name: "health", provider: WEB, ...fields });

/** Argo Rollouts v1.9.1 utils/analysis/factory.go ValidateMetric. */
export const VALIDATE_METRIC_CASES: { name: string; metric: Metric; expected?: string }[] = [
    { name: "one measurement, no limits", metric: metric({}) },
    {
        name: "count 5 failureLimit 1 interval 10s",
        metric: metric({ count: 5, failureLimit: 1, interval: "10s" }),
    },
    {
        name: "count 1 failureLimit 2 (issue 17's example)",
        metric: metric({ count: 1, failureLimit: 2 }),
        expected: "count (1) must be >= failureLimit + consecutiveSuccessLimit (2 + 0) if both >= 0",
    },
    {
        name: "count below failureLimit + consecutiveSuccessLimit",
        metric: metric({ count: 3, failureLimit: 1, consecutiveSuccessLimit: 3, interval: "5s" }),
        expected: "count (3) must be >= failureLimit + consecutiveSuccessLimit (1 + 3) if both >= 0",
    },
    {
        name: "count equal to failureLimit (admitted upstream)",
        metric: metric({ count: 2, failureLimit: 2, interval: "5s" }),
    },
    {
        name: "count as a string",
        metric: metric({ count: "1", failureLimit: "2" }),
        expected: "count (1) must be >= failureLimit + consecutiveSuccessLimit (2 + 0) if both >= 0",
    },
    {
        name: "failureLimit -2",
        metric: metric({ failureLimit: -2 }),
        expected: "failureLimit must be >= 0, or -1 to be disabled",
    },
    {
        name: "failureLimit and consecutiveSuccessLimit both disabled",
        metric: metric({ failureLimit: -1 }),
        expected: "failureLimit and consecutiveSuccessLimit cannot both be disabled",
    },
    {
        name: "negative consecutiveSuccessLimit",
        metric: metric({ consecutiveSuccessLimit: -1 }),
        expected: "consecutiveSuccessLimit must be >= 0",
    },
    {
        name: "negative inconclusiveLimit",
        metric: metric({ inconclusiveLimit: -1 }),
        expected: "inconclusiveLimit must be >= 0",
    },
    {
        name: "negative consecutiveErrorLimit",
        metric: metric({ consecutiveErrorLimit: -1 }),
        expected: "consecutiveErrorLimit must be >= 0",
    },
    {
        name: "count below inconclusiveLimit",
        metric: metric({ count: 1, inconclusiveLimit: 2 }),
        expected: "count must be >= inconclusiveLimit",
    },
    {
        name: "count 2 without interval",
        metric: metric({ count: 2 }),
        expected: "interval must be specified when count > 1",
    },
    {
        name: "an interval Go cannot parse",
        metric: metric({ interval: "10 seconds" }),
        expected: 'invalid interval string: time: invalid duration "10 seconds"',
    },
    { name: "no provider", metric: { name: "health" }, expected: "no provider specified" },
    {
        name: "two providers",
        metric: { name: "health", provider: { ...WEB, job: { spec: {} } } },
        expected: "multiple providers specified",
    },
];

describe("Rollouts ValidateMetric (utils/analysis/factory.go)", () => {
    for (const c of VALIDATE_METRIC_CASES) {
        it(`${c.expected ? "refuses" : "admits"} ${c.name}`, () =>
            assert.equal(validateMetric(c.metric), c.expected));
    }
    it("flags count == failureLimit as never failing (stricter than upstream, which admits it)", () => {
        assert.match(
            findNeverFailingMetric(metric({ count: 2, failureLimit: 2, interval: "5s" })) ?? "",
            /^count \(2\) <= failureLimit \(2\): at most 2 measurement\(s\) can fail/,
        );
        assert.equal(
            findNeverFailingMetric(metric({ count: 3, failureLimit: 2, interval: "5s" })),
            undefined,
        );
        assert.equal(
            findNeverFailingMetric(metric({ failureLimit: 2 })),
            undefined,
            "count unset: unbounded",
        );
    });
});

/** utils/template/template.go ResolveArgs over fasttemplate. */
export const RESOLVE_ARGS_CASES: {
    name: string;
    template: string;
    args: { name: string; value?: string }[];
    expected: { value: string; error?: string };
}[] = [
    {
        name: "a declared arg, spaces trimmed",
        template: "{{ args.base-url }}/healthz",
        args: [{ name: "base-url", value: "https://dev" }],
        expected: { value: "https://dev/healthz" },
    },
    {
        name: "an undeclared arg",
        template: 'result == "{{ args.version }}"',
        args: [{ name: "base-url", value: "https://dev" }],
        expected: { value: 'result == ""', error: "failed to resolve {{ args.version }}" },
    },
    {
        name: "any other tag",
        template: "{{ metric.name }}",
        args: [],
        expected: { value: "", error: "failed to resolve {{ metric.name }}" },
    },
    {
        name: "an arg without value",
        template: "x",
        args: [{ name: "version" }],
        expected: { value: "", error: 'argument "version" was not supplied' },
    },
    {
        name: "an unclosed tag",
        template: "{{ args.x",
        args: [],
        expected: {
            value: "",
            error: 'Cannot find end tag="}}" in the template="{{ args.x" starting from " args.x"',
        },
    },
    {
        name: "single braces (a JSONPath)",
        template: "{$.status}",
        args: [],
        expected: { value: "{$.status}" },
    },
];

describe("Rollouts ResolveArgs (utils/template/template.go)", () => {
    for (const c of RESOLVE_ARGS_CASES) {
        it(c.name, () => assert.deepEqual(resolveArgs(c.template, c.args), c.expected));
    }
});

const SMOKE: AnalysisTemplateSpec = {
    args: [
        { name: "base-url" },
        { name: "version" },
        { name: "token", valueFrom: { secretKeyRef: { name: "access", key: "client-id" } } },
    ],
    metrics: [
        {
            name: "version-served",
            successCondition: 'result == "{{ args.version }}"',
            provider: {
                web: {
                    url: "{{ args.base-url }}/version",
                    headers: [{ key: "T", value: "{{ args.token }}" }],
                },
            },
        },
    ],
};
const ARGS = [
    { name: "base-url", value: "https://dev.example.com" },
    { name: "version", value: '${{ quote(chartFrom("oci://ghcr.io/acme/charts/shop").Version) }}' },
];
const ERRORS = "every AnalysisRun errors, so no Freight is ever verified: ";

/** Kargo's builder and Rollouts' reconcile on a Stage's verification; templates[i] undefined: not found. */
export const VERIFICATION_CASES: {
    name: string;
    refs: { name: string; kind?: string }[];
    templates: (AnalysisTemplateSpec | undefined)[];
    args: { name: string; value?: string }[];
    evaluate?: (value: string) => unknown;
    expected: string[];
}[] = [
    { name: "compliant", refs: [{ name: "smoke" }], templates: [SMOKE], args: ARGS, expected: [] },
    {
        name: "a missing AnalysisTemplate",
        refs: [{ name: "smoke" }],
        templates: [undefined],
        args: ARGS,
        expected: [
            `${ERRORS}Kargo cannot build it: get analysis templates: get AnalysisRun "smoke" in namespace "shop": analysistemplates.argoproj.io "smoke" not found`,
        ],
    },
    {
        name: "a missing ClusterAnalysisTemplate",
        refs: [{ name: "smoke", kind: "ClusterAnalysisTemplate" }],
        templates: [undefined],
        args: ARGS,
        expected: [
            `${ERRORS}Kargo cannot build it: get analysis templates: get ClusterAnalysisRun "smoke": clusteranalysistemplates.argoproj.io "smoke" not found`,
        ],
    },
    {
        name: "duplicate metric names across templates",
        refs: [{ name: "smoke" }, { name: "smoke-again" }],
        templates: [SMOKE, SMOKE],
        args: ARGS,
        expected: [
            `${ERRORS}Kargo cannot build it: build spec: flatten templates: flatten metrics: duplicate metric name: "version-served"`,
        ],
    },
    {
        name: "conflicting template defaults for one arg",
        refs: [{ name: "a" }, { name: "b" }],
        templates: [
            { args: [{ name: "x", value: "1" }], metrics: [metric({ name: "a" })] },
            { args: [{ name: "x", value: "2" }], metrics: [metric({ name: "b" })] },
        ],
        args: [],
        expected: [
            `${ERRORS}Kargo cannot build it: build spec: flatten templates: flatten arguments: conflicting values for argument "x": "1" and "2"`,
        ],
    },
    {
        name: "a template arg the Stage does not pass",
        refs: [{ name: "smoke" }],
        templates: [SMOKE],
        args: [ARGS[0]],
        expected: [
            `${ERRORS}Kargo cannot build it: build spec: build arguments: merge arguments: validate merged arguments: unresolved argument "version": neither Value nor ValueFrom is set`,
        ],
    },
    {
        name: "a Stage arg with an empty value (no value to Kargo)",
        refs: [{ name: "smoke" }],
        templates: [SMOKE],
        args: [ARGS[0], { name: "version", value: "" }],
        expected: [
            `${ERRORS}Kargo cannot build it: build spec: build arguments: merge arguments: validate merged arguments: unresolved argument "version": neither Value nor ValueFrom is set`,
        ],
    },
    {
        name: "a Stage arg that evaluates to a number",
        refs: [{ name: "smoke" }],
        templates: [SMOKE],
        args: [ARGS[0], { name: "version", value: "${{ 1.10 }}" }],
        evaluate: (v) => (v.includes("${{") ? 1.1 : v),
        expected: [
            `${ERRORS}Kargo cannot build it: build spec: build arguments: evaluated argument "version" value is not a string but float64`,
        ],
    },
    {
        name: "a Stage arg no template declares is dropped, not an error",
        refs: [{ name: "smoke" }],
        templates: [SMOKE],
        args: [...ARGS, { name: "unused", value: "x" }],
        expected: [],
    },
    {
        name: "a metric using an undeclared {{ args.x }}",
        refs: [{ name: "smoke" }],
        templates: [
            {
                ...SMOKE,
                metrics: [metric({ name: "m", provider: { web: { url: "{{ args.host }}/healthz" } } })],
            },
        ],
        args: ARGS,
        expected: [
            `${ERRORS}Argo Rollouts sets phase Error: Unable to resolve metric arguments: failed to resolve {{ args.host }}`,
        ],
    },
    {
        name: "count 1, failureLimit 2",
        refs: [{ name: "smoke" }],
        templates: [{ ...SMOKE, metrics: [metric({ count: 1, failureLimit: 2 })] }],
        args: ARGS,
        expected: [
            `${ERRORS}Argo Rollouts sets phase Error: Analysis spec invalid: metrics[0]: count (1) must be >= failureLimit + consecutiveSuccessLimit (2 + 0) if both >= 0`,
        ],
    },
    {
        name: "count from an arg, resolved before validation",
        refs: [{ name: "t" }],
        templates: [
            {
                args: [{ name: "n", value: "2" }],
                metrics: [metric({ count: "{{ args.n }}", failureLimit: 2, interval: "1s" })],
            },
        ],
        args: [],
        expected: [
            'metric "health" can never fail, so it verifies whatever dev serves: count (2) <= failureLimit (2): at most 2 measurement(s) can fail and the metric fails only when failed > failureLimit (argo-rollouts analysis.go assessMetricFailureInconclusiveOrError), so it can never fail; allowed: count > failureLimit',
        ],
    },
    {
        name: "count from an expression arg is not judged statically",
        refs: [{ name: "t" }],
        templates: [{ args: [{ name: "n" }], metrics: [metric({ count: "{{ args.n }}", failureLimit: 2 })] }],
        args: [{ name: "n", value: "${{ vars.n }}" }],
        expected: [],
    },
];

describe("Kargo's AnalysisRun builder and Rollouts' reconcile (judgeVerification)", () => {
    for (const c of VERIFICATION_CASES) {
        it(`${c.expected.length > 0 ? "refuses" : "admits"} ${c.name}`, () =>
            assert.deepEqual(
                judgeVerification(
                    { analysisTemplates: c.refs, args: c.args },
                    "shop",
                    c.templates,
                    c.evaluate ?? staticArgEvaluator,
                ),
                c.expected,
            ));
    }

    it("checkAnalysisRun substitutes secrets before validating, as getResolvedMetricsWithoutSecrets does", () =>
        assert.equal(
            checkAnalysisRun({
                metrics: SMOKE.metrics ?? [],
                args: [...ARGS.map((a) => ({ name: a.name, value: "v" })), SMOKE.args?.[2] ?? { name: "x" }],
            }),
            undefined,
        ));
});

describe("the verification behaviour rule on objects", () => {
    const stage = {
        apiVersion: "kargo.akuity.io/v1alpha1",
        kind: "Stage",
        metadata: { name: "dev", namespace: "shop" },
        spec: { verification: { analysisTemplates: [{ name: "smoke" }], args: ARGS } },
    };
    const template = {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AnalysisTemplate",
        metadata: { name: "smoke", namespace: "shop" },
        spec: SMOKE,
    };
    it("admits a Stage and its template", () =>
        assert.deepEqual(validateBehaviourAll([stage, template]), []));
    it("refuses a template in another namespace, the objects standing for the cluster", () => {
        const elsewhere = { ...template, metadata: { name: "smoke", namespace: "other" } };
        const issues = validateBehaviourAll([stage, elsewhere]);
        assert.deepEqual(
            issues.map((i) => `${i.object} ${i.path}`),
            ["Stage shop/dev /spec/verification"],
        );
        assert.match(issues[0].message, /analysistemplates\.argoproj\.io "smoke" not found/);
    });
    it("does not judge a missing template when the objects are only part of the cluster", () =>
        assert.deepEqual(validateBehaviourAll([stage], { cluster: false }), []));
    it("still judges the templates it has without a cluster", () => {
        const bad = { ...template, spec: { ...SMOKE, metrics: [metric({ count: 1, failureLimit: 2 })] } };
        assert.equal(validateBehaviourAll([stage, bad], { cluster: false }).length, 1);
    });
});
