/**
 * Unknown fields of a built-in object. Server-side apply (what pulumi-kubernetes 4 uses) converts the
 * object to its typed form and refuses any field the kind's schema does not declare ("field not declared
 * in schema": apimachinery v0.34.3 pkg/util/managedfields/internal/structuredmerge.go
 * `structuredManagerFields.Apply`, `ObjectToTyped`; structured-merge-diff v6.3.0 typed/validate.go
 * `visitMapItems`). The upstream OpenAPI spec does not say `additionalProperties: false`, so the
 * generated validators accept such fields.
 *
 * kubernetes-models ships each kind's schema only as a compiled ajv validator, with no schema document to
 * read the declared fields from. A compiled validator reads every property its schema declares on each
 * object it checks (`void 0 !== data.verbs && …`, also for absent ones) and reads each key of a map it
 * checks (`for (const key in data) … data[key]`); it never reads an undeclared property. So the object is
 * validated through proxies that record the reads, and an own key of an object node that was never read
 * is undeclared. A node the validator read nothing of is a free-form value (an empty schema): not judged.
 */

/** The keys read on each object node, by the node's JSON pointer. */
interface Tracked {
    readonly pointer: string;
    readonly node: Readonly<Record<string, unknown>>;
    readonly reads: Set<string>;
}

function escape(segment: string): string {
    return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Runs `validate` on a recording view of `value`; returns the JSON pointers of the properties it never
 * read on an object node it did read (each one an undeclared field), sorted.
 */
export function findUndeclaredFields(value: unknown, validate: (data: unknown) => unknown): string[] {
    const tracked: Tracked[] = [];
    const proxies = new WeakMap<object, object>();
    const wrap = (v: unknown, pointer: string): unknown => {
        if (v === null || typeof v !== "object") return v;
        const existing = proxies.get(v);
        if (existing) return existing;
        const reads = new Set<string>();
        if (!Array.isArray(v)) tracked.push({ pointer, node: v as Record<string, unknown>, reads });
        const proxy = new Proxy(v, {
            get(target, key, receiver) {
                const got: unknown = Reflect.get(target, key, receiver);
                if (typeof key !== "string" || !Object.prototype.hasOwnProperty.call(target, key)) {
                    if (typeof key === "string") reads.add(key);
                    return got;
                }
                reads.add(key);
                return wrap(got, `${pointer}/${escape(key)}`);
            },
        });
        proxies.set(v, proxy);
        return proxy;
    };
    validate(wrap(value, ""));
    const out: string[] = [];
    for (const { pointer, node, reads } of tracked) {
        if (reads.size === 0) continue;
        for (const key of Object.keys(node)) if (!reads.has(key)) out.push(`${pointer}/${escape(key)}`);
    }
    return out.sort((a, b) => a.localeCompare(b));
}
