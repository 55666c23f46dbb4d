/**
 * docs/config-reference.md, generated from the zod schema of the stack configuration: every key with its
 * type, its default and the description written on the field (`.describe()`), so the reference cannot
 * drift from what the stack accepts. `npm run gen:docs` writes it; a test fails when it is stale.
 */
import { z } from "zod";
import { CONFIG_NAMESPACE, stackConfigSchema } from "../../components/config";

/** Where the reference is written, relative to the project root. */
export const CONFIG_REFERENCE_PATH = "docs/config-reference.md";

/** The part of a JSON Schema (as zod writes it) the reference reads. */
interface Schema {
    readonly type?: string | readonly string[];
    readonly description?: string;
    readonly default?: unknown;
    readonly enum?: readonly unknown[];
    readonly const?: unknown;
    readonly properties?: Readonly<Record<string, Schema>>;
    readonly additionalProperties?: boolean | Schema;
    readonly items?: Schema;
    readonly anyOf?: readonly Schema[];
    readonly oneOf?: readonly Schema[];
    readonly required?: readonly string[];
}

/** One documented key. */
export interface ReferenceRow {
    readonly key: string;
    readonly type: string;
    readonly default?: unknown;
    readonly required: boolean;
    /** For a key only some modes of a union need: the modes that require it (`mode: github-app`). */
    readonly requiredIn?: readonly string[];
    readonly description: string;
}

function variants(schema: Schema): readonly Schema[] {
    return schema.anyOf ?? schema.oneOf ?? [];
}

/** A short type: `"a" | "b"`, `string[]`, `map of string`, `object`. */
export function describeType(schema: Schema): string {
    if (schema.const !== undefined) return JSON.stringify(schema.const);
    if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
    const alternatives = variants(schema);
    if (alternatives.length > 0) return [...new Set(alternatives.map(describeType))].join(" | ");
    if (schema.type === "array") return `${schema.items ? describeType(schema.items) : "unknown"}[]`;
    if (schema.type === "object" && !schema.properties && typeof schema.additionalProperties === "object") {
        return `map of ${describeType(schema.additionalProperties)}`;
    }
    if (Array.isArray(schema.type)) return schema.type.join(" | ");
    return typeof schema.type === "string" ? schema.type : "unknown";
}

/** The key every variant of a union fixes to its own constant (a discriminated union's `mode`), if any. */
function findDiscriminator(alternatives: readonly Schema[]): string | undefined {
    if (alternatives.length < 2) return undefined;
    const [first, ...rest] = alternatives;
    return Object.keys(first.properties ?? {}).find(
        (key) =>
            first.properties?.[key].const !== undefined &&
            rest.every((v) => v.properties?.[key]?.const !== undefined),
    );
}

/** One property as documented: its schema (the variants' schemas merged) and where it is required. */
interface Property {
    readonly schema: Schema;
    readonly required: boolean;
    readonly requiredIn?: readonly string[];
}

/**
 * Properties of an object schema, merged over its variants (a discriminated union's modes): a key in
 * several variants with different schemas gets their union (the discriminator: every mode's constant),
 * and a key only some modes require says which (`requiredIn`).
 */
function propertiesOf(schema: Schema): [string, Property][] {
    const own: [string, Property][] = Object.entries(schema.properties ?? {}).map(([key, value]) => [
        key,
        { schema: value, required: (schema.required ?? []).includes(key) },
    ]);
    const alternatives = variants(schema);
    const discriminator = findDiscriminator(alternatives);
    const seen = new Map<string, { schemas: Schema[]; requiredIn: string[]; everywhere: boolean }>();
    for (const variant of alternatives) {
        const label = discriminator
            ? `${discriminator}: ${String(variant.properties?.[discriminator].const)}`
            : undefined;
        const keys = Object.keys(variant.properties ?? {});
        for (const [key, value] of Object.entries(variant.properties ?? {})) {
            const entry = seen.get(key) ?? { schemas: [], requiredIn: [], everywhere: true };
            if (!entry.schemas.some((s) => JSON.stringify(s) === JSON.stringify(value))) {
                entry.schemas.push(value);
            }
            if ((variant.required ?? []).includes(key) && label) entry.requiredIn.push(label);
            else if ((variant.required ?? []).includes(key)) entry.requiredIn.push("");
            seen.set(key, entry);
        }
        for (const [key, entry] of seen) if (!keys.includes(key)) entry.everywhere = false;
    }
    const merged: [string, Property][] = [...seen].map(([key, entry]) => {
        const [first] = entry.schemas;
        const unioned: Schema =
            entry.schemas.length === 1
                ? first
                : {
                      anyOf: entry.schemas,
                      description: entry.schemas.find((s) => s.description)?.description,
                      default: entry.schemas.find((s) => s.default !== undefined)?.default,
                  };
        const required = entry.everywhere && entry.requiredIn.length === alternatives.length;
        const requiredIn = entry.requiredIn.filter((label) => label !== "");
        return [
            key,
            {
                schema: unioned,
                required,
                ...(!required && requiredIn.length > 0 ? { requiredIn } : {}),
            },
        ];
    });
    const ownKeys = new Set(own.map(([key]) => key));
    return [...own, ...merged.filter(([key]) => !ownKeys.has(key))];
}

/** An object given a whole default (say requests and limits) is documented by that value, not key by key. */
function isDocumentedWhole(schema: Schema): boolean {
    const value = schema.default;
    return (
        value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0
    );
}

/** Every key under `schema`, depth first, in declaration order; list items are written `key[]`. */
export function listRows(
    schema: Schema,
    prefix: string,
    property?: Omit<Property, "schema">,
): ReferenceRow[] {
    const row: ReferenceRow = {
        key: prefix,
        type: describeType(schema),
        default: schema.default,
        required: (property?.required ?? false) && schema.default === undefined,
        ...(property?.requiredIn ? { requiredIn: property.requiredIn } : {}),
        description: schema.description ?? variants(schema).find((v) => v.description)?.description ?? "",
    };
    if (isDocumentedWhole(schema)) return [row];
    const item = schema.type === "array" ? schema.items : undefined;
    const nested = item ? listRows(item, `${prefix}[]`).slice(1) : [];
    const children = propertiesOf(schema).flatMap(([key, { schema: value, ...where }]) =>
        listRows(value, `${prefix}.${key}`, where),
    );
    return [row, ...nested, ...children];
}

/** The value of `key` in `value` when it is an object. */
const at = (value: unknown, key: string): unknown =>
    value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function renderDefault(row: ReferenceRow): string {
    if (row.default === undefined && row.requiredIn) {
        return `required with ${row.requiredIn.map((label) => `\`${label}\``).join(", ")}`;
    }
    if (row.default === undefined) return row.required ? "required" : "—";
    const names = Array.isArray(row.default) ? row.default.map((item) => at(item, "name")) : [];
    if (names.length > 0 && names.every((n) => typeof n === "string")) {
        return names.map((n) => `\`${String(n)}\``).join(", ") + " (see the stack files)";
    }
    const text = JSON.stringify(row.default);
    return text === "{}" ? "(its keys' defaults)" : `\`${text}\``;
}

/** The whole reference, as Markdown. */
export function renderConfigReference(): string {
    const root = z.toJSONSchema(stackConfigSchema, { io: "input", unrepresentable: "any" }) as Schema;
    const sections = Object.entries(root.properties ?? {});
    const lines = [
        "# Configuration reference",
        "",
        "<!-- Generated by `npm run gen:docs` from components/config (the zod schema); do not edit. -->",
        "",
        `Every key the stack reads, as \`${CONFIG_NAMESPACE}:<section>\` in \`Pulumi.<stack>.yaml\`. The stack validates`,
        "all of them before declaring anything, and names the key, the value and what is allowed when one is wrong.",
        "",
        ...sections.map(([name]) => `- [\`${name}\`](#${name.toLowerCase()})`),
    ];
    for (const [name, schema] of sections) {
        lines.push("", `## ${name}`, "");
        const isObject = propertiesOf(schema).length > 0;
        if (isObject && schema.description) lines.push(schema.description, "");
        lines.push("| key | type | default | description |", "| --- | --- | --- | --- |");
        // An object section is its keys; a list or a single value is documented as a row of its own.
        const rows = listRows(schema, name);
        for (const row of isObject ? rows.slice(1) : rows) {
            lines.push(
                `| \`${cell(row.key)}\` | ${cell(row.type)} | ${cell(renderDefault(row))} | ${cell(row.description)} |`,
            );
        }
    }
    return lines.join("\n") + "\n";
}
