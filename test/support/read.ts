/**
 * Reading the few fields whose schema is open (a promotion step's `config`, Helm values, a ConfigMap's
 * embedded JSON) without `any`: walk to a path, then assert the type the test expects.
 */
import { strict as assert } from "node:assert";
import type { StackObject } from "../../components/core/declare";

/** The value at `path` inside `value` (object keys, array indexes), or undefined when any step is absent. */
export function at(value: unknown, ...path: readonly (string | number)[]): unknown {
    let cur: unknown = value;
    for (const key of path) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<string | number, unknown>)[key];
    }
    return cur;
}

/** `value` as a string; fails the test when it is anything else. */
export function str(value: unknown): string {
    assert.equal(typeof value, "string", `expected a string, got ${JSON.stringify(value)}`);
    return value as string;
}

/** `value` as an array; fails the test when it is anything else. */
export function list(value: unknown): unknown[] {
    assert.ok(Array.isArray(value), `expected an array, got ${JSON.stringify(value)}`);
    return value;
}

/** The stack's own type for an object of `kind`. */
export type KindOf<K extends StackObject["kind"]> = Extract<StackObject, { readonly kind: K }>;

/**
 * The synthesized objects of `kind`, typed as the stack's builders declare that kind: the synth records the
 * very objects they returned, so the kind is the one check needed.
 */
export function ofKind<K extends StackObject["kind"]>(
    objects: readonly { readonly kind: string }[],
    kind: K,
): KindOf<K>[] {
    return objects.filter((o) => o.kind === kind) as unknown[] as KindOf<K>[];
}
