/**
 * What holds state or serves prod, by resource type (for Kubernetes objects the type token carries the
 * kind), and how Pulumi must treat it. Applied to a component's children by {@link protectStateful}, so
 * the components themselves stay free of lifecycle options and a new resource of a listed type is covered
 * wherever it is declared.
 */
import type * as pulumi from "@pulumi/pulumi";

export interface ProtectionRule {
    /** Pulumi type token, e.g. `kubernetes:core/v1:Namespace`. */
    readonly type: string;
    /** Refuse to delete or replace it while `release-pipeline:protect` is on. */
    readonly protect: boolean;
    /** When it is removed from the program (once unprotected), leave the object in place. */
    readonly retainOnDelete: boolean;
    /** Why: what a deletion would lose. */
    readonly why: string;
}

export const PROTECTION_RULES: readonly ProtectionRule[] = [
    {
        type: "kubernetes:core/v1:Namespace",
        protect: true,
        retainOnDelete: true,
        why: "the project namespace holds every Stage, Freight and its verification history; Kargo's holds its Secrets",
    },
    {
        type: "kubernetes:kargo.akuity.io/v1alpha1:Project",
        protect: true,
        retainOnDelete: true,
        why: "deleting a Project makes Kargo tear down the project and its namespace",
    },
    {
        type: "kubernetes:helm.sh/v3:Release",
        protect: true,
        // A deliberate removal must uninstall through Helm (which keeps the CRDs, hence every Stage).
        retainOnDelete: false,
        why: "Kargo itself: every promotion into prod runs through it",
    },
    {
        type: "kubernetes:argoproj.io/v1alpha1:Application",
        protect: true,
        retainOnDelete: true,
        why: "an Application serves its stage; deleting it with Argo CD's finalizer deletes the workload",
    },
    {
        type: "github:index/repositoryFile:RepositoryFile",
        protect: true,
        retainOnDelete: true,
        why: "a deploy file is the GitOps record of what a stage runs; Kargo rewrites it on every promotion",
    },
    {
        type: "github:index/repositoryRuleset:RepositoryRuleset",
        protect: true,
        retainOnDelete: false,
        why: "the rules that confine what Kargo's credential, and everyone else, can push to the GitOps repository",
    },
    {
        type: "github:index/appInstallationRepositories:AppInstallationRepositories",
        protect: true,
        retainOnDelete: false,
        why: "deleting it removes the GitOps repository from the app's installation: promotions stop pushing",
    },
    {
        type: "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication",
        protect: true,
        retainOnDelete: false,
        why: "deleting it leaves the dev hostnames public",
    },
];

/** The rule for a resource type, if it holds state or serves prod. */
export function findProtection(type: string): ProtectionRule | undefined {
    return PROTECTION_RULES.find((r) => r.type === type);
}

/**
 * A transformation for a component's options (`transformations: [protectStateful(cfg.protect)]`): every
 * child of a type in {@link PROTECTION_RULES} gets `protect` (when enabled) and `retainOnDelete` as the rule
 * says. Reads of existing objects (`X.get`) are left alone. An SDK-side transformation (rather than an
 * engine-side transform) so the offline mock runtime records exactly what `pulumi up` registers.
 */
export function protectStateful(enabled: boolean): pulumi.ResourceTransformation {
    return ({ type, props, opts }) => {
        const rule = findProtection(type);
        if (!rule || opts.id !== undefined) return undefined;
        return {
            props,
            opts: {
                ...opts,
                protect: (enabled && rule.protect) || opts.protect === true,
                retainOnDelete: rule.retainOnDelete || opts.retainOnDelete === true,
            },
        };
    };
}
