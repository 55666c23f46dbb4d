/**
 * zod issues as the lines a user reads: the full key, the value it got, and what is allowed. An unknown
 * key also names the nearest known key at its place, read from the schema itself.
 */
import type { z } from "zod";
import { CONFIG_NAMESPACE, quote } from "./format";
import { describeNearest } from "./suggest";

type Schema = z.core.$ZodType;

/** The schema inside wrappers that do not change the shape (default, prefault, optional, pipe…). */
function unwrap(schema: Schema): Schema {
    const def = schema._zod.def as z.core.$ZodTypeDef & { innerType?: Schema; in?: Schema };
    if (def.innerType) return unwrap(def.innerType);
    if (def.type === "pipe" && def.in) return unwrap(def.in);
    return schema;
}

/** The keys an object schema at `path` (below `root`) allows; empty when the path leads to no object. */
export function findKnownKeys(root: Schema, path: readonly PropertyKey[]): string[] {
    let schema = unwrap(root);
    for (const segment of path) {
        const def = schema._zod.def as z.core.$ZodTypeDef & {
            shape?: Record<string, Schema>;
            element?: Schema;
        };
        const next = typeof segment === "number" ? def.element : def.shape?.[String(segment)];
        if (!next) return [];
        schema = unwrap(next);
    }
    const shape = (schema._zod.def as { shape?: Record<string, Schema> }).shape;
    return shape ? Object.keys(shape) : [];
}

export function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((acc, seg) => {
        if (typeof seg === "number") return `${acc}[${seg}]`;
        return acc ? `${acc}.${String(seg)}` : String(seg);
    }, "");
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
    let cur: unknown = raw;
    for (const seg of path) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<PropertyKey, unknown>)[seg as string];
    }
    return cur;
}

function describeUnknownKey(root: Schema | undefined, parent: readonly PropertyKey[], key: string): string {
    const known = root ? findKnownKeys(root, parent) : [];
    if (known.length === 0) return "unknown key (see docs/config-reference.md)";
    const render = (k: string) => formatPath([...parent, k]);
    return `unknown key${describeNearest(key, known, render)}; allowed here: ${known.join(", ")}`;
}

/** One line per zod issue: the full key, the value it got, and what is allowed. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, root?: Schema): string[] {
    return issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
            return issue.keys.map((k) => {
                const path = [...issue.path, k];
                return `${CONFIG_NAMESPACE}:${formatPath(path)}: got ${quote(valueAt(raw, path))}; ${describeUnknownKey(root, issue.path, k)}`;
            });
        }
        const key = `${CONFIG_NAMESPACE}:${formatPath(issue.path)}`;
        // A defaulted value is not in the raw config; custom issues carry the value they judged.
        const value = valueAt(raw, issue.path) ?? (issue as { input?: unknown }).input;
        if (value === undefined && issue.code === "invalid_type") {
            // zod's own wording names only the type; a schema's own message says what the key is for.
            const own = !issue.message.startsWith("Invalid input");
            return [`${key}: missing; ${own ? issue.message : `required (${issue.expected})`}`];
        }
        return [`${key}: got ${quote(value)}; ${issue.message}`];
    });
}
