/** The metadata every object the stack declares carries: always a name, never anything the server sets. */
export interface ObjectMeta {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
}

/**
 * What every Kubernetes object the stack declares has in common: plain data, so builders stay pure and
 * testable. The objects themselves are typed exactly: generated from the pinned CRDs (./generated) or the
 * typed built-in kinds of @pulumi/kubernetes (./builtins).
 */
export interface K8sObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: ObjectMeta;
}

export const KARGO_API = "kargo.akuity.io/v1alpha1";
export const ARGO_API = "argoproj.io/v1alpha1";
export const ONEPASSWORD_API = "onepassword.com/v1";
/** CloudNativePG's API group and version (the dev clone, its Backups, and prod's Cluster read for it). */
export const CNPG_API = "postgresql.cnpg.io/v1";

/** Labels every object of this stack carries, so `kubectl get -l` finds them. */
export const MANAGED_BY = {
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/part-of": "release-pipeline",
};

/**
 * Which stage an Application belongs to, for people and for the rehearsal's deploy-file seeder. Deliberately
 * not Kargo's `kargo.akuity.io/stage`: Kargo reads that label only on objects it creates itself, never on an
 * Application (offline/behaviour/applicationLabels.ts refuses it there).
 */
export const STAGE_LABEL = "release-pipeline.acme.dev/stage";

/**
 * pulumi-kubernetes: apply this object's fields even where another field manager co-owns them (server-side
 * apply with force), instead of failing on the conflict.
 */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

/** pulumi-kubernetes: what to await on create and update (a JSONPath condition, or a JSON array of them). */
export const WAIT_FOR_ANNOTATION = "pulumi.com/waitFor";

/** What describeObject needs of an object: its kind and, when it has them, its namespace and name. */
export interface ObjectRef {
    readonly kind: string;
    readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

/** `<Kind> <namespace>/<name>` (`<Kind> <name>` when cluster-scoped), as every message names an object. */
export function describeObject(obj: ObjectRef, unnamed = "<unnamed>"): string {
    const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : "";
    return `${obj.kind} ${ns}${obj.metadata?.name ?? unnamed}`;
}
