/**
 * `npm run validate -- FILE...`: any Kubernetes manifests (multi-document YAML or JSON, for instance the
 * hand-written Kargo objects of a GitOps repository) checked as the synth checks its own objects: custom
 * resources against the pinned CRDs and Kargo's step and subscription schemas, built-in kinds against the
 * pinned Kubernetes schema, and every object against the admission model, with the objects of all the files
 * standing for the cluster.
 */
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { validateAdmission, type AdmissionContext } from "../admission";
import { validateBehaviour } from "../behaviour";
import { REDACTED } from "../runtime/redacted";
import { BuiltinSchemas } from "../schemas/builtins";
import { resolveCrdDir } from "../schemas/crds";
import { describeObject } from "../../components/core/objects";
import { SchemaRegistry, type ObjectRef, type ValidationIssue } from "../schemas/validate";

/** A file that cannot be read or parsed: a usage error (exit 2), not a finding. */
export class ManifestReadError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ManifestReadError";
    }
}

export interface ManifestDocument {
    readonly file: string;
    /** 1-based position of the document in its file. */
    readonly index: number;
    readonly object: unknown;
}

export interface ManifestOptions {
    /**
     * Judge the rules that read cluster state (a Stage's namespace must be a project namespace, …) against
     * the objects of the given files. Off when the files are a part of what the cluster holds.
     */
    readonly cluster: boolean;
}

export interface ManifestReport {
    /** `FILE: Kind ns/name: path: message`, one per problem, in file order. */
    readonly problems: readonly string[];
    readonly checked: number;
    /** `apiVersion kind` of documents no pinned schema or model covers. */
    readonly unchecked: readonly string[];
}

/** Every non-empty document of a YAML or JSON file; the items of a `kind: List` count as documents. */
export function readManifestFile(file: string): ManifestDocument[] {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (err) {
        throw new ManifestReadError(`${file}: cannot read: ${(err as Error).message}`);
    }
    const docs = parseAllDocuments(text);
    const objects: unknown[] = [];
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
        if (doc.errors.length > 0)
            throw new ManifestReadError(`${file}: not valid YAML: ${doc.errors[0].message.split("\n")[0]}`);
        const value: unknown = doc.toJS();
        if (value === null || value === undefined) continue;
        const list = value as { kind?: unknown; items?: unknown };
        if (typeof list === "object" && /List$/.test(String(list.kind)) && Array.isArray(list.items)) {
            objects.push(...list.items);
        } else {
            objects.push(value);
        }
    }
    return objects.map((object, i) => ({ file, index: i + 1, object }));
}

function isKubernetesObject(value: unknown): value is ObjectRef & Record<string, unknown> {
    const v = value as Record<string, unknown> | null;
    return (
        typeof v === "object" && v !== null && typeof v.apiVersion === "string" && typeof v.kind === "string"
    );
}

/** The schema problems of one object, or undefined when no pinned schema covers its kind. */
export function checkSchema(
    obj: ObjectRef & Record<string, unknown>,
    registry: SchemaRegistry,
    builtins: BuiltinSchemas,
): ValidationIssue[] | undefined {
    if (registry.hasKind(obj.apiVersion, obj.kind) || registry.hasGroup(obj.apiVersion)) {
        return registry.validateObject(obj);
    }
    // The synth's own manifests.yaml holds "[secret]" where a secret was (a whole Secret's stringData, when
    // the program marked the map secret): the synth judges everything but those values, and so does this.
    if (builtins.hasKind(obj.apiVersion, obj.kind)) return builtins.validateObject(obj, [REDACTED]);
    return undefined;
}

function formatProblem(file: string, issue: ValidationIssue): string {
    return `${file}: ${issue.object}: ${issue.path}: ${issue.message}`;
}

/** Checks documents already read; pure apart from the schemas it is given. */
export function checkManifests(
    docs: readonly ManifestDocument[],
    registry: SchemaRegistry,
    builtins: BuiltinSchemas,
    options: ManifestOptions,
): ManifestReport {
    // Webhooks and controllers see what the API server stores: the CRD's structural defaults applied.
    const stored = docs.map((d) =>
        isKubernetesObject(d.object) ? { ...d, object: registry.applyDefaults(d.object) ?? d.object } : d,
    );
    const ctx: AdmissionContext | undefined = options.cluster
        ? { objects: stored.map((d) => d.object) }
        : undefined;
    const problems: string[] = [];
    const unchecked: string[] = [];
    for (const doc of stored) {
        if (!isKubernetesObject(doc.object)) {
            problems.push(
                `${doc.file}: document ${doc.index}: /: not a Kubernetes object (no apiVersion and kind)`,
            );
            continue;
        }
        const schema = checkSchema(doc.object, registry, builtins);
        if (schema === undefined) unchecked.push(`${describeObject(doc.object)} (${doc.object.apiVersion})`);
        for (const issue of schema ?? []) problems.push(formatProblem(doc.file, issue));
        for (const issue of validateAdmission(doc.object, ctx)) problems.push(formatProblem(doc.file, issue));
    }
    // Behaviour rules judge the files together (a step and the Application it targets), cluster or not.
    const objects = stored.map((d) => d.object);
    for (const doc of stored) {
        if (!isKubernetesObject(doc.object)) continue;
        for (const issue of validateBehaviour(doc.object, objects, { cluster: options.cluster }))
            problems.push(formatProblem(doc.file, issue));
    }
    return { problems, checked: docs.length - unchecked.length, unchecked };
}

/** Reads and checks `files` with the pinned schemas (CRD_DIR, the shared copy or the verified cache). */
export async function validateManifestFiles(
    files: readonly string[],
    options: ManifestOptions,
): Promise<ManifestReport> {
    const docs = files.flatMap((f) => readManifestFile(f));
    const registry = SchemaRegistry.load(await resolveCrdDir());
    return checkManifests(docs, registry, await BuiltinSchemas.load(), options);
}
