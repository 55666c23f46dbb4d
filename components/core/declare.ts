/**
 * The one way a component declares a plain Kubernetes object built by a pure builder.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { K8sObject } from "./objects";

/** Declares `obj` as a Kubernetes resource (typed class for Namespaces, CustomResource for the rest). */
export function declareObject(
    name: string,
    obj: K8sObject,
    opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
    if (obj.apiVersion === "v1" && obj.kind === "Namespace") {
        return new k8s.core.v1.Namespace(name, { metadata: obj.metadata }, opts);
    }
    return new k8s.apiextensions.CustomResource(name, obj as k8s.apiextensions.CustomResourceArgs, opts);
}
