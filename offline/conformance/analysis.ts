/**
 * Analysis cases: each AnalysisTemplate a Stage's verification uses, with that Stage's args, and generated
 * variants of it (limits, intervals, args dropped or undeclared, duplicate metric names), judged by the
 * offline model (offline/behaviour/analysis.ts: Kargo's builder and Rollouts' checks as ported) and by
 * Argo Rollouts v1.9.1's own MergeArgs, ResolveMetricArgs and ValidateMetrics (conformance/internal/analysis).
 *
 * A Stage arg holding a `${{ }}` expression gets a sample string: what the expression evaluates to is the
 * expressions harness's business; here only its being a string matters.
 */
import {
    buildAnalysisRunSpec,
    checkAnalysisRun,
    VerificationBuildError,
    type AnalysisTemplateSpec,
} from "../behaviour/analysis";
import type { OracleCase, Verdict } from "./cases";

type Obj = Record<string, unknown>;
type Arg = { name: string; value?: string };

const SAMPLE_EVALUATED = "1.2.3";

function metaOf(o: Obj): { name?: string; namespace?: string } {
    return (o.metadata ?? {}) as { name?: string; namespace?: string };
}

function clone<T>(v: T): T {
    return JSON.parse(JSON.stringify(v)) as T;
}

/** The Stage's args as Kargo hands them on after evaluation. */
function stageArgs(stage: Obj): Arg[] {
    const verification = ((stage.spec ?? {}) as { verification?: { args?: Arg[] } }).verification;
    return (verification?.args ?? []).map((a) => ({
        name: a.name,
        ...(a.value !== undefined ? { value: a.value.includes("${{") ? SAMPLE_EVALUATED : a.value } : {}),
    }));
}

/** One-change variants of a template with its args: the settings ValidateMetric and arg resolution judge. */
export function buildAnalysisVariants(
    template: Obj,
    args: readonly Arg[],
): { label: string; template: Obj; args: Arg[] }[] {
    const out: { label: string; template: Obj; args: Arg[] }[] = [
        { label: "as declared", template, args: [...args] },
    ];
    const spec = template.spec as { metrics?: Obj[] };
    const metrics = spec.metrics ?? [];
    metrics.forEach((_m, i) => {
        for (const count of [undefined, 1, 2, 3])
            for (const failureLimit of [undefined, -1, 0, 1, 2, 3])
                for (const interval of [undefined, "10s"]) {
                    const t = clone(template);
                    const m = (t.spec as { metrics: Obj[] }).metrics[i];
                    for (const [k, v] of Object.entries({ count, failureLimit, interval })) {
                        if (v === undefined) delete m[k];
                        else m[k] = v;
                    }
                    out.push({
                        label: `metrics[${i}] count=${count} failureLimit=${failureLimit} interval=${interval}`,
                        template: t,
                        args: [...args],
                    });
                }
        const t = clone(template);
        const m = (t.spec as { metrics: Obj[] }).metrics[i];
        m.successCondition = "result == '{{ args.undeclared-conformance-arg }}'";
        out.push({ label: `metrics[${i}] reads an undeclared arg`, template: t, args: [...args] });
    });
    if (metrics.length > 1) {
        const t = clone(template);
        const ms = (t.spec as { metrics: Obj[] }).metrics;
        ms[1].name = ms[0].name;
        out.push({ label: "duplicate metric name", template: t, args: [...args] });
    }
    args.forEach((a, i) => {
        out.push({ label: `arg ${a.name} not passed`, template, args: args.filter((_x, j) => j !== i) });
        out.push({
            label: `arg ${a.name} empty`,
            template,
            args: args.map((x, j) => (j === i ? { name: x.name } : x)),
        });
    });
    return out;
}

/** The cases: every (Stage, template) pair of every source, with its variants. */
export function buildAnalysisCases(
    sources: readonly { label: string; objects: readonly Obj[] }[],
): OracleCase[] {
    const out: OracleCase[] = [];
    const seen = new Set<string>();
    for (const source of sources) {
        const templates = source.objects.filter((o) => o.kind === "AnalysisTemplate");
        for (const stage of source.objects.filter((o) => o.kind === "Stage")) {
            const refs =
                (stage.spec as { verification?: { analysisTemplates?: { name: string }[] } }).verification
                    ?.analysisTemplates ?? [];
            for (const ref of refs) {
                const template = templates.find(
                    (t) => metaOf(t).name === ref.name && metaOf(t).namespace === metaOf(stage).namespace,
                );
                if (!template) continue; // a missing template is the behaviour rules' finding, not Rollouts'
                for (const v of buildAnalysisVariants(template, stageArgs(stage))) {
                    const key = JSON.stringify([v.template, v.args]);
                    if (seen.has(key)) continue;
                    seen.add(key);
                    out.push({
                        id: `${source.label}: Stage ${metaOf(stage).name} × AnalysisTemplate ${ref.name} [${v.label}]`,
                        object: v.template,
                        args: v.args,
                    });
                }
            }
        }
    }
    return out;
}

/** The model: Kargo's builder as ported (one template), then Rollouts' run checks as ported. */
export function judgeAnalysisWithModel(cases: readonly OracleCase[]): Verdict[] {
    return cases.map((c) => {
        try {
            const spec = (c.object?.spec ?? {}) as AnalysisTemplateSpec;
            const run = buildAnalysisRunSpec([spec], c.args ?? [], (value) => value);
            const error = checkAnalysisRun(run);
            return error ? { id: c.id, allowed: false, message: error } : { id: c.id, allowed: true };
        } catch (err) {
            if (err instanceof VerificationBuildError)
                return { id: c.id, allowed: false, message: err.message };
            throw err;
        }
    });
}
