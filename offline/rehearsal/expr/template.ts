/**
 * Kargo's template layer, ported from kargo v1.11.2 pkg/expressions/json_templates.go: EvaluateTemplate
 * (delimiters, several expressions per string, the result's type coercion) and EvaluateJSONTemplate
 * (every string value of a step's config, never keys).
 */
import { evaluateExpression, type ExprScope } from "./evaluate";
import { isStruct, UnsupportedExpressionError, type Value } from "./values";

/** json_templates.go supportedDelimiters. */
const DELIMITERS = [
    { start: "${{", end: "}}" },
    { start: "${%", end: "%}" },
] as const;

interface Split {
    readonly before: string;
    readonly expression?: string;
    readonly after: string;
}

/** json_templates.go nextExpression: the earliest opening delimiter wins; an unclosed one is an error. */
export function splitNextExpression(template: string): Split {
    let best: { index: number; start: string; end: string } | undefined;
    for (const d of DELIMITERS) {
        const index = template.indexOf(d.start);
        if (index >= 0 && (!best || index < best.index)) best = { index, ...d };
    }
    if (!best) return { before: "", after: template };
    const exprStart = best.index + best.start.length;
    const rel = template.slice(exprStart).indexOf(best.end);
    if (rel < 0) {
        throw new UnsupportedExpressionError(
            template,
            `unclosed expression: expected "${best.end}" but reached end of template`,
        );
    }
    return {
        before: template.slice(0, best.index),
        expression: template.slice(exprStart, exprStart + rel),
        after: template.slice(exprStart + rel + best.end.length),
    };
}

/** json_templates.go evaluateExpression: strings as they are, anything else as JSON (nil → "null"). */
function renderResult(v: Value): string {
    if (typeof v === "string") return v;
    return JSON.stringify(isStruct(v) ? v.toJSON() : v);
}

/** Go's strconv.ParseFloat acceptance, closely enough for what a template can produce. */
function parsesAsFloat(s: string): boolean {
    return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s) || /^[+-]?(inf|infinity|nan)$/i.test(s);
}

/** Go's strconv.ParseBool. */
function parseBool(s: string): boolean | undefined {
    if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
    if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
    return undefined;
}

/**
 * json_templates.go EvaluateTemplate: a string without a delimiter is returned as is; otherwise every
 * expression is evaluated and spliced in, and the result is then coerced: a quoted result is unquoted and
 * stays a string (that is what quote() is for), then float, then bool, then any JSON, else the string.
 */
export function evaluateTemplate(template: string, scope: ExprScope): unknown {
    if (!DELIMITERS.some((d) => template.includes(d.start))) return template;
    let out = "";
    let rest = template;
    for (;;) {
        const { before, expression, after } = splitNextExpression(rest);
        out += before;
        if (expression === undefined) {
            out += after;
            break;
        }
        out += renderResult(evaluateExpression(expression, scope));
        rest = after;
    }
    const removedNewline = out.endsWith("\n");
    if (removedNewline) out = out.slice(0, -1);
    if (out.length > 1 && out.startsWith('"') && out.endsWith('"')) {
        return out.slice(1, -1) + (removedNewline ? "\n" : "");
    }
    if (parsesAsFloat(out)) return Number(out);
    const asBool = parseBool(out);
    if (asBool !== undefined) return asBool;
    try {
        return JSON.parse(out) as unknown;
    } catch {
        return out + (removedNewline ? "\n" : "");
    }
}

/** json_templates.go evaluateExpressions/EvaluateJSONTemplate: every string value, recursively; keys never. */
export function evaluateConfig(config: unknown, scope: ExprScope): unknown {
    if (typeof config === "string") return evaluateTemplate(config, scope);
    if (Array.isArray(config)) return config.map((v) => evaluateConfig(v, scope));
    if (config !== null && typeof config === "object") {
        return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, evaluateConfig(v, scope)]));
    }
    return config;
}

/** json_templates.go quoteFunc: strings get Go's %q, anything else its JSON in quotes (unsafeQuoteFunc). */
export function quote(v: Value): string {
    if (typeof v === "string") return JSON.stringify(v);
    return `"${JSON.stringify(isStruct(v) ? v.toJSON() : v)}"`;
}
