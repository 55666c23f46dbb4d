/**
 * A Stage's `verification` that every webhook admits but whose every AnalysisRun errors (or can never fail),
 * judged on the Stage and the AnalysisTemplates among the same objects with the ported upstream rules of
 * ./analysis (Kargo v1.11.2's builder, Argo Rollouts v1.9.1's argument resolution and metric validation).
 * Args that are Kargo expressions are only known once Freight exists: here they count as supplied strings of
 * unknown text (the rehearsal evaluates them against its Freight, offline/rehearsal/verification.ts).
 */
import type { RuleIssue } from "../admission/objects";
import {
    buildAnalysisRunSpec,
    checkAnalysisRun,
    findNeverFailingMetric,
    isJudgeable,
    resolveRunMetrics,
    VerificationBuildError,
    type AnalysisTemplateSpec,
    type ArgEvaluator,
} from "./analysis";

const KARGO_API = "kargo.akuity.io/v1alpha1";
const ARGO_API = "argoproj.io/v1alpha1";
const HAS_EXPRESSION = /\$\{\{|\$\{%/;

interface Obj {
    apiVersion?: string;
    kind?: string;
    metadata?: { name?: string; namespace?: string };
    spec?: Record<string, unknown>;
}

/** `kargoapi.Verification`, the fields the builder reads. */
export interface VerificationSpec {
    readonly analysisTemplates?: readonly { readonly name?: string; readonly kind?: string }[];
    readonly args?: readonly { readonly name: string; readonly value?: string }[];
}

export interface BehaviourOptions {
    /** The objects stand for the whole cluster: a template not among them does not exist. */
    readonly cluster?: boolean;
}

/** A template reference, resolved among `all` as getAnalysisTemplates reads the cluster. */
export function findTemplate(
    all: readonly unknown[],
    ref: { readonly name?: string; readonly kind?: string },
    namespace: string,
): AnalysisTemplateSpec | undefined {
    const kind = ref.kind === "ClusterAnalysisTemplate" ? "ClusterAnalysisTemplate" : "AnalysisTemplate";
    const found = (all as Obj[]).find(
        (o) =>
            o?.apiVersion === ARGO_API &&
            o.kind === kind &&
            o.metadata?.name === ref.name &&
            (kind === "ClusterAnalysisTemplate" || (o.metadata?.namespace ?? "") === namespace),
    );
    return found ? ((found.spec ?? {}) as AnalysisTemplateSpec) : undefined;
}

/** analysis_run_builder.go getAnalysisTemplates' error for a template the cluster does not hold. */
export function describeMissingTemplate(
    ref: { readonly name?: string; readonly kind?: string },
    namespace: string,
): string {
    const name = JSON.stringify(ref.name ?? "");
    return ref.kind === "ClusterAnalysisTemplate"
        ? `get analysis templates: get ClusterAnalysisRun ${name}: clusteranalysistemplates.argoproj.io ${name} not found`
        : `get analysis templates: get AnalysisRun ${name} in namespace ${JSON.stringify(namespace)}: analysistemplates.argoproj.io ${name} not found`;
}

/** A literal is its own value (EvaluateTemplate returns it untouched); an expression is not known here. */
export const staticArgEvaluator: ArgEvaluator = (value) => (HAS_EXPRESSION.test(value) ? undefined : value);

/**
 * Why the verification of a Stage in `namespace` fails before or instead of measuring, given its templates
 * (undefined entries: not found). Each string is a whole message; [] when it would run and can fail.
 */
export function judgeVerification(
    verification: VerificationSpec,
    namespace: string,
    templates: readonly (AnalysisTemplateSpec | undefined)[],
    evaluate: ArgEvaluator,
): string[] {
    const refs = verification.analysisTemplates ?? [];
    const missing = refs.flatMap((ref, i) =>
        templates[i] === undefined ? [describeMissingTemplate(ref, namespace)] : [],
    );
    const errors = "every AnalysisRun errors, so no Freight is ever verified: ";
    if (missing.length > 0) return missing.map((m) => `${errors}Kargo cannot build it: ${m}`);
    let spec;
    try {
        spec = buildAnalysisRunSpec(templates as AnalysisTemplateSpec[], verification.args ?? [], evaluate);
    } catch (err) {
        if (!(err instanceof VerificationBuildError)) throw err;
        return [`${errors}Kargo cannot build it: build spec: ${err.message}`];
    }
    const invalid = checkAnalysisRun(spec);
    if (invalid) return [`${errors}Argo Rollouts sets phase Error: ${invalid}`];
    return resolveRunMetrics(spec)
        .filter(isJudgeable)
        .flatMap((m) => {
            const never = findNeverFailingMetric(m);
            return never
                ? [
                      `metric ${JSON.stringify(m.name ?? "")} can never fail, so it verifies whatever dev serves: ${never}`,
                  ]
                : [];
        });
}

/**
 * The behaviour rule: a Stage whose verification would error every time (Kargo's builder or Rollouts'
 * validation refuses it) or can never fail. A template absent from the objects is judged only when they
 * stand for the cluster.
 */
export function findVerificationProblems(
    obj: unknown,
    all: readonly unknown[],
    options: BehaviourOptions = {},
): RuleIssue[] {
    const stage = obj as Obj;
    if (stage?.apiVersion !== KARGO_API || stage.kind !== "Stage") return [];
    const verification = stage.spec?.verification as VerificationSpec | undefined;
    if (!verification || (verification.analysisTemplates ?? []).length === 0) return [];
    const namespace = stage.metadata?.namespace ?? "";
    const templates = (verification.analysisTemplates ?? []).map((ref) => findTemplate(all, ref, namespace));
    if (!options.cluster && templates.some((t) => t === undefined)) return [];
    return judgeVerification(verification, namespace, templates, staticArgEvaluator).map((message) => ({
        path: "/spec/verification",
        message,
    }));
}
