/**
 * A plain view of the stack's resources. Kubernetes objects are recognised by group and kind, whether
 * they were declared with a typed class or `apiextensions.CustomResource` (both register the type token
 * `kubernetes:<group>/<version>:<Kind>`), with `apiVersion`/`kind` inputs as the fallback. Objects the
 * stack commits to a git repository as YAML files (`github.RepositoryFile`, e.g. the deploy files that
 * hold Argo CD Applications) are objects too: they reach the cluster through Argo CD, so every policy
 * judges them like declared ones, each carrying the file it came from.
 */
import { parseAllDocuments } from "yaml";
import { isRecord, isUnknown, readRecord, readString, toPlain, type Plain } from "./values";

export interface StackResource {
    urn: string;
    type: string;
    name: string;
    props: Plain;
}

export interface KubeObject extends StackResource {
    /** API group, "core" for the legacy group. */
    group: string;
    kind: string;
    /** metadata.name, or the Pulumi name when the object is auto-named. */
    objectName: string;
    namespace?: string;
    labels: Record<string, string>;
    /** `spec` as declared: possibly unknown during preview, so read it with readPath/readList. */
    spec: unknown;
    /** For an object committed as a file: the file's path in its repository (the urn is the file's). */
    file?: string;
}

export const groups = {
    kargo: "kargo.akuity.io",
    argo: "argoproj.io",
    onePassword: "onepassword.com",
    cnpg: "postgresql.cnpg.io",
    core: "core",
} as const;

export const helmTypes = new Set([
    "kubernetes:helm.sh/v3:Release",
    "kubernetes:helm.sh/v3:Chart",
    "kubernetes:helm.sh/v4:Chart",
]);

export const cloudflareTypes = {
    accessApplication: "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication",
    accessPolicy: "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy",
    serviceToken: "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken",
} as const;

export const repositoryFileType = "github:index/repositoryFile:RepositoryFile";

const kubeToken = /^kubernetes:([^:/]+)\/([^:]+):([A-Za-z0-9]+)$/;

/** Group and kind of a Kubernetes object, or undefined for anything else (Helm, providers, clouds). */
export function findKubeKind(type: string, props: Plain): { group: string; kind: string } | undefined {
    const match = kubeToken.exec(type);
    if (match && match[1] !== "helm.sh" && match[1] !== "yaml") return { group: match[1], kind: match[3] };
    const apiVersion = readString(props.apiVersion);
    const kind = readString(props.kind);
    if (!type.startsWith("kubernetes:") || !apiVersion || !kind) return undefined;
    return { group: apiVersion.includes("/") ? apiVersion.split("/")[0] : groups.core, kind };
}

export function buildKubeObject(resource: StackResource): KubeObject | undefined {
    const kubeKind = findKubeKind(resource.type, resource.props);
    if (!kubeKind) return undefined;
    const metadata = readRecord(resource.props.metadata);
    const labels = Object.fromEntries(
        Object.entries(readRecord(metadata.labels)).filter(
            (e): e is [string, string] => typeof e[1] === "string",
        ),
    );
    const namespace = readString(metadata.namespace);
    return {
        ...resource,
        ...kubeKind,
        objectName: readString(metadata.name) ?? resource.name,
        ...(namespace ? { namespace } : {}),
        labels,
        spec: resource.props.spec,
    };
}

/**
 * The Kubernetes objects in a YAML file the stack commits. None while the content is unknown (preview)
 * or is not YAML with `apiVersion` and `kind` (a README, a values file): those are no objects to judge.
 */
export function findFileObjects(resource: StackResource): KubeObject[] {
    const file = readString(resource.props.file);
    const content = resource.props.content;
    if (!file || !/\.ya?ml$/.test(file) || typeof content !== "string" || isUnknown(content)) return [];
    return parseAllDocuments(content).flatMap((doc, i) => {
        if (doc.errors.length > 0) return [];
        const props = toPlain(doc.toJS());
        if (!isRecord(props) || !readString(props.apiVersion) || !readString(props.kind)) return [];
        // Document i of the file; the type only lets buildKubeObject read apiVersion/kind from the content.
        const object = buildKubeObject({ ...resource, type: "kubernetes:", props });
        return object ? [{ ...object, type: resource.type, name: `${resource.name}[${i}]`, file }] : [];
    });
}

/** Copies the analyzer's resources into plain data once, so every check reads plain values. */
export function buildStackView(
    resources: { urn: string; type: string; name: string; props: unknown }[],
): StackView {
    return new StackView(
        resources.map((r) => {
            const props = toPlain(r.props);
            return { urn: r.urn, type: r.type, name: r.name, props: isRecord(props) ? props : {} };
        }),
    );
}

export class StackView {
    readonly kube: KubeObject[];

    constructor(readonly resources: StackResource[]) {
        this.kube = resources.flatMap((r) => {
            if (r.type === repositoryFileType) return findFileObjects(r);
            const object = buildKubeObject(r);
            return object ? [object] : [];
        });
    }

    findKube(group: string, kind: string): KubeObject[] {
        return this.kube.filter((o) => o.group === group && o.kind === kind);
    }

    findByType(type: string): StackResource[] {
        return this.resources.filter((r) => r.type === type);
    }
}

/** "Kind namespace/name" as messages name objects, "(in <file>)" for one committed as a file. */
export function describeObject(object: KubeObject): string {
    const where = object.file ? ` (in ${object.file})` : "";
    return `${object.kind} ${object.namespace ? `${object.namespace}/` : ""}${object.objectName}${where}`;
}

/** Namespaced lookups: same namespace, or either side unset (the provider's default namespace). */
export function isSameNamespace(a: KubeObject, b: KubeObject): boolean {
    return a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace;
}
