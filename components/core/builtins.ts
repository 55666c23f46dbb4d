/**
 * The built-in Kubernetes kinds the stack declares, typed by @pulumi/kubernetes' own input types: the
 * typed classes (k8s.rbac.v1.Role, …) accept exactly these, so the compiler checks every field a builder
 * writes, and tests read them without casts. Builders hold plain data ({@link Plain}); only a Secret whose
 * values are Pulumi secrets keeps its inputs as they are.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ObjectMeta } from "./objects";

/** A Pulumi input type with every Input<> and Promise<> replaced by the value it wraps. */
export type Plain<T> = pulumi.Unwrap<T>;

/** A built-in object: its fields from `T`, with apiVersion, kind and the stack's metadata fixed. */
export type BuiltIn<T, ApiVersion extends string, Kind extends string> = Omit<
    T,
    "apiVersion" | "kind" | "metadata"
> & {
    readonly apiVersion: ApiVersion;
    readonly kind: Kind;
    readonly metadata: ObjectMeta;
};

export type Namespace = BuiltIn<Plain<k8s.types.input.core.v1.Namespace>, "v1", "Namespace">;
export type ConfigMap = BuiltIn<Plain<k8s.types.input.core.v1.ConfigMap>, "v1", "ConfigMap">;
export type ServiceAccount = BuiltIn<Plain<k8s.types.input.core.v1.ServiceAccount>, "v1", "ServiceAccount">;
/** A Secret keeps Pulumi inputs: its values are secret outputs, never unwrapped by a builder. */
export type Secret = BuiltIn<k8s.types.input.core.v1.Secret, "v1", "Secret">;

type RbacApi = "rbac.authorization.k8s.io/v1";
export type Role = BuiltIn<Plain<k8s.types.input.rbac.v1.Role>, RbacApi, "Role">;
export type RoleBinding = BuiltIn<Plain<k8s.types.input.rbac.v1.RoleBinding>, RbacApi, "RoleBinding">;
export type ClusterRole = BuiltIn<Plain<k8s.types.input.rbac.v1.ClusterRole>, RbacApi, "ClusterRole">;
export type ClusterRoleBinding = BuiltIn<
    Plain<k8s.types.input.rbac.v1.ClusterRoleBinding>,
    RbacApi,
    "ClusterRoleBinding"
>;

export type NetworkPolicy = BuiltIn<
    Plain<k8s.types.input.networking.v1.NetworkPolicy>,
    "networking.k8s.io/v1",
    "NetworkPolicy"
>;
export type Job = BuiltIn<Plain<k8s.types.input.batch.v1.Job>, "batch/v1", "Job">;
export type CronJob = BuiltIn<Plain<k8s.types.input.batch.v1.CronJob>, "batch/v1", "CronJob">;
type AdmissionApi = "admissionregistration.k8s.io/v1";
export type ValidatingAdmissionPolicy = BuiltIn<
    Plain<k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicy>,
    AdmissionApi,
    "ValidatingAdmissionPolicy"
>;
export type ValidatingAdmissionPolicyBinding = BuiltIn<
    Plain<k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicyBinding>,
    AdmissionApi,
    "ValidatingAdmissionPolicyBinding"
>;
/** A pod spec, as the refresher's Jobs and CronJob share it. */
export type PodSpec = Plain<k8s.types.input.core.v1.PodSpec>;

/** Every built-in kind a component declares with its typed class (see ./declare.ts). */
export type BuiltInObject =
    | Namespace
    | ConfigMap
    | ServiceAccount
    | Role
    | RoleBinding
    | ClusterRole
    | ClusterRoleBinding
    | NetworkPolicy
    | Job
    | CronJob
    | ValidatingAdmissionPolicy
    | ValidatingAdmissionPolicyBinding;
