/** How every config problem is written: `release-pipeline:<key>: got <value>; <what is allowed>`. */

/** Pulumi config namespace (the project name in Pulumi.yaml). */
export const CONFIG_NAMESPACE = "release-pipeline";

/** A value as a problem line shows it: JSON, cut at 120 characters; `nothing` when absent. */
export function quote(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** `<key>: got <value>; <message>`. */
export function formatProblem(key: string, value: unknown, message: string): string {
    return `${key}: got ${quote(value)}; ${message}`;
}

/**
 * One problem a cross-section check found, at the key that produced it. A type alias, not an interface, so
 * that it is assignable to zod's issue type (which has an index signature).
 */
export type CustomIssue = {
    readonly code: "custom";
    readonly path: (string | number)[];
    readonly input: unknown;
    readonly message: string;
};

/** Where checks report problems: zod's refinement context, or a plain collector. */
export interface IssueSink {
    addIssue(issue: CustomIssue): void;
}
