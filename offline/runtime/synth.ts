/**
 * The offline synth: runs the real program (index.ts) under the recording mock runtime with a stack's YAML
 * config, then turns what it registered into reviewable artifacts and validates every custom resource
 * against the pinned CRDs and Kargo schemas.
 */
import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { CONFIG_NAMESPACE, ConfigError } from "../../components/config";
import { findStackFileProblems } from "../../components/config/checks/stackFile";
import { namespaceStackConfig } from "../../components/config/checks/stackKeys";
import { renderPipelineMarkdown } from "../report/pipelineMarkdown";
import { validateAdmissionAll, type AdmissionIssue } from "../admission";
import { validateBehaviourAll } from "../behaviour";
import type { BuiltinSchemas } from "../schemas/builtins";
import type { SchemaRegistry, ValidationIssue } from "../schemas/validate";
import { OFFLINE_CLUSTER_STATES } from "./cluster";
import { REDACTED, runProgram, type ResourceRecord, type RunResult, type StateHook } from "./mockRuntime";

export const PROJECT_ROOT = resolve(__dirname, "..", "..");
export const STACKS = ["dev", "prod"] as const;
export type StackName = (typeof STACKS)[number];

export interface StackConfigFile {
    /** Flat `"ns:key"` → string, as `pulumi config` hands it to the program. */
    readonly config: Record<string, string>;
    /** Keys whose values were `secure:` (replaced by placeholders offline). */
    readonly secretKeys: string[];
}

/** Placeholder for a `secure:` value: the ciphertext cannot be decrypted offline, and must not leak. */
export function redactedPlaceholder(key: string): string {
    return `redacted-${key.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

function isSecure(value: unknown): value is { secure: string } {
    return !!value && typeof value === "object" && "secure" in value && Object.keys(value).length === 1;
}

/**
 * Reads `Pulumi.<stack>.yaml` the way the CLI hands config to a program: structured values as JSON text,
 * `secure:` values as secrets. `overrides` (tests) replace or add values; all of them are marked secret
 * when listed in `secretOverrides`. A file that is not a stack file (not a mapping, unknown top-level keys,
 * config keys outside the `config:` wrapper) throws a {@link ConfigError} naming each problem.
 */
export function loadStackFile(
    stack: string,
    root = PROJECT_ROOT,
    overrides: Record<string, unknown> = {},
    secretOverrides: readonly string[] = [],
    path = join(root, `Pulumi.${stack}.yaml`),
): StackConfigFile {
    const text = readFileSync(path, "utf8");
    const doc: unknown = parseYaml(text);
    // Nothing of a file that is not a stack file reaches the program: one clear line instead.
    const problems = findStackFileProblems(doc, basename(path));
    if (problems.length > 0) throw new ConfigError(problems);
    // Pulumi's own reading of the keys, shared with chart-release (components/config/checks/stackKeys.ts).
    const { config: namespaced, clashes } = namespaceStackConfig(
        (doc as { config?: Record<string, unknown> | null }).config ?? {},
    );
    if (clashes.length > 0) throw new ConfigError(clashes.map((clash) => `${basename(path)}: ${clash}`));
    const entries = { ...namespaced, ...overrides };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [...secretOverrides];
    for (const [key, value] of Object.entries(entries)) {
        const full = key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`;
        if (isSecure(value)) {
            config[full] = redactedPlaceholder(full);
            secretKeys.push(full);
        } else {
            config[full] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { config, secretKeys: [...new Set(secretKeys)] };
}

/**
 * Runs index.ts for a stack. Each call re-evaluates the program module, so runs do not share state.
 * `states` answers the prerequisite reads (default: the offline cluster, ./cluster.ts).
 */
export async function runStack(
    stack: string,
    file: StackConfigFile,
    preview = false,
    states: Readonly<Record<string, StateHook>> = OFFLINE_CLUSTER_STATES,
): Promise<RunResult> {
    const entry = require.resolve(join(PROJECT_ROOT, "index.ts"));
    return runProgram(
        () => {
            delete require.cache[entry];
            // A fresh require (not import) so each run re-evaluates the program against the new runtime.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(entry);
        },
        {
            project: CONFIG_NAMESPACE,
            stack,
            config: file.config,
            secretKeys: file.secretKeys,
            preview,
            states,
        },
    );
}

/** A declared Kubernetes object (not a Helm release, not a read of an existing object). */
export interface DeclaredObject {
    readonly record: ResourceRecord;
    readonly object: Record<string, unknown> & {
        apiVersion: string;
        kind: string;
        metadata: { name: string; namespace?: string };
    };
}

const K8S_HELM_TYPES = /^kubernetes:helm\.sh\//;

export function selectKubernetesObjects(resources: readonly ResourceRecord[]): DeclaredObject[] {
    return resources
        .filter(
            (r) => r.custom && !r.read && r.type.startsWith("kubernetes:") && !K8S_HELM_TYPES.test(r.type),
        )
        .filter((r) => !r.type.startsWith("pulumi:providers:"))
        .map((r) => ({ record: r, object: r.inputs as DeclaredObject["object"] }));
}

const REPOSITORY_FILE = "github:index/repositoryFile:RepositoryFile";

/** A file the stack commits to a git repository (the deploy files), with the object its YAML holds. */
export interface CommittedFile {
    readonly record: ResourceRecord;
    /** Path inside the repository. */
    readonly path: string;
    readonly repository: string;
    readonly content: string;
    /** The file's single YAML document (the deploy files hold one Application each). */
    readonly object: DeclaredObject["object"];
}

export function selectCommittedFiles(resources: readonly ResourceRecord[]): CommittedFile[] {
    return resources
        .filter((r) => r.type === REPOSITORY_FILE && !r.read)
        .map((r) => {
            const content = String(r.inputs.content);
            return {
                record: r,
                path: String(r.inputs.file),
                repository: String(r.inputs.repository),
                content,
                object: parseYaml(content) as DeclaredObject["object"],
            };
        });
}

/** The committed files as one YAML stream, each document headed by its repository and path. */
export function renderCommittedFiles(files: readonly CommittedFile[]): string {
    return files.map((f) => `# ${f.repository}: ${f.path}\n${f.content}`).join("---\n");
}

/** Secret payloads never reach a synth file, whatever the program marked secret. */
export function redactSecretData(obj: DeclaredObject["object"]): DeclaredObject["object"] {
    if (obj.apiVersion !== "v1" || obj.kind !== "Secret") return obj;
    const redact = (m: unknown) =>
        m && typeof m === "object" ? Object.fromEntries(Object.keys(m).map((k) => [k, REDACTED])) : m;
    const out: Record<string, unknown> = { ...obj };
    if ("data" in obj) out.data = redact(obj.data);
    if ("stringData" in obj) out.stringData = redact(obj.stringData);
    return out as DeclaredObject["object"];
}

/**
 * Orders objects so that every object comes after the objects it depends on (its recorded dependencies,
 * its parent's dependencies, and its namespace), keeping registration order otherwise.
 */
export function orderByDependencies(
    objs: readonly DeclaredObject[],
    all: readonly ResourceRecord[],
): DeclaredObject[] {
    const byUrn = new Map(all.map((r) => [r.urn, r]));
    const depsOf = (r: ResourceRecord): Set<string> => {
        const deps = new Set<string>(r.dependencies);
        let parent = r.parent ? byUrn.get(r.parent) : undefined;
        while (parent) {
            parent.dependencies.forEach((d) => deps.add(d));
            parent = parent.parent ? byUrn.get(parent.parent) : undefined;
        }
        return deps;
    };
    const nsUrn = new Map(
        objs.filter((o) => o.object.kind === "Namespace").map((o) => [o.object.metadata.name, o.record.urn]),
    );
    const pending = [...objs];
    const done = new Set<string>();
    const ordered: DeclaredObject[] = [];
    const known = new Set(objs.map((o) => o.record.urn));
    while (pending.length > 0) {
        const index = pending.findIndex((o) => {
            const deps = depsOf(o.record);
            const ns = o.object.metadata.namespace ? nsUrn.get(o.object.metadata.namespace) : undefined;
            if (ns && ns !== o.record.urn) deps.add(ns);
            return [...deps].every((d) => done.has(d) || !known.has(d));
        });
        // A cycle cannot come from a Pulumi program; fall back to registration order if one ever appears.
        const [next] = pending.splice(index === -1 ? 0 : index, 1);
        done.add(next.record.urn);
        ordered.push(next);
    }
    return ordered;
}

export function renderManifests(objs: readonly DeclaredObject[]): string {
    return objs.map((o) => stringifyYaml(redactSecretData(o.object), { lineWidth: 0 })).join("---\n");
}

/**
 * The options a reviewer must see change (`synth --diff` compares them): only those set, so a component
 * or an unprotected resource carries none. The provider is named by its URN (the id is the mock's).
 */
export function selectReviewedOptions(r: ResourceRecord): Record<string, unknown> {
    const o = r.options;
    return {
        ...(o.provider ? { provider: o.provider.replace(/::[^:]*$/, "") } : {}),
        ...(o.protect ? { protect: true } : {}),
        ...(o.retainOnDelete ? { retainOnDelete: true } : {}),
        ...(o.ignoreChanges.length > 0 ? { ignoreChanges: [...o.ignoreChanges] } : {}),
        ...(o.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
        ...(Object.keys(o.customTimeouts).length > 0 ? { customTimeouts: { ...o.customTimeouts } } : {}),
        ...(o.dependsOn.length > 0 ? { dependsOn: [...o.dependsOn] } : {}),
    };
}

/**
 * `{urn, type, name, parent, inputs, options?}` per registered resource: the policy pack's input format
 * (which ignores `options`), and what `synth --diff` compares.
 */
export function renderResourcesJson(resources: readonly ResourceRecord[]): string {
    const rows = resources
        .filter((r) => !r.read)
        .map((r) => {
            const options = selectReviewedOptions(r);
            return {
                urn: r.urn,
                type: r.type,
                name: r.name,
                parent: r.parent ?? null,
                inputs: r.inputs,
                ...(Object.keys(options).length > 0 ? { options } : {}),
            };
        });
    return JSON.stringify(rows, null, 2) + "\n";
}

/** API groups served by Kubernetes itself (everything else is a custom resource and needs a pinned CRD). */
const BUILTIN_GROUPS = new Set([
    "apps",
    "batch",
    "policy",
    "autoscaling",
    "networking.k8s.io",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "coordination.k8s.io",
    "scheduling.k8s.io",
    "certificates.k8s.io",
    "discovery.k8s.io",
    "node.k8s.io",
    "events.k8s.io",
]);

export function isCustomResource(apiVersion: string): boolean {
    const slash = apiVersion.indexOf("/");
    return slash !== -1 && !BUILTIN_GROUPS.has(apiVersion.slice(0, slash));
}

/**
 * Validates every declared object's shape: custom resources against the pinned CRDs and Kargo schemas,
 * built-in kinds (when `builtins` is given) against the pinned Kubernetes OpenAPI schema. A value the synth
 * only knows as a redacted secret is not judged.
 */
export function validateObjects(
    objs: readonly DeclaredObject[],
    registry: SchemaRegistry,
    builtins?: BuiltinSchemas,
): ValidationIssue[] {
    return objs.flatMap((o) => {
        if (isCustomResource(o.object.apiVersion)) return registry.validateObject(o.object);
        return builtins ? builtins.validateObject(o.object, [REDACTED]) : [];
    });
}

/**
 * The admission model (Kargo's and CloudNativePG's validating webhooks) on every declared object, with all
 * of them standing for the cluster: what `pulumi up` would be refused after the schemas pass.
 */
export function admitObjects(objs: readonly DeclaredObject[]): AdmissionIssue[] {
    return validateAdmissionAll(objs.map((o) => o.object));
}

/**
 * The behaviour rules (offline/behaviour) on every declared object and every committed file's object
 * together: what admission lets through but a controller or proxy would make fail (an argocd-update that
 * never converges, an ingress that answers 400).
 */
export function findBehaviourProblems(
    objs: readonly DeclaredObject[],
    files: readonly CommittedFile[],
): AdmissionIssue[] {
    return validateBehaviourAll([...objs.map((o) => o.object), ...files.map((f) => f.object)]);
}

/** The synth's files by name, rendered from one run; scripts/synth.ts writes exactly these. */
export function renderArtifacts(stack: string, run: RunResult): Record<string, string> {
    const objects = orderByDependencies(selectKubernetesObjects(run.resources), run.resources);
    return {
        "manifests.yaml": renderManifests(objects),
        "resources.json": renderResourcesJson(run.resources),
        "deploy-files.yaml": renderCommittedFiles(selectCommittedFiles(run.resources)),
        "pipeline.md": renderPipelineMarkdown(
            stack,
            objects.map((o) => o.object),
            selectCommittedFiles(run.resources),
        ),
        "outputs.json": JSON.stringify(run.outputs, null, 2) + "\n",
    };
}
