/** Small readers shared by the built-in kinds' validation rules (the API server's, beyond the schema). */

export interface RuleIssue {
    /** JSON pointer inside the object. */
    readonly path: string;
    readonly message: string;
}

export type Obj = Readonly<Record<string, unknown>>;

export function isObj(value: unknown): value is Obj {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object at `key`, or undefined when absent or of another type (the schema reports the type). */
export function child(value: unknown, key: string): Obj | undefined {
    if (!isObj(value)) return undefined;
    const v = value[key];
    return isObj(v) ? v : undefined;
}

/** The array at `key`: [] when absent (Go's nil slice), undefined when of another type. */
export function list(value: unknown, key: string): readonly unknown[] | undefined {
    if (!isObj(value) || value[key] === undefined || value[key] === null) return [];
    const v = value[key];
    return Array.isArray(v) ? v : undefined;
}

/** The string at `key`: "" when absent (Go's zero value), undefined when of another type. */
export function str(value: unknown, key: string): string | undefined {
    if (!isObj(value) || value[key] === undefined || value[key] === null) return "";
    const v = value[key];
    return typeof v === "string" ? v : undefined;
}

/** `path.IsValidPathSegmentName` (apimachinery pkg/api/validation/path/name.go): a name usable in a URL. */
export function describePathSegmentProblems(name: string): string[] {
    if (name === "." || name === "..") return [`may not be '${name}'`];
    const problems: string[] = [];
    for (const illegal of ["/", "%"])
        if (name.includes(illegal)) problems.push(`may not contain '${illegal}'`);
    return problems;
}
