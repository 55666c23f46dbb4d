/**
 * The one way a component declares a Kubernetes object built by a pure builder: built-in kinds with their
 * typed @pulumi/kubernetes class, custom resources (typed by ./generated) as CustomResource.
 *
 * The typed classes register the type token CustomResource did (`kubernetes:<apiVersion>:<kind>`) except
 * for the core group: `kubernetes:core/v1:ConfigMap` where CustomResource wrote `kubernetes:v1:ConfigMap`.
 * Those URNs change, so the old type is given as an alias: `pulumi up` moves the state, never replaces.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { BuiltInObject, Secret } from "./builtins";
import type * as crd from "./generated";

/** Every custom resource kind the stack declares, as generated from its pinned CRD. */
export type CustomObject =
    | crd.Project
    | crd.ProjectConfig
    | crd.Warehouse
    | crd.Stage
    | crd.PromotionTask
    | crd.Application
    | crd.AnalysisTemplate
    | crd.Cluster
    | crd.Backup
    | crd.ScheduledBackup
    | crd.OnePasswordItem;

/** `T` with the fields of its spec allowed to be Pulumi inputs: values known only at deploy time. */
export type WithInputSpec<T extends { readonly spec?: object }> = Omit<T, "spec"> & {
    readonly spec: { readonly [K in keyof NonNullable<T["spec"]>]: pulumi.Input<NonNullable<T["spec"]>[K]> };
};

/**
 * Every object a component declares through {@link declareObject}. A OnePasswordItem may name an item the
 * stack itself creates, whose path is known only at deploy time. A Secret is typed like the built-ins but
 * declared as it always was (CustomResource, type `kubernetes:v1:Secret`), so its URN never moves.
 */
export type StackObject = BuiltInObject | CustomObject | WithInputSpec<crd.OnePasswordItem> | Secret;

/** Core-group kinds once declared as CustomResource (type `kubernetes:v1:<Kind>`), now typed. */
const FORMERLY_CUSTOM_CORE_KINDS: ReadonlySet<string> = new Set(["ConfigMap", "ServiceAccount"]);

/** The alias that carries an object's state over from its CustomResource type token, if it needs one. */
export function selectLegacyTypeAliases(obj: Pick<StackObject, "apiVersion" | "kind">): pulumi.Alias[] {
    if (obj.apiVersion !== "v1" || !FORMERLY_CUSTOM_CORE_KINDS.has(obj.kind)) return [];
    return [{ type: `kubernetes:v1:${obj.kind}` }];
}

/** Declares `obj`: built-in kinds with their typed class, custom resources as CustomResource. */
export function declareObject(
    name: string,
    obj: StackObject,
    options: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
    const legacy = selectLegacyTypeAliases(obj);
    const opts =
        legacy.length > 0 ? { ...options, aliases: [...(options.aliases ?? []), ...legacy] } : options;
    switch (obj.kind) {
        // Namespaces have always been declared from their metadata alone.
        case "Namespace":
            return new k8s.core.v1.Namespace(name, { metadata: obj.metadata }, opts);
        case "ConfigMap":
            return new k8s.core.v1.ConfigMap(name, obj, opts);
        case "ServiceAccount":
            return new k8s.core.v1.ServiceAccount(name, obj, opts);
        case "Role":
            return new k8s.rbac.v1.Role(name, obj, opts);
        case "RoleBinding":
            return new k8s.rbac.v1.RoleBinding(name, obj, opts);
        case "ClusterRole":
            return new k8s.rbac.v1.ClusterRole(name, obj, opts);
        case "ClusterRoleBinding":
            return new k8s.rbac.v1.ClusterRoleBinding(name, obj, opts);
        case "NetworkPolicy":
            return new k8s.networking.v1.NetworkPolicy(name, obj, opts);
        case "Job":
            return new k8s.batch.v1.Job(name, obj, opts);
        case "CronJob":
            return new k8s.batch.v1.CronJob(name, obj, opts);
        case "ValidatingAdmissionPolicy":
            return new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(name, obj, opts);
        case "ValidatingAdmissionPolicyBinding":
            return new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(name, obj, opts);
        default:
            return new k8s.apiextensions.CustomResource(name, { ...obj }, opts);
    }
}
