/**
 * "The cluster" for webhook rules that read cluster state: the objects declared together (the synth's
 * full object list, or every document handed to `npm run validate`), as they would stand once applied.
 * Nothing else is assumed to exist, so a rule that needs an object nobody declared says so.
 */
import {
    PROJECT_LABEL,
    kindOf,
    labelsOf,
    nameOf,
    namespaceOf,
    pointer,
    quote,
    type RuleIssue,
} from "./objects";

export interface AdmissionContext {
    /** Every object declared together, in any order. */
    readonly objects: readonly unknown[];
    /**
     * Whether the cluster serves the VolumeSnapshot CRD (snapshot.storage.k8s.io), which CloudNativePG
     * checks at admission. Left undefined, the rule that needs it is skipped: the CRD is a cluster
     * prerequisite, not something a stack declares.
     */
    readonly volumeSnapshotCrd?: boolean;
}

/** What a namespace would be once the declared objects are applied. */
export type NamespaceState = "absent" | "project" | "plain";

export function findDeclared(ctx: AdmissionContext, kind: string, name: string, namespace = ""): unknown {
    return ctx.objects.find((o) => kindOf(o) === kind && nameOf(o) === name && namespaceOf(o) === namespace);
}

/**
 * A declared Namespace is what its labels say. Without one, a declared Project makes Kargo's Project
 * webhook create the namespace labelled as a project namespace (project/webhook.go, ensureNamespace).
 */
export function namespaceState(ctx: AdmissionContext, name: string): NamespaceState {
    const ns = findDeclared(ctx, "Namespace", name);
    if (ns !== undefined) return labelsOf(ns)[PROJECT_LABEL] === "true" ? "project" : "plain";
    return findDeclared(ctx, "Project", name) !== undefined ? "project" : "absent";
}

/**
 * Kargo's `ValidateProject` (pkg/webhook/kubernetes/project.go → pkg/server/validation/project.go,
 * ValidateProject), run by the Stage, Warehouse and PromotionTask webhooks on create: the object's
 * namespace must exist and carry `kargo.akuity.io/project: "true"`.
 */
export function validateProjectNamespace(namespace: string, ctx: AdmissionContext): RuleIssue[] {
    switch (namespaceState(ctx, namespace)) {
        case "project":
            return [];
        case "absent":
            return [
                {
                    path: pointer("metadata", "namespace"),
                    message: `Namespace ${quote(namespace)} not found`,
                },
            ];
        case "plain":
            return [
                {
                    path: pointer("metadata", "namespace"),
                    message: `namespace ${quote(namespace)} is not a project`,
                },
            ];
    }
}
