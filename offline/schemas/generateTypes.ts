/**
 * TypeScript types for the custom resources the stack declares, generated from the pinned CRDs with
 * json-schema-to-typescript (pinned in package.json). One file per kind under components/core/generated/,
 * each naming its source CRD and that file's sha256; `npm run gen:types` writes them and a test fails when
 * the committed files differ from a fresh generation.
 *
 * Deterministic: the CRD's storage version's openAPIV3Schema, Kubernetes' extensions turned into plain
 * JSON Schema (int-or-string, preserve-unknown-fields), no timestamps, output indented by nesting depth.
 * Fast: no $ref to resolve, one compile per kind and no Prettier pass (the folder is generated code,
 * excluded from Prettier and ESLint), so the check in `npm test` costs a second or two.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compile, type JSONSchema } from "json-schema-to-typescript";
import { parseAllDocuments } from "yaml";
import { CRD_SOURCES } from "./crdSources";
import { sha256 } from "./crds";

/** Where the generated files live, relative to the project root. */
export const GENERATED_DIR = join("components", "core", "generated");

/** One generated kind: the CRD it comes from and the file it is written to. */
export interface GeneratedKind {
    readonly kind: string;
    /** Path of the CRD under CRD_DIR (a pinned file of crdSources.ts). */
    readonly source: string;
    /** File name under {@link GENERATED_DIR}. */
    readonly file: string;
}

/** Every custom resource kind the stack declares. */
export const GENERATED_KINDS: readonly GeneratedKind[] = [
    { kind: "Project", source: "kargo/kargo.akuity.io_projects.yaml", file: "project.ts" },
    { kind: "ProjectConfig", source: "kargo/kargo.akuity.io_projectconfigs.yaml", file: "projectConfig.ts" },
    { kind: "Warehouse", source: "kargo/kargo.akuity.io_warehouses.yaml", file: "warehouse.ts" },
    { kind: "Stage", source: "kargo/kargo.akuity.io_stages.yaml", file: "stage.ts" },
    { kind: "PromotionTask", source: "kargo/kargo.akuity.io_promotiontasks.yaml", file: "promotionTask.ts" },
    { kind: "Application", source: "argo/application-crd.yaml", file: "application.ts" },
    { kind: "AnalysisTemplate", source: "argo/analysis-template-crd.yaml", file: "analysisTemplate.ts" },
    { kind: "Cluster", source: "cnpg/postgresql.cnpg.io_clusters.yaml", file: "cluster.ts" },
    { kind: "Backup", source: "cnpg/postgresql.cnpg.io_backups.yaml", file: "backup.ts" },
    {
        kind: "ScheduledBackup",
        source: "cnpg/postgresql.cnpg.io_scheduledbackups.yaml",
        file: "scheduledBackup.ts",
    },
    {
        kind: "OnePasswordItem",
        source: "onepassword/onepassword.com_onepassworditems.yaml",
        file: "onePasswordItem.ts",
    },
];

type Schema = Record<string, unknown>;

interface CrdVersion {
    readonly name: string;
    readonly storage?: boolean;
    readonly schema?: { readonly openAPIV3Schema?: Schema };
}

interface Crd {
    readonly kind?: string;
    readonly spec?: {
        readonly group: string;
        readonly names: { readonly kind: string };
        readonly versions: readonly CrdVersion[];
    };
}

/** Kubernetes' structural-schema extensions, rewritten as the JSON Schema the generator understands. */
export function toJsonSchema(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(toJsonSchema);
    if (node === null || typeof node !== "object") return node;
    const src = node as Schema;
    const out: Schema = {};
    for (const [key, value] of Object.entries(src)) {
        // Keywords whose values are schemas (or maps/lists of them) are rewritten; the rest copied as-is.
        out[key] = SCHEMA_KEYWORDS.has(key) ? toJsonSchema(value) : value;
    }
    if (src["properties"]) {
        out["properties"] = Object.fromEntries(
            Object.entries(src["properties"] as Schema).map(([k, v]) => [k, toJsonSchema(v)]),
        );
    }
    if (src["x-kubernetes-int-or-string"] === true) {
        delete out["type"];
        out["anyOf"] = [{ type: "integer" }, { type: "string" }];
    }
    if (src["x-kubernetes-preserve-unknown-fields"] === true && out["additionalProperties"] === undefined) {
        out["additionalProperties"] = true;
    }
    return out;
}

const SCHEMA_KEYWORDS = new Set(["items", "additionalProperties", "anyOf", "allOf", "oneOf", "not"]);

/** The CRD of `kind` in `text`, and its storage version's schema. */
function readCrd(text: string, kind: string): { apiVersion: string; schema: Schema } {
    for (const doc of parseAllDocuments(text)) {
        const crd = doc.toJS() as Crd | null;
        if (crd?.kind !== "CustomResourceDefinition" || crd.spec?.names.kind !== kind) continue;
        const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
        const schema = version?.schema?.openAPIV3Schema;
        if (!schema) throw new Error(`the ${kind} CRD has no openAPIV3Schema`);
        return { apiVersion: `${crd.spec.group}/${version.name}`, schema };
    }
    throw new Error(`no CustomResourceDefinition of kind ${kind}`);
}

/**
 * The schema handed to the generator: the object as the stack writes it (no `status`), with `apiVersion`,
 * `kind` and `metadata` fixed to the CRD's group/version, its kind and the stack's ObjectMeta.
 */
export function buildObjectSchema(kind: string, apiVersion: string, root: Schema): JSONSchema {
    const props = (root["properties"] ?? {}) as Schema;
    const own = Object.entries(props).filter(
        ([k]) => !["apiVersion", "kind", "metadata", "status"].includes(k),
    );
    const properties: Schema = {
        apiVersion: { tsType: JSON.stringify(apiVersion) },
        kind: { tsType: JSON.stringify(kind) },
        metadata: { tsType: "ObjectMeta" },
    };
    for (const [key, value] of own) {
        const schema = toJsonSchema(value) as Schema;
        // The spec gets a name of its own (`StageSpec`), so builders can type what they assemble.
        properties[key] = key === "spec" ? { ...schema, title: `${kind}Spec` } : schema;
    }
    const required = ((root["required"] ?? []) as string[]).filter((k) => k in properties);
    return {
        title: kind,
        description: `A ${kind} (${apiVersion}) as the stack declares it: the CRD's schema without status.`,
        type: "object",
        additionalProperties: false,
        properties,
        required: [...new Set(["apiVersion", "kind", "metadata", ...required])],
    } as JSONSchema;
}

function header(entry: GeneratedKind, digest: string): string {
    const source = CRD_SOURCES.find((s) => s.path === entry.source);
    if (!source) throw new Error(`${entry.source} is not a pinned source (offline/schemas/crdSources.ts)`);
    if (digest !== source.sha256) {
        throw new Error(`${entry.source} has sha256 ${digest}, expected ${source.sha256}`);
    }
    return [
        "/**",
        ` * Generated by \`npm run gen:types\` (offline/schemas/generateTypes.ts) from the pinned CRD`,
        ` * ${entry.source}, sha256 ${digest}`,
        ` * (${source.url}).`,
        " * Do not edit: change the pin in offline/schemas/crdSources.ts and regenerate.",
        " */",
        "",
        'import type { ObjectMeta } from "../objects";',
        "",
        "",
    ].join("\n");
}

/** The text of one generated file. */
export async function generateKind(crdDir: string, entry: GeneratedKind): Promise<string> {
    const bytes = readFileSync(join(crdDir, entry.source));
    const { apiVersion, schema } = readCrd(bytes.toString("utf8"), entry.kind);
    const body = await compile(buildObjectSchema(entry.kind, apiVersion, schema), entry.kind, {
        bannerComment: "",
        format: false,
        additionalProperties: false,
        unknownAny: true,
        ignoreMinAndMaxItems: true,
        strictIndexSignatures: false,
        declareExternallyReferenced: true,
    });
    return header(entry, sha256(bytes)) + indent(body);
}

/**
 * Indents the generator's unformatted output by nesting depth (four spaces a level). Prettier would take
 * seconds over the larger CRDs (CNPG's Cluster is 300 KB of types); the folder is excluded from Prettier
 * and ESLint instead, as generated code is.
 */
export function indent(text: string): string {
    let depth = 0;
    const lines: string[] = [];
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (line === "") {
            lines.push("");
            continue;
        }
        if (line.startsWith("/**") || line.startsWith("*")) {
            lines.push("    ".repeat(depth) + (line.startsWith("*") ? ` ${line}` : line));
            continue;
        }
        const closesFirst = /^[}\])]/.test(line) ? 1 : 0;
        lines.push("    ".repeat(Math.max(0, depth - closesFirst)) + line);
        depth += (line.match(/[{[(]/g) ?? []).length - (line.match(/[}\])]/g) ?? []).length;
    }
    return lines.join("\n").replace(/\n*$/, "\n");
}

/** The index of the generated folder: every kind, re-exported. */
export function generateIndex(): string {
    const lines = GENERATED_KINDS.map((e) => `export * from "./${e.file.replace(/\.ts$/, "")}";`);
    return ["/** Generated by `npm run gen:types`: every generated kind. Do not edit. */", ...lines, ""].join(
        "\n",
    );
}

/** Every generated file, keyed by its name under {@link GENERATED_DIR}, in a stable order. */
export async function generateTypes(crdDir: string): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    for (const entry of GENERATED_KINDS) files.set(entry.file, await generateKind(crdDir, entry));
    files.set("index.ts", generateIndex());
    return files;
}
