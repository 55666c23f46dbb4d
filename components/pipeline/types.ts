/** A Kubernetes object as the stack declares it: plain data, so builders stay pure and testable. */
export interface K8sObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: {
        readonly name: string;
        readonly namespace?: string;
        readonly labels?: Record<string, string>;
        readonly annotations?: Record<string, string>;
    };
    readonly [field: string]: unknown;
}

export const KARGO_API = "kargo.akuity.io/v1alpha1";
export const ARGO_API = "argoproj.io/v1alpha1";
export const ONEPASSWORD_API = "onepassword.com/v1";

/** Labels every object of this stack carries, so `kubectl get -l` finds them. */
export const MANAGED_BY = {
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/part-of": "release-pipeline",
};
