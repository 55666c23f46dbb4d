/**
 * Structural defaulting, as the API server applies a CRD schema's `default`s while decoding a request and so
 * before it validates anything: a Warehouse without `spec.interval` is admitted with `interval: 5m0s`, so
 * the `required: [interval]` of its CRD never refuses it. Ported from k8s.io/apiextensions-apiserver
 * v0.34.3 pkg/apiserver/schema/defaulting/algorithm.go (Default, isNonNullableNull); the nulls that
 * PruneNonNullableNullsWithoutDefaults (prunenulls.go) removes first are removed here too.
 */

type Schema = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);

/** A JSON deep copy (runtime.DeepCopyJSONValue). */
function copy<T>(value: T): T {
    return structuredClone(value);
}

const hasDefault = (s: Schema | undefined): s is Schema & { default: unknown } =>
    s !== undefined && "default" in s && s.default !== undefined && s.default !== null;
const isNonNullableNull = (x: unknown, s: Schema | undefined): boolean =>
    x === null && s !== undefined && s.nullable !== true;

/**
 * A copy of `value` with the schema's defaults applied where a field is absent or a non-nullable null, at
 * every depth (defaults applied to a field are themselves descended into, as upstream does).
 */
export function applyStructuralDefaults(value: unknown, schema: Schema | undefined): unknown {
    const out = copy(value);
    defaultInPlace(out, schema);
    return out;
}

function defaultInPlace(x: unknown, s: Schema | undefined): void {
    if (!s) return;
    if (isObject(x)) {
        const properties = isObject(s.properties) ? (s.properties as Record<string, Schema>) : {};
        const additional = isObject(s.additionalProperties) ? (s.additionalProperties as Schema) : undefined;
        for (const [k, prop] of Object.entries(properties)) {
            if (!hasDefault(prop)) continue;
            if (!(k in x) || isNonNullableNull(x[k], prop)) x[k] = copy(prop.default);
        }
        for (const k of Object.keys(x)) {
            const prop = properties[k] ?? additional;
            if (!prop) continue;
            if (isNonNullableNull(x[k], prop)) {
                if (hasDefault(prop)) x[k] = copy(prop.default);
                else delete x[k];
                continue;
            }
            defaultInPlace(x[k], prop);
        }
    } else if (Array.isArray(x)) {
        const items = isObject(s.items) ? (s.items as Schema) : undefined;
        x.forEach((item, i) => {
            if (isNonNullableNull(item, items) && hasDefault(items)) x[i] = copy(items.default);
            defaultInPlace(x[i], items);
        });
    }
}
