/**
 * The cases the differential tests hand to the upstream oracle (conformance/, a Go module of its own) and
 * to the TypeScript models alike. The two trees meet only through these files: a JSON file of cases in, a
 * JSON file of verdicts out (conformance/internal/cases/cases.go is the Go side of the same contract).
 */
import { REDACTED } from "../runtime/mockRuntime";

/** One input both sides judge. */
export interface OracleCase {
    readonly id: string;
    readonly object?: Record<string, unknown>;
    readonly args?: readonly { readonly name: string; readonly value?: string }[];
    readonly template?: string;
    readonly env?: Record<string, unknown>;
}

/** Upstream's (or the model's) answer for one case. */
export interface Verdict {
    readonly id: string;
    readonly allowed: boolean;
    readonly message?: string;
    readonly result?: unknown;
}

/** A one-field change of a synthesized object: the path changed and how. */
export interface Mutation {
    readonly label: string;
    readonly object: Record<string, unknown>;
}

/** Identity fields: changing them judges another object (or none), not a variant of this one. */
const IDENTITY = new Set(["/apiVersion", "/kind", "/metadata/name", "/metadata/namespace"]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function pointer(path: readonly (string | number)[]): string {
    return "/" + path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

function leaves(value: Json, path: (string | number)[] = []): { path: (string | number)[]; value: Json }[] {
    if (value === null || typeof value !== "object") return [{ path, value }];
    const entries: [string | number, Json][] = Array.isArray(value)
        ? value.map((v, i) => [i, v])
        : Object.entries(value);
    return entries.flatMap(([k, v]) => leaves(v, [...path, k]));
}

function clone<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

function setAt(root: Json, path: readonly (string | number)[], value: Json | undefined): void {
    let node = root as Record<string | number, Json>;
    for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, Json>;
    const last = path[path.length - 1];
    if (value !== undefined) node[last] = value;
    else if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
}

/** A value of another JSON type than `v`, as a typo or a wrong template would produce. */
function otherType(v: Json): Json {
    if (typeof v === "string") return 7;
    if (typeof v === "number") return "seven";
    if (typeof v === "boolean") return "yes";
    return true;
}

/**
 * Every one-field mutation of `obj`: each leaf deleted, and each leaf given a value of another type; plus
 * one unknown field under `spec` (or at the top when there is none). Identity fields are left alone.
 */
export function buildMutations(obj: Record<string, unknown>): Mutation[] {
    const out: Mutation[] = [];
    for (const leaf of leaves(obj as Json)) {
        const at = pointer(leaf.path);
        if (leaf.path.length === 0 || IDENTITY.has(at)) continue;
        const deleted = clone(obj) as Json;
        setAt(deleted, leaf.path, undefined);
        out.push({ label: `delete ${at}`, object: deleted as Record<string, unknown> });
        const retyped = clone(obj) as Json;
        setAt(retyped, leaf.path, otherType(leaf.value));
        out.push({ label: `retype ${at}`, object: retyped as Record<string, unknown> });
    }
    const unknown = clone(obj);
    const spec = unknown.spec;
    if (spec && typeof spec === "object" && !Array.isArray(spec)) {
        (spec as Record<string, unknown>).conformanceUnknownField = "x";
        out.push({ label: "add /spec/conformanceUnknownField", object: unknown });
    } else {
        unknown.conformanceUnknownField = "x";
        out.push({ label: "add /conformanceUnknownField", object: unknown });
    }
    return out;
}

/**
 * The synth records a secret it cannot see as the string "[secret]", also where the API wants a map
 * (`stringData: "[secret]"`). Upstream judges the object as `pulumi up` would send it, so a whole-map
 * placeholder becomes a map of one placeholder value; string placeholders stay as they are.
 */
export function restoreSecretShapes(obj: Record<string, unknown>): Record<string, unknown> {
    const out = clone(obj);
    for (const key of ["data", "stringData"]) {
        if (out[key] === REDACTED) out[key] = { redacted: key === "data" ? "W3NlY3JldF0=" : REDACTED };
    }
    return out;
}

/** `Kind namespace/name` of an object, for case ids. */
export function objectKey(obj: Record<string, unknown>): string {
    const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
    return `${String(obj.kind)} ${meta.namespace ? `${meta.namespace}/` : ""}${meta.name ?? "?"}`;
}

/**
 * Object cases for the API server: each source's objects once (the first source that declares an
 * identical object names it), and, for sources marked `mutate`, every one-field mutation of each.
 */
export function buildObjectCases(
    sources: readonly { label: string; objects: readonly Record<string, unknown>[]; mutate: boolean }[],
): OracleCase[] {
    const seen = new Set<string>();
    const out: OracleCase[] = [];
    const add = (id: string, object: Record<string, unknown>): void => {
        const text = JSON.stringify(object);
        if (seen.has(text)) return;
        seen.add(text);
        out.push({ id, object });
    };
    for (const source of sources) {
        for (const raw of source.objects) {
            const obj = restoreSecretShapes(raw);
            const id = `${source.label}: ${objectKey(obj)}`;
            add(id, obj);
            if (!source.mutate) continue;
            for (const m of buildMutations(obj)) add(`${id} [${m.label}]`, m.object);
        }
    }
    return out;
}
