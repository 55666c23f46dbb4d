/**
 * What happens to a Stage's `verification` between "Freight promoted" and "first measurement", ported rule
 * by rule from the pinned upstream code so the offline checks refuse what would make every AnalysisRun
 * error (and so nothing ever verified):
 * - Kargo v1.11.2 pkg/rollouts/analysis_run_builder.go (Build, getAnalysisTemplates, buildArgs) and
 *   pkg/rollouts/analysis_template.go (flattenTemplates, flattenMetrics, flattenArgs, validateAndUpdateArg,
 *   mergeArgs, validateArgsResolution): the AnalysisRun Kargo creates;
 * - Argo Rollouts v1.9.1 analysis/analysis.go (reconcileAnalysisRun, getResolvedMetricsWithoutSecrets),
 *   utils/analysis/factory.go (ResolveMetricArgs, ValidateMetrics, ValidateMetric) and
 *   utils/template/template.go (ResolveArgs, ResolveQuotedArgs, resolve) with valyala/fasttemplate v1.2.2
 *   (Template.Reset): what the Rollouts controller does with it before measuring.
 * Every function is pure; its cases are data (test/offline/behaviour/analysis.test.ts), so the same table can
 * be fed to the upstream code by the conformance harness.
 */

/** `rolloutsapi.Argument`: `value` nil (absent) differs from `value: ""`. */
export interface AnalysisArgument {
    readonly name: string;
    readonly value?: string;
    readonly valueFrom?: { readonly secretKeyRef?: unknown; readonly fieldRef?: unknown };
}

/** `rolloutsapi.Metric`, as plain JSON: the fields ValidateMetric reads are typed, the rest kept as is. */
export type Metric = Readonly<Record<string, unknown>> & { readonly name?: string };

/** `rolloutsapi.AnalysisTemplateSpec`. */
export interface AnalysisTemplateSpec {
    readonly metrics?: readonly Metric[];
    readonly args?: readonly AnalysisArgument[];
    readonly dryRun?: readonly { readonly metricName?: string }[];
    readonly measurementRetention?: readonly { readonly metricName?: string }[];
}

/** The part of `rolloutsapi.AnalysisRunSpec` Kargo's builder fills and Rollouts validates. */
export interface AnalysisRunSpec {
    readonly metrics: readonly Metric[];
    readonly args: readonly AnalysisArgument[];
}

/** intstr.IntOrString.IntValue: an int as is, a string through strconv.Atoi (0 when it does not parse). */
export function intValue(value: unknown): number {
    if (typeof value === "number") return Math.trunc(value);
    if (typeof value === "string" && /^[+-]?\d+$/.test(value)) return Number(value);
    return 0;
}

/** Go's time.ParseDuration acceptance: "0", or signed decimal numbers each with a unit. */
export function isGoDuration(value: string): boolean {
    return /^[+-]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/.test(value);
}

/** MetricProvider fields ValidateMetric counts (a plugin counts once per entry). */
const PROVIDERS = [
    "prometheus",
    "job",
    "web",
    "wavefront",
    "kayenta",
    "datadog",
    "newRelic",
    "cloudWatch",
    "graphite",
    "influxdb",
    "skywalking",
] as const;

/** utils/analysis/factory.go ValidateMetric: the exact checks and messages, in upstream order. */
export function validateMetric(metric: Metric): string | undefined {
    const count = metric.count === undefined || metric.count === null ? 0 : intValue(metric.count);
    const failureLimit =
        metric.failureLimit === undefined || metric.failureLimit === null ? 0 : intValue(metric.failureLimit);
    const successLimit =
        metric.consecutiveSuccessLimit === undefined || metric.consecutiveSuccessLimit === null
            ? 0
            : intValue(metric.consecutiveSuccessLimit);
    const inconclusiveLimit =
        metric.inconclusiveLimit === undefined || metric.inconclusiveLimit === null
            ? 0
            : intValue(metric.inconclusiveLimit);
    if (successLimit < 0) return "consecutiveSuccessLimit must be >= 0";
    if (failureLimit < -1) return "failureLimit must be >= 0, or -1 to be disabled";
    if (successLimit === 0 && failureLimit === -1)
        return "failureLimit and consecutiveSuccessLimit cannot both be disabled";
    if (inconclusiveLimit < 0) return "inconclusiveLimit must be >= 0";
    if (
        metric.consecutiveErrorLimit !== undefined &&
        metric.consecutiveErrorLimit !== null &&
        intValue(metric.consecutiveErrorLimit) < 0
    )
        return "consecutiveErrorLimit must be >= 0";
    if (count > 0) {
        if (successLimit >= 0 && failureLimit >= 0) {
            if (count < failureLimit + successLimit)
                return `count (${count}) must be >= failureLimit + consecutiveSuccessLimit (${failureLimit} + ${successLimit}) if both >= 0`;
        } else if (successLimit >= 0 && failureLimit < 0) {
            if (count < successLimit) return "count must be >= consecutiveSuccessLimit";
        }
        if (count < inconclusiveLimit) return "count must be >= inconclusiveLimit";
    }
    const interval = typeof metric.interval === "string" ? metric.interval : "";
    if (count > 1 && interval === "") return "interval must be specified when count > 1";
    if (interval !== "" && !isGoDuration(interval))
        return `invalid interval string: time: invalid duration ${JSON.stringify(interval)}`;
    const initialDelay = typeof metric.initialDelay === "string" ? metric.initialDelay : "";
    if (initialDelay !== "" && !isGoDuration(initialDelay))
        return `invalid startDelay string: time: invalid duration ${JSON.stringify(initialDelay)}`;
    const provider = (metric.provider ?? {}) as Record<string, unknown>;
    let providers = PROVIDERS.filter((p) => provider[p] !== undefined && provider[p] !== null).length;
    const plugin = provider.plugin;
    if (plugin && typeof plugin === "object") providers += Object.keys(plugin).length;
    if (providers === 0) return "no provider specified";
    if (providers > 1) return "multiple providers specified";
    return undefined;
}

/**
 * Deliberately stricter than Rollouts (ValidateMetric admits it): with `count` measurements and no
 * consecutiveSuccessLimit, at most `count` can fail, and analysis.go assessMetricFailureInconclusiveOrError
 * fails the metric only when failed > failureLimit; so count == failureLimit can never fail: a gate that
 * does not gate.
 */
export function findNeverFailingMetric(metric: Metric): string | undefined {
    const count = intValue(metric.count);
    const failureLimit = intValue(metric.failureLimit);
    const successLimit = intValue(metric.consecutiveSuccessLimit);
    if (count > 0 && failureLimit >= 0 && successLimit === 0 && count <= failureLimit) {
        return (
            `count (${count}) <= failureLimit (${failureLimit}): at most ${count} measurement(s) can fail and the ` +
            "metric fails only when failed > failureLimit (argo-rollouts analysis.go " +
            "assessMetricFailureInconclusiveOrError), so it can never fail; allowed: count > failureLimit"
        );
    }
    return undefined;
}

/**
 * utils/analysis/factory.go ValidateMetrics. `judged(metric)` false skips ValidateMetric for a metric whose
 * limits hold a value only known at run time (a static check never guesses it).
 */
export function validateMetrics(
    metrics: readonly Metric[],
    judged: (metric: Metric) => boolean = () => true,
): string | undefined {
    if (metrics.length === 0) return "no metrics specified";
    const seen = new Set<string>();
    for (const [i, metric] of metrics.entries()) {
        const name = metric.name ?? "";
        if (seen.has(name)) return `metrics[${i}]: duplicate name '${name}'`;
        seen.add(name);
        const problem = judged(metric) ? validateMetric(metric) : undefined;
        if (problem) return `metrics[${i}]: ${problem}`;
    }
    return undefined;
}

/**
 * template.go ResolveArgs over fasttemplate: every `{{…}}` tag (not only `args.*`) must name a supplied
 * argument after trimming; an unclosed `{{` is a parse error. Upstream keeps the last unresolved tag's error.
 */
export function resolveArgs(
    template: string,
    args: readonly AnalysisArgument[],
): { value: string; error?: string } {
    const map = new Map<string, string>();
    for (const arg of args) {
        if (arg.value === undefined) return { value: "", error: `argument "${arg.name}" was not supplied` };
        map.set(`args.${arg.name}`, arg.value);
    }
    let out = "";
    let rest = template;
    let error: string | undefined;
    for (;;) {
        const start = rest.indexOf("{{");
        if (start < 0) break;
        const end = rest.indexOf("}}", start + 2);
        if (end < 0) {
            const from = rest.slice(start + 2);
            return {
                value: "",
                error: `Cannot find end tag="}}" in the template=${JSON.stringify(template)} starting from ${JSON.stringify(from)}`,
            };
        }
        const tag = rest.slice(start + 2, end);
        out += rest.slice(0, start);
        const value = map.get(tag.trim());
        if (value === undefined) error = `failed to resolve {{${tag}}}`;
        else out += value;
        rest = rest.slice(end + 2);
    }
    return { value: out + rest, ...(error ? { error } : {}) };
}

/** template.go ResolveQuotedArgs + factory.go ResolveMetricArgs: substitution inside the metric's JSON. */
export function resolveMetricArgs(
    metric: Metric,
    args: readonly AnalysisArgument[],
): { metric?: Metric; error?: string } {
    const quoted = args.map((a) =>
        a.value === undefined
            ? { name: a.name }
            : { name: a.name, value: JSON.stringify(a.value).slice(1, -1) },
    );
    const resolved = resolveArgs(JSON.stringify(metric), quoted);
    if (resolved.error) return { error: resolved.error };
    return { metric: JSON.parse(resolved.value) as Metric };
}

/** The value Rollouts puts in place of a secret argument before validating (getResolvedMetricsWithoutSecrets). */
export const SECRET_PLACEHOLDER = "temp-for-secret";

/**
 * analysis.go reconcileAnalysisRun up to the first measurement: resolve every metric's args (secrets as a
 * placeholder), then ValidateMetrics. The AnalysisRun's phase becomes Error with this message on failure.
 */
export function checkAnalysisRun(spec: AnalysisRunSpec): string | undefined {
    const args = spec.args.map((a) =>
        a.valueFrom?.secretKeyRef ? { name: a.name, value: SECRET_PLACEHOLDER } : a,
    );
    const resolved: Metric[] = [];
    for (const metric of spec.metrics) {
        const r = resolveMetricArgs(metric, args);
        if (r.error || !r.metric) return `Unable to resolve metric arguments: ${r.error ?? "no metric"}`;
        resolved.push(r.metric);
    }
    const invalid = validateMetrics(resolved, isJudgeable);
    return invalid ? `Analysis spec invalid: ${invalid}` : undefined;
}

/** The fields ValidateMetric reads. */
const JUDGED_FIELDS = [
    "count",
    "failureLimit",
    "consecutiveSuccessLimit",
    "inconclusiveLimit",
    "consecutiveErrorLimit",
    "interval",
    "initialDelay",
] as const;

/** Whether every field ValidateMetric reads is known (no {@link UNKNOWN_ARG} substituted into it). */
export function isJudgeable(metric: Metric): boolean {
    return JUDGED_FIELDS.every((f) => !String(metric[f] ?? "").includes(UNKNOWN_ARG));
}

/** The metrics of a spec with their args resolved as Rollouts resolves them; [] when they do not resolve. */
export function resolveRunMetrics(spec: AnalysisRunSpec): Metric[] {
    const args = spec.args.map((a) =>
        a.valueFrom?.secretKeyRef ? { name: a.name, value: SECRET_PLACEHOLDER } : a,
    );
    return spec.metrics.flatMap((m): Metric[] => {
        const resolved = resolveMetricArgs(m, args).metric;
        return resolved ? [resolved] : [];
    });
}

/** An error of Kargo's builder: the Stage's verification phase becomes Error with this message. */
export class VerificationBuildError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "VerificationBuildError";
    }
}

/** analysis_template.go flattenMetrics, flattenDryRunMetrics, flattenMeasurementRetentionMetrics, flattenArgs. */
export function flattenTemplates(specs: readonly AnalysisTemplateSpec[]): {
    metrics: Metric[];
    args: AnalysisArgument[];
} {
    const metrics: Metric[] = [];
    const seen = new Set<string>();
    for (const metric of specs.flatMap((s) => s.metrics ?? [])) {
        const name = metric.name ?? "";
        if (seen.has(name))
            throw new VerificationBuildError(
                `flatten templates: flatten metrics: duplicate metric name: ${JSON.stringify(name)}`,
            );
        seen.add(name);
        metrics.push(metric);
    }
    for (const [field, what] of [
        ["dryRun", "dry-run"],
        ["measurementRetention", "measurement retention"],
    ] as const) {
        const names = new Set<string>();
        for (const entry of specs.flatMap((s) => s[field] ?? [])) {
            const name = entry.metricName ?? "";
            if (names.has(name)) {
                const step = field === "dryRun" ? "dry-run" : "measurement retention";
                throw new VerificationBuildError(
                    `flatten templates: flatten ${step} metrics: validate ${step} metrics: duplicate ${what} metric name: ${JSON.stringify(name)}`,
                );
            }
            names.add(name);
        }
    }
    const args: AnalysisArgument[] = [];
    for (const arg of specs.flatMap((s) => s.args ?? [])) {
        const i = args.findIndex((a) => a.name === arg.name);
        if (i < 0) {
            args.push(arg);
            continue;
        }
        const existing = args[i];
        if (existing.value !== undefined && arg.value !== undefined && existing.value !== arg.value) {
            throw new VerificationBuildError(
                `flatten templates: flatten arguments: conflicting values for argument ${JSON.stringify(arg.name)}: ` +
                    `${JSON.stringify(existing.value)} and ${JSON.stringify(arg.value)}`,
            );
        }
        if (existing.value === undefined && arg.value !== undefined)
            args[i] = { ...existing, value: arg.value };
    }
    return { metrics, args };
}

/** Go's %T of what a Kargo expression can evaluate to (encoding/json types). */
export function goTypeName(value: unknown): string {
    if (value === null || value === undefined) return "<nil>";
    if (typeof value === "number") return "float64";
    if (typeof value === "boolean") return "bool";
    if (typeof value === "string") return "string";
    return Array.isArray(value) ? "[]interface {}" : "map[string]interface {}";
}

/**
 * How a Stage arg's value is evaluated (Kargo's EvaluateTemplate with the verification env). `undefined`
 * stands for "not known here" (a static check cannot evaluate Freight expressions): the arg then counts as
 * a supplied string whose text is unknown.
 */
export type ArgEvaluator = (value: string, name: string) => unknown;

/** Stands for an arg value only known at run time; never equal to anything a metric could be judged on. */
export const UNKNOWN_ARG = "\u0000unknown-at-run-time\u0000";

/**
 * analysis_run_builder.go buildSpec/buildArgs + analysis_template.go mergeArgs: Stage args (a value that
 * evaluates to a non-string is an error; an empty value is no value) merged into the flattened templates'
 * args; an arg no template declares is dropped; every template arg must end with a value or valueFrom.
 */
export function buildAnalysisRunSpec(
    specs: readonly AnalysisTemplateSpec[],
    stageArgs: readonly { readonly name: string; readonly value?: string }[],
    evaluate: ArgEvaluator,
): AnalysisRunSpec {
    const template = flattenTemplates(specs);
    const incoming: AnalysisArgument[] = stageArgs.map((arg) => {
        if ((arg.value ?? "") === "") return { name: arg.name };
        let value: unknown;
        try {
            value = evaluate(arg.value as string, arg.name);
        } catch (err) {
            throw new VerificationBuildError(
                `build arguments: evaluate argument ${JSON.stringify(arg.name)}: ${(err as Error).message}`,
            );
        }
        if (value === undefined) return { name: arg.name, value: UNKNOWN_ARG };
        if (typeof value !== "string")
            throw new VerificationBuildError(
                `build arguments: evaluated argument ${JSON.stringify(arg.name)} value is not a string but ${goTypeName(value)}`,
            );
        return { name: arg.name, value };
    });
    const merged = template.args.map((a) => ({ ...a }));
    for (const arg of incoming) {
        const i = merged.findIndex((m) => m.name === arg.name);
        if (i >= 0 && arg.value !== undefined) merged[i] = { ...merged[i], value: arg.value };
    }
    const unresolved = merged.find((a) => a.value === undefined && a.valueFrom === undefined);
    if (unresolved) {
        throw new VerificationBuildError(
            `build arguments: merge arguments: validate merged arguments: unresolved argument ${JSON.stringify(unresolved.name)}: neither Value nor ValueFrom is set`,
        );
    }
    return { metrics: template.metrics, args: merged };
}
