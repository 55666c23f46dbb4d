/**
 * What the policy runner accepts, checked before anything runs: the synth's resources.json and a
 * `--policy-pack-config` file. Every problem is listed at once, each naming what it is about.
 */
import Ajv, { type ErrorObject } from "ajv";
import { distance as levenshtein } from "fastest-levenshtein";

export interface ResourceRecord {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    inputs: Record<string, unknown>;
    /** Resource options the synth records for review (`synth --diff`); the analyzer does not read them. */
    options?: Record<string, unknown>;
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** What GetAnalyzerInfo tells us about one policy. */
export interface PolicyDescription {
    name: string;
    description: string;
    remediationSteps: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: { properties: Record<string, unknown>; required: string[] };
}

/** A resolved Configure entry: what the engine sends for one policy. */
export interface PolicyConfigEntry {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

/** `--policy-pack-config` file shape: `{ "all": level, "<policy>": level | { enforcementLevel?, ...props } }`. */
export type PackConfig = Record<string, unknown>;

export const levels: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

export function isLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (levels as string[]).includes(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks a parsed resources.json (the synth's format) and returns it typed; lists every malformed entry. */
export function validateResourceRecords(data: unknown): ResourceRecord[] {
    if (!Array.isArray(data)) throw new Error("resources file must hold a JSON array of resources");
    if (data.length === 0) {
        throw new Error(
            "resources file holds no resources: nothing would be checked (synthesize the stack first)",
        );
    }
    const problems: string[] = [];
    const firstIndexOfUrn = new Map<string, number>();
    data.forEach((entry, i) => {
        if (!isRecord(entry)) return void problems.push(`[${i}] is not an object`);
        for (const key of ["urn", "type", "name"]) {
            if (typeof entry[key] !== "string" || entry[key] === "")
                problems.push(`[${i}].${key} must be a non-empty string`);
        }
        if (entry.parent != null && typeof entry.parent !== "string") {
            problems.push(`[${i}].parent must be a string or null`);
        }
        if (!isRecord(entry.inputs)) problems.push(`[${i}].inputs must be an object`);
        if (typeof entry.urn !== "string" || entry.urn === "") return;
        const first = firstIndexOfUrn.get(entry.urn);
        if (first !== undefined)
            problems.push(`[${i}].urn duplicates [${first}].urn ${JSON.stringify(entry.urn)}`);
        else firstIndexOfUrn.set(entry.urn, i);
    });
    if (problems.length > 0) throw new Error(`malformed resources:\n  ${problems.join("\n  ")}`);
    // Root resources carry `"parent": null` in resources.json; the protocol has no null parent.
    return (data as (ResourceRecord & { parent?: string | null })[]).map(({ parent, ...rest }) =>
        parent ? { ...rest, parent } : rest,
    );
}

function findSchemaDefaults(policy: PolicyDescription): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        if (isRecord(schema) && "default" in schema) defaults[key] = schema.default;
    }
    return defaults;
}

/**
 * Resolves a pack config file into the Configure request the engine would send: every policy gets
 * its schema defaults, `all` sets every level, a policy entry overrides both, and the result is
 * validated against the policy's schema so a typo fails loudly instead of being ignored.
 */
export function buildPolicyConfig(
    policies: PolicyDescription[],
    config: unknown = {},
): Record<string, PolicyConfigEntry> {
    const pack = readPackConfig(config);
    const known = new Set(policies.map((p) => p.name));
    const problems: string[] = [];
    for (const key of Object.keys(pack)) {
        if (key !== "all" && !known.has(key)) {
            const hint = describeNearestName(key, [...known]);
            problems.push(`unknown policy "${key}" in policy config${hint}`);
        }
    }
    const all = pack.all;
    if (all !== undefined && !isLevel(all)) problems.push(`"all" must be one of ${levels.join(", ")}`);
    const ajv = new Ajv({ allErrors: true, strict: false });
    const result: Record<string, PolicyConfigEntry> = {};
    for (const policy of policies) {
        const raw = pack[policy.name];
        const entry: Record<string, unknown> = isRecord(raw) ? { ...raw } : {};
        if (raw !== undefined && !isRecord(raw) && !isLevel(raw)) {
            problems.push(`${policy.name}: expected an enforcement level or an object`);
        }
        const level = isLevel(raw) ? raw : (entry.enforcementLevel ?? (isLevel(all) ? all : undefined));
        delete entry.enforcementLevel;
        if (level !== undefined && !isLevel(level)) {
            problems.push(`${policy.name}: enforcementLevel must be one of ${levels.join(", ")}`);
        }
        const properties = { ...findSchemaDefaults(policy), ...entry };
        const schema = {
            type: "object",
            properties: policy.configSchema?.properties ?? {},
            required: policy.configSchema?.required ?? [],
            additionalProperties: false,
        };
        const validate = ajv.compile(schema);
        if (!validate(properties)) {
            for (const error of validate.errors ?? []) problems.push(describeSchemaError(policy, error));
        }
        result[policy.name] = {
            enforcementLevel: isLevel(level) ? level : policy.enforcementLevel,
            properties,
        };
    }
    if (problems.length > 0) throw new Error(`invalid policy pack config:\n  ${problems.join("\n  ")}`);
    return result;
}

/** A parsed pack config file: an object, or one line saying what it is instead (never one per character). */
export function readPackConfig(data: unknown): PackConfig {
    if (isRecord(data)) return data;
    throw new Error(
        `invalid policy pack config:\n  got ${describeJsonKind(data)}; expected an object mapping policy names ` +
            "(or all) to an enforcement level or an object of settings",
    );
}

/** `null`, `a string "x"`, `an array`, ...: what a JSON value is, for a one-line refusal. */
function describeJsonKind(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "an array";
    if (typeof value === "string")
        return `a string ${JSON.stringify(value.length > 40 ? value.slice(0, 37) + "..." : value)}`;
    return `a ${typeof value}`;
}

/** " (did you mean x?)" for the known name nearest to a misspelt one, when one is near enough. */
function describeNearestName(name: string, known: string[]): string {
    const near = known
        .map((k) => ({ k, d: levenshtein(name.toLowerCase(), k.toLowerCase()) }))
        .sort((a, b) => a.d - b.d)[0];
    return near && near.d <= Math.max(1, Math.floor(Math.max(name.length, near.k.length) / 3))
        ? ` (did you mean ${near.k}?)`
        : "";
}

/** One line for an ajv error on a policy's config, naming the property and the policy. */
function describeSchemaError(policy: PolicyDescription, error: ErrorObject): string {
    if (error.keyword === "additionalProperties") {
        const property = String((error.params as { additionalProperty?: unknown }).additionalProperty);
        const known = Object.keys(policy.configSchema?.properties ?? {});
        const allowed =
            known.length > 0 ? `allowed: enforcementLevel, ${known.join(", ")}` : "allowed: enforcementLevel";
        return `${policy.name}: unknown property "${property}"${describeNearestName(property, known)}; ${allowed}`;
    }
    return `${policy.name}: ${error.instancePath || "config"} ${error.message}`;
}
