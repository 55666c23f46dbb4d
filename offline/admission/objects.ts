/**
 * Plain-object access for the admission model. Webhooks receive decoded Go structs; here the input is
 * whatever YAML or a Pulumi program produced, so every read is defensive and absent means Go's zero value.
 */
import { describeObject as describeKubeObject } from "../../components/core/objects";

/** One problem, in the same shape as the CRD validation's ValidationIssue (so both print alike). */
export interface AdmissionIssue {
    /** `Kind namespace/name` of the object. */
    readonly object: string;
    /** JSON pointer inside the object. */
    readonly path: string;
    readonly message: string;
}

/** A problem before it is attached to an object: what each rule returns. */
export interface RuleIssue {
    readonly path: string;
    readonly message: string;
}

export type Dict = Readonly<Record<string, unknown>>;

export const KARGO_API_VERSION = "kargo.akuity.io/v1alpha1";
export const CNPG_API_VERSION = "postgresql.cnpg.io/v1";
/** `kargoapi.LabelKeyProject` / `kargoapi.LabelValueTrue` (api/v1alpha1/labels.go). */
export const PROJECT_LABEL = "kargo.akuity.io/project";

export function asDict(value: unknown): Dict {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Dict) : {};
}

export function isDict(value: unknown): value is Dict {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function asArray(value: unknown): readonly unknown[] {
    return Array.isArray(value) ? value : [];
}

/** Go's string zero value for anything that is not a string. */
export function asString(value: unknown): string {
    return typeof value === "string" ? value : "";
}

/** Go's int zero value for anything that is not an integer. */
export function asInt(value: unknown): number {
    return typeof value === "number" && Number.isInteger(value) ? value : 0;
}

export function kindOf(obj: unknown): string {
    return asString(asDict(obj).kind);
}

export function apiVersionOf(obj: unknown): string {
    return asString(asDict(obj).apiVersion);
}

export function nameOf(obj: unknown): string {
    return asString(asDict(asDict(obj).metadata).name);
}

export function namespaceOf(obj: unknown): string {
    return asString(asDict(asDict(obj).metadata).namespace);
}

export function labelsOf(obj: unknown): Dict {
    return asDict(asDict(asDict(obj).metadata).labels);
}

export function annotationsOf(obj: unknown): Dict {
    return asDict(asDict(asDict(obj).metadata).annotations);
}

export function specOf(obj: unknown): Dict {
    return asDict(asDict(obj).spec);
}

/** `Kind namespace/name`, through the one describeObject every message uses. */
export function describeObject(obj: unknown): string {
    const name = nameOf(obj);
    const metadata = { name: name === "" ? undefined : name, namespace: namespaceOf(obj) };
    return describeKubeObject({ kind: kindOf(obj) || "<no kind>", metadata });
}

/** A JSON pointer from segments (escaping `~` and `/` as RFC 6901 does). */
export function pointer(...segments: readonly (string | number)[]): string {
    return segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** Go's `%q` for a string: what upstream messages quote values with. */
export function quote(value: string): string {
    return JSON.stringify(value);
}
