/**
 * Plain-data access to resource properties. The analyzer hands policies its properties behind a proxy
 * that throws as soon as an unknown (preview-time) value is read. A policy that throws is reported as
 * "can't run during preview"; these policies instead copy the properties out first and skip exactly
 * the unknown values, so unknowns are never reported while everything known is still checked.
 */

/**
 * The engine's sentinels for values not known until the update runs (string, boolean, number, array,
 * asset, archive, object), as the Pulumi SDK defines them; resources.json uses the same strings.
 */
const unknownSentinels = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export const unknownString = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Plain = Record<string, unknown>;

export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && unknownSentinels.has(value);
}

export function isRecord(value: unknown): value is Plain {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Deep copy through property descriptors: the analyzer's proxy only traps `get`, so descriptors
 * return the raw values (sentinels included) without throwing.
 */
export function toPlain(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    const read = (key: string | number): unknown =>
        toPlain(Object.getOwnPropertyDescriptor(value, key)?.value);
    if (Array.isArray(value)) {
        const length = Number(Object.getOwnPropertyDescriptor(value, "length")?.value ?? 0);
        return Array.from({ length }, (_, i) => read(i));
    }
    return Object.fromEntries(Object.keys(value).map((key) => [key, read(key)]));
}

/** Reads a dotted path; undefined when any step is missing, not an object, or unknown. */
export function readPath(value: unknown, path: string): unknown {
    let current: unknown = value;
    for (const key of path.split(".")) {
        if (isUnknown(current)) return current;
        if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
        else if (isRecord(current)) current = current[key];
        else return undefined;
    }
    return current;
}

/** Arrays as arrays; anything else (missing, unknown, scalar) as an empty list. */
export function readList(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

export function readRecord(value: unknown): Plain {
    return isRecord(value) ? value : {};
}

/** A known, non-empty string, or undefined. */
export function readString(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" && !isUnknown(value) ? value : undefined;
}

/** JSON for messages, short enough to stay on one line. */
export function formatValue(value: unknown): string {
    const text = JSON.stringify(value) ?? "undefined";
    return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
