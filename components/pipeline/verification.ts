/**
 * Verification that gates dev → prod: Argo Rollouts AnalysisTemplates in the project namespace, run by
 * Kargo after each promotion into dev. Every arg Kargo passes is declared here, and every value is a string.
 */
import type { StackConfig } from "../config";
import { selectDevCharts } from "../config/devCharts";
import { ACCESS_CLIENT_ID_KEY, ACCESS_CLIENT_SECRET_KEY } from "../core/names";
import { quotedChartVersionExpression } from "./names";
import type { AnalysisTemplate } from "../core/generated";
import { ARGO_API, MANAGED_BY } from "../core/objects";

export const SMOKE_TEMPLATE = "smoke";
export const VISUAL_REGRESSION_TEMPLATE = "visual-regression";

export function selectAnalysisTemplateNames(cfg: StackConfig): string[] {
    return cfg.verification.visualRegression.enabled
        ? [SMOKE_TEMPLATE, VISUAL_REGRESSION_TEMPLATE]
        : [SMOKE_TEMPLATE];
}

/** The chart whose version the dev hostname serves: the first chart the dev stage runs. */
function primaryChart(cfg: StackConfig) {
    return selectDevCharts(cfg)[0] ?? cfg.charts[0];
}

/** Args the Stage passes. Verification sees only Stage vars and Freight, so values are literal or Freight. */
export function buildVerificationArgs(cfg: StackConfig): { name: string; value: string }[] {
    return [
        { name: "base-url", value: "https://" + cfg.verification.devHostnames[0] },
        { name: "version", value: quotedChartVersionExpression(primaryChart(cfg)) },
    ];
}

export function buildSmokeTemplate(cfg: StackConfig): AnalysisTemplate {
    const smoke = cfg.verification.smoke;
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
                { name: "base-url" },
                { name: "version" },
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
            metrics: [
                {
                    // A JSON body with jsonPath is required: a non-JSON 2xx body "passes" without evaluation.
                    name: "health",
                    count: smoke.count,
                    interval: smoke.interval,
                    failureLimit: smoke.failureLimit,
                    successCondition: 'result == "ok"',
                    provider: {
                        web: {
                            url: "{{ args.base-url }}" + smoke.healthPath,
                            headers: accessHeaders,
                            timeoutSeconds: 10,
                            jsonPath: "{$.status}",
                        },
                    },
                },
                {
                    name: "version-served",
                    successCondition: 'result == "{{ args.version }}"',
                    provider: {
                        web: {
                            url: "{{ args.base-url }}" + smoke.versionPath,
                            headers: accessHeaders,
                            timeoutSeconds: 10,
                            jsonPath: "{$.version}",
                        },
                    },
                },
            ],
        },
    };
}

export function buildVisualRegressionTemplate(cfg: StackConfig): AnalysisTemplate {
    const vr = cfg.verification.visualRegression;
    const smoke = cfg.verification.smoke;
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
            args: [{ name: "base-url" }, { name: "version" }],
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
                                                    { name: "BASE_URL", value: "{{ args.base-url }}" },
                                                    { name: "EXPECTED_VERSION", value: "{{ args.version }}" },
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
