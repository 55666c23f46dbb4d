/**
 * Just enough of Kargo's expression language to check promotion configs statically: `vars.<name>`,
 * `ctx.stage`, `ctx.project`, string literals and `quote()`, inside `${{ }}` (or `${% %}`). Anything
 * else is reported as unresolvable by the caller, never guessed at.
 */
import { isUnknown } from "./values";

export interface ExpressionEnv {
    vars: Map<string, string | undefined>;
    ctx: { stage?: string; project?: string };
}

/** `unknown` marks a failure caused by a preview-time unknown value: callers skip it, never report it. */
export type Resolution = { ok: true; value: string } | { ok: false; reason: string; unknown?: boolean };

const expressionPattern = /\$\{\{([\s\S]*?)\}\}|\$\{%([\s\S]*?)%\}/g;
const maxDepth = 10;
const chartFromShape = "${{ chartFrom(<Warehouse repoURL>).Version }}";

/** Evaluates one expression body of the supported subset. */
export function evaluateExpression(body: string, env: ExpressionEnv, depth = 0): Resolution {
    const expr = body.trim();
    const literal = /^"((?:[^"\\]|\\.)*)"$|^'((?:[^'\\]|\\.)*)'$/.exec(expr);
    if (literal)
        return { ok: true, value: literal[1] !== undefined ? JSON.parse(`"${literal[1]}"`) : literal[2] };
    const quoted = /^quote\(([\s\S]*)\)$/.exec(expr);
    if (quoted) return evaluateExpression(quoted[1], env, depth);
    const ctx = /^ctx\.(stage|project)$/.exec(expr);
    if (ctx) {
        const value = env.ctx[ctx[1] as "stage" | "project"];
        return value === undefined ? { ok: false, reason: `${expr} is not known` } : { ok: true, value };
    }
    const ref = /^vars\.([A-Za-z_]\w*)$|^vars\[\s*["']([A-Za-z_]\w*)["']\s*\]$/.exec(expr);
    if (ref) {
        const name = ref[1] ?? ref[2];
        const value = env.vars.get(name);
        if (value === undefined) return { ok: false, reason: `var "${name}" has no value here` };
        if (isUnknown(value))
            return { ok: false, reason: `var "${name}" is unknown during preview`, unknown: true };
        return resolveTemplate(value, env, depth + 1);
    }
    return { ok: false, reason: `expression "${expr}" cannot be evaluated statically` };
}

/** Substitutes every expression in `text`; fails with the first one that cannot be resolved. */
export function resolveTemplate(text: string, env: ExpressionEnv, depth = 0): Resolution {
    if (depth > maxDepth) return { ok: false, reason: `vars nest deeper than ${maxDepth} levels` };
    if (isUnknown(text)) return { ok: false, reason: "the value is unknown during preview", unknown: true };
    let failure: Extract<Resolution, { ok: false }> | undefined;
    const value = text.replace(new RegExp(expressionPattern.source, "g"), (_, a?: string, b?: string) => {
        const result = evaluateExpression(a ?? b ?? "", env, depth);
        if (!result.ok && (!failure || result.unknown)) failure = result;
        return result.ok ? result.value : "";
    });
    return failure ?? { ok: true, value };
}

/**
 * The repoURL argument of a value that is exactly `${{ chartFrom(<arg>[, ...]).Version }}` (optionally
 * `?.Version` or wrapped in `quote()`), resolved; or why the value is not such an expression.
 */
export function findChartFromRepo(value: unknown, env: ExpressionEnv): Resolution {
    if (typeof value !== "string")
        return { ok: false, reason: `${JSON.stringify(value)} is not a chartFrom() version` };
    const whole = /^\s*(?:\$\{\{([\s\S]*)\}\}|\$\{%([\s\S]*)%\})\s*$/.exec(value);
    const body = whole ? (whole[1] ?? whole[2]).trim() : undefined;
    const call = body
        ? /^(?:quote\(\s*)?chartFrom\(\s*("(?:[^"\\]|\\.)*"|'[^']*'|vars\.\w+|vars\[\s*["']\w+["']\s*\])\s*(?:,(?:[^()]|\([^()]*\))*)?\)\s*\??\.Version\s*\)?$/.exec(
              body,
          )
        : null;
    if (!call) return { ok: false, reason: JSON.stringify(value) + " is not " + chartFromShape };
    const repo = evaluateExpression(call[1], env);
    return repo.ok
        ? repo
        : { ok: false, reason: `the chartFrom() argument cannot be resolved: ${repo.reason}` };
}
