/**
 * Values as Kargo's expression engine (expr-lang v1.17.8, the version kargo v1.11.2's go.mod pins) sees them.
 * Maps (`ctx`, `vars`, `outputs`) answer nil for a missing key; Go structs (`kargoapi.Chart`,
 * `kargoapi.FreightOrigin`) have a fixed set of fields, and fetching any other field is an error.
 */

/** A Go struct value: expressions see its Go field names, JSON sees its json tags. */
export class StructValue {
    constructor(
        readonly typeName: string,
        readonly fields: Readonly<Record<string, Value>>,
        readonly jsonNames: Readonly<Record<string, string>>,
    ) {}

    toJSON(): Record<string, Value> {
        return Object.fromEntries(
            Object.entries(this.fields).map(([field, v]) => [this.jsonNames[field] ?? field, v]),
        );
    }
}

export type Value = null | boolean | number | string | StructValue | readonly Value[] | ValueMap;
export interface ValueMap {
    readonly [key: string]: Value;
}

/** `${{ expression }}`, for messages (plain strings: see the no-template-literal rule for Kargo expressions). */
function wrap(expression: string): string {
    return "${{ " + expression.trim() + " }}";
}

/** An error expr-lang raises while evaluating: the step errors, exactly as in Kargo. */
export class ExpressionError extends Error {
    constructor(
        readonly expression: string,
        reason: string,
    ) {
        super(reason + " (in " + wrap(expression) + ")");
    }
}

/**
 * An expression the rehearsal does not understand (grammar, operator, function or name outside what it
 * binds). It is refused rather than guessed at: a guess could pass a promotion that Kargo fails.
 */
export class UnsupportedExpressionError extends Error {
    constructor(
        readonly expression: string,
        reason: string,
    ) {
        super("cannot rehearse " + wrap(expression) + ": " + reason);
    }
}

export function isStruct(v: Value): v is StructValue {
    return v instanceof StructValue;
}

export function isMap(v: Value): v is ValueMap {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof StructValue);
}

/** Go's `%T`-like name, for messages that read like expr-lang's. */
export function describeType(v: Value): string {
    if (v === null) return "nil";
    if (isStruct(v)) return v.typeName;
    if (Array.isArray(v)) return "[]interface {}";
    if (isMap(v)) return "map[string]interface {}";
    return typeof v === "number" ? "float64" : typeof v === "boolean" ? "bool" : "string";
}

/** Converts plain JSON-ish data (step outputs, vars) into expression values. */
export function toValue(data: unknown): Value {
    if (data === null || data === undefined) return null;
    if (data instanceof StructValue) return data;
    if (typeof data === "string" || typeof data === "number" || typeof data === "boolean") return data;
    if (Array.isArray(data)) return data.map(toValue);
    if (typeof data === "object") {
        return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, toValue(v)]));
    }
    return String(data);
}

/** `kargoapi.Chart` as chartFrom() returns it (api/v1alpha1/freight_types.go: json tags repoURL/name/version). */
export function chartValue(chart: { RepoURL: string; Name: string; Version: string }): StructValue {
    return new StructValue(
        "v1alpha1.Chart",
        { RepoURL: chart.RepoURL, Name: chart.Name, Version: chart.Version },
        { RepoURL: "repoURL", Name: "name", Version: "version" },
    );
}

/** `kargoapi.FreightOrigin` as warehouse() returns it. */
export function originValue(name: string): StructValue {
    return new StructValue(
        "v1alpha1.FreightOrigin",
        { Kind: "Warehouse", Name: name },
        { Kind: "kind", Name: "name" },
    );
}
