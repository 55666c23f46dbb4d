/**
 * Expression cases: every `${{ }}` template the stacks declare (promotion steps, task vars, verification
 * args) and a table of the operators and coercions the rehearsal relies on, evaluated by the rehearsal's
 * evaluator (offline/rehearsal/expr) and by Kargo v1.11.2's own engine (pkg/expressions EvaluateTemplate).
 *
 * Both sides get one canonical environment. Kargo's freight functions cannot run upstream here (they live
 * in pkg/expressions/function, which imports the unserved api module), so both sides bind the same stubs
 * returning plain maps (the Go side reads an env key "name()" as such a stub): the engine, its operators,
 * quote() and the coercion of results are what is compared.
 */
import { evaluateTemplate } from "../rehearsal/expr/template";
import { bindFunctions } from "../rehearsal/expr/functions";
import type { ExprFunction } from "../rehearsal/expr/evaluate";
import { toValue } from "../rehearsal/expr/values";
import type { OracleCase, Verdict } from "./cases";

const CHART = { RepoURL: "oci://ghcr.io/acme/charts/monolith", Name: "", Version: "1.2.3" };

/** Function stubs both sides bind: name → the value every call returns. */
export const FUNCTION_STUBS: Readonly<Record<string, unknown>> = {
    chartFrom: CHART,
    warehouse: { kind: "Warehouse", name: "monolith" },
    success: true,
    failure: false,
    always: true,
};

/** ctx as Kargo's promotion evaluator builds it (pkg/promotion/evaluator.go), with fixed values. */
const CTX = {
    project: "monolith",
    stage: "dev",
    promotion: "dev.01j.abc",
    targetFreight: { name: "f1", origin: { kind: "Warehouse", name: "monolith" } },
};

/** Every string under `spec` that holds an expression. */
export function collectTemplates(objects: readonly Record<string, unknown>[]): string[] {
    const out = new Set<string>();
    const walk = (v: unknown): void => {
        if (typeof v === "string") {
            if (v.includes("${{")) out.add(v);
        } else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    for (const o of objects) walk(o.spec);
    return [...out].sort();
}

/** The canonical environment: each `vars.NAME` the templates read gets "var-NAME"; outputs stay empty. */
export function canonicalEnv(templates: readonly string[]): Record<string, unknown> {
    const vars: Record<string, string> = {};
    for (const t of templates)
        for (const m of t.matchAll(/\bvars\.([A-Za-z_][\w]*)/g)) vars[m[1]] = `var-${m[1]}`;
    return { ctx: CTX, vars, outputs: {} };
}

/** Templates whose result or refusal the rehearsal depends on, beyond those the stacks declare. */
export const EXPRESSION_TABLE: readonly string[] = [
    "plain text",
    "${{ 1 + 1 }}",
    "${{ vars.app }}",
    "v${{ vars.app }}",
    "${{ vars.missing }}",
    "${{ vars.missing == nil }}",
    '${{ 1 == "1" }}',
    '${{ ctx.stage + "-x" }}',
    "${{ ctx.stage + 1 }}",
    '${{ "a" && true }}',
    "${{ quote(chartFrom('x').Version) }}",
    "${{ chartFrom('x').Version }}",
    "${{ chartFrom('x').missing }}",
    "${{ quote(1.5) }}",
    "${{ quote(true) }}",
    '${{ true ? "y" : "n" }}',
    "${{ !failure() }}",
    "${{ success() && always() }}",
    "${{ ctx.targetFreight.origin.name }}",
    "${{ nope.x }}",
    "${{ 'a' }}${{ 'b' }}",
    "${{ '1.0' }}",
    '${{ "true" }}',
    "${{ ctx }}",
    "${{ vars.app ?? 'none' }}",
    "${{ vars.missing ?? 'none' }}",
];

/** The cases: the stacks' templates and the table, each with the canonical environment and the stubs. */
export function buildExpressionCases(objects: readonly Record<string, unknown>[]): OracleCase[] {
    const templates = [...new Set([...collectTemplates(objects), ...EXPRESSION_TABLE])];
    const env = canonicalEnv(templates);
    (env.vars as Record<string, string>).app = "a-dev";
    const goEnv: Record<string, unknown> = { ...env };
    for (const [name, value] of Object.entries(FUNCTION_STUBS)) goEnv[`${name}()`] = value;
    return templates.map((template) => ({ id: `expr ${template}`, template, env: goEnv }));
}

/** The rehearsal's evaluator on each case, with the same stubs (and its own quote/unsafeQuote). */
export function judgeExpressionsWithModel(cases: readonly OracleCase[]): Verdict[] {
    const own = bindFunctions({
        requests: [],
        subscriptionsByWarehouse: new Map(),
        collection: [],
    }).functions;
    const functions = new Map<string, ExprFunction>();
    for (const name of ["quote", "unsafeQuote"]) functions.set(name, own.get(name) as ExprFunction);
    for (const [name, value] of Object.entries(FUNCTION_STUBS)) functions.set(name, () => toValue(value));
    return cases.map((c) => {
        const env = Object.fromEntries(Object.entries(c.env ?? {}).filter(([k]) => !k.endsWith("()")));
        try {
            const result = evaluateTemplate(c.template ?? "", { env: toValue(env) as never, functions });
            return { id: c.id, allowed: true, result: JSON.parse(JSON.stringify(result ?? null)) as unknown };
        } catch (err) {
            return { id: c.id, allowed: false, message: (err as Error).message };
        }
    });
}
