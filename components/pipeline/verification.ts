/**
 * Verification that gates dev → prod: Argo Rollouts AnalysisTemplates in the project namespace, run by
 * Kargo after each promotion into dev. One health and one version check per dev chart, on the dev hostname
 * that serves it (config/verificationChecks.ts). Every arg Kargo passes is declared here, every value is a
 * string, and a chart the Freight does not carry yet yields "" (its version check then passes on health
 * alone) instead of an error that would fail the whole verification.
 */
import type { StackConfig } from "../config";
import type { ChartConfig } from "../config/pipeline";
import { selectVerificationTargets, type VerificationTarget } from "../config/verificationChecks";
import { ACCESS_CLIENT_ID_KEY, ACCESS_CLIENT_SECRET_KEY } from "../core/names";
import { guardedChartVersionExpression } from "./names";
import type { AnalysisTemplate } from "../core/generated";
import { ARGO_API, MANAGED_BY } from "../core/objects";

export const SMOKE_TEMPLATE = "smoke";
export const VISUAL_REGRESSION_TEMPLATE = "visual-regression";

export function selectAnalysisTemplateNames(cfg: StackConfig): string[] {
    return cfg.verification.visualRegression.enabled
        ? [SMOKE_TEMPLATE, VISUAL_REGRESSION_TEMPLATE]
        : [SMOKE_TEMPLATE];
}

/** The args of one dev chart's checks: its dev hostname's URL and its promoted version. */
export function selectChartArgNames(chart: Pick<ChartConfig, "name">): { url: string; version: string } {
    return { url: `base-url-${chart.name}`, version: `version-${chart.name}` };
}

/** `monolith-public` → `MONOLITH_PUBLIC`, for the visual-regression Job's environment. */
function envSuffix(chart: Pick<ChartConfig, "name">): string {
    return chart.name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

const argRef = (name: string) => `{{ args.${name} }}`;

/** Args the Stage passes. Verification sees only Stage vars and Freight, so values are literal or Freight. */
export function buildVerificationArgs(cfg: StackConfig): { name: string; value: string }[] {
    return selectVerificationTargets(cfg).flatMap(({ chart, hostname }) => {
        const names = selectChartArgNames(chart);
        return [
            { name: names.url, value: "https://" + hostname },
            { name: names.version, value: guardedChartVersionExpression(chart) },
        ];
    });
}

/** The templates' args: each one the Stage passes, declared without a default so a missing one errors. */
function declareChartArgs(targets: readonly VerificationTarget<ChartConfig>[]): { name: string }[] {
    return targets.flatMap(({ chart }) => {
        const names = selectChartArgNames(chart);
        return [{ name: names.url }, { name: names.version }];
    });
}

export function buildSmokeTemplate(cfg: StackConfig): AnalysisTemplate {
    const smoke = cfg.verification.smoke;
    const targets = selectVerificationTargets(cfg);
    const accessHeaders = [
        { key: "CF-Access-Client-Id", value: "{{ args.access-client-id }}" },
        { key: "CF-Access-Client-Secret", value: "{{ args.access-client-secret }}" },
    ];
    return {
        apiVersion: ARGO_API,
        kind: "AnalysisTemplate",
        metadata: { name: SMOKE_TEMPLATE, namespace: cfg.pipeline.project, labels: { ...MANAGED_BY } },
        spec: {
            args: [
                ...declareChartArgs(targets),
                {
                    name: "access-client-id",
                    valueFrom: { secretKeyRef: { name: smoke.accessSecretName, key: ACCESS_CLIENT_ID_KEY } },
                },
                {
                    name: "access-client-secret",
                    valueFrom: {
                        secretKeyRef: { name: smoke.accessSecretName, key: ACCESS_CLIENT_SECRET_KEY },
                    },
                },
            ],
            metrics: targets.flatMap(({ chart }) => {
                const names = selectChartArgNames(chart);
                return [
                    {
                        // A JSON body with jsonPath is required: a non-JSON 2xx body "passes" without evaluation.
                        name: `health-${chart.name}`,
                        count: smoke.count,
                        interval: smoke.interval,
                        failureLimit: smoke.failureLimit,
                        successCondition: 'result == "ok"',
                        provider: {
                            web: {
                                url: argRef(names.url) + smoke.healthPath,
                                headers: accessHeaders,
                                timeoutSeconds: 10,
                                jsonPath: "{$.status}",
                            },
                        },
                    },
                    {
                        // "" is a chart the Freight does not carry yet: nothing to compare (see the file head).
                        name: `version-${chart.name}`,
                        successCondition: `"${argRef(names.version)}" == "" || result == "${argRef(names.version)}"`,
                        provider: {
                            web: {
                                url: argRef(names.url) + smoke.versionPath,
                                headers: accessHeaders,
                                timeoutSeconds: 10,
                                jsonPath: "{$.version}",
                            },
                        },
                    },
                ];
            }),
        },
    };
}

export function buildVisualRegressionTemplate(cfg: StackConfig): AnalysisTemplate {
    const vr = cfg.verification.visualRegression;
    const smoke = cfg.verification.smoke;
    const targets = selectVerificationTargets(cfg);
    // Every dev chart's URL and version, and (for a Job written against one chart) the first one's unsuffixed.
    const chartEnv = targets.flatMap(({ chart }, i) => {
        const names = selectChartArgNames(chart);
        const suffixed = [
            { name: `BASE_URL_${envSuffix(chart)}`, value: argRef(names.url) },
            { name: `EXPECTED_VERSION_${envSuffix(chart)}`, value: argRef(names.version) },
        ];
        return i > 0
            ? suffixed
            : [
                  { name: "BASE_URL", value: argRef(names.url) },
                  { name: "EXPECTED_VERSION", value: argRef(names.version) },
                  ...suffixed,
              ];
    });
    const fromAccessSecret = (key: string) => ({ secretKeyRef: { name: smoke.accessSecretName, key } });
    return {
        apiVersion: ARGO_API,
        kind: "AnalysisTemplate",
        metadata: {
            name: VISUAL_REGRESSION_TEMPLATE,
            namespace: cfg.pipeline.project,
            labels: { ...MANAGED_BY },
        },
        spec: {
            args: declareChartArgs(targets),
            metrics: [
                {
                    name: "visual-diff",
                    provider: {
                        job: {
                            metadata: {
                                labels: { ...MANAGED_BY, "app.kubernetes.io/component": "verification" },
                            },
                            spec: {
                                // One attempt, bounded: a flaky retry loop would only delay the verdict.
                                backoffLimit: 0,
                                activeDeadlineSeconds: vr.activeDeadlineSeconds,
                                ttlSecondsAfterFinished: 3600,
                                template: {
                                    spec: {
                                        restartPolicy: "Never",
                                        containers: [
                                            {
                                                name: "visual-regression",
                                                image: vr.image,
                                                command: [...vr.command],
                                                args: [...vr.args],
                                                env: [
                                                    ...chartEnv,
                                                    {
                                                        name: "CF_ACCESS_CLIENT_ID",
                                                        valueFrom: fromAccessSecret(ACCESS_CLIENT_ID_KEY),
                                                    },
                                                    {
                                                        name: "CF_ACCESS_CLIENT_SECRET",
                                                        valueFrom: fromAccessSecret(ACCESS_CLIENT_SECRET_KEY),
                                                    },
                                                ],
                                                resources: vr.resources,
                                            },
                                        ],
                                    },
                                },
                            },
                        },
                    },
                },
            ],
        },
    };
}

export function buildAnalysisTemplates(cfg: StackConfig): AnalysisTemplate[] {
    const templates = [buildSmokeTemplate(cfg)];
    if (cfg.verification.visualRegression.enabled) templates.push(buildVisualRegressionTemplate(cfg));
    return templates;
}
