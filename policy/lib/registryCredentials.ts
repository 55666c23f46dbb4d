/**
 * Registry (and Argo CD repository) credentials: where each reader looks, and which Argo CD Secret fields
 * are credentials.
 * - Kargo 1.11.2 reads `kargo.akuity.io/cred-type` Secrets only in the project namespace, then the shared
 *   resources namespace (pkg/credentials/kubernetes/database.go `Get`).
 * - Argo CD reads repository and repo-creds Secrets only in its own namespace, which is where its
 *   Applications live (util/db: `listSecretsByType` on the Argo CD namespace).
 * - A repo-creds Secret (credential template) is a credential by definition; a `repository` Secret may be
 *   credential-free (url, type, enableOCI) and is only a finding when it carries one of the secret fields
 *   `secretToRepository` reads (util/db/repository_secrets.go).
 */
import type { Problem } from "./kargo";
import { describeObject, groups, type KubeObject, type StackView } from "./resources";
import { isRecord } from "./values";

export const argocdSecretTypeLabel = "argocd.argoproj.io/secret-type";
const kargoCredTypeLabel = "kargo.akuity.io/cred-type";

/** Credential templates: they exist to hold a credential. */
const argocdTemplateTypes = new Set(["repo-creds", "repo-creds-write"]);

/** The fields of an Argo CD repository Secret that hold secrets (Argo CD v3.5.1 secretToRepository). */
export const argocdCredentialFields = [
    "username",
    "password",
    "bearerToken",
    "sshPrivateKey",
    "tlsClientCertKey",
    "githubAppPrivateKey",
    "gcpServiceAccountKey",
    "azureServicePrincipalClientSecret",
];

/**
 * An Argo CD Secret declared by the stack: a credential template declared as a Secret, or a repository
 * Secret with a literal credential field. A map redacted as a whole offline (typed Secrets mark data and
 * stringData secret) shows no keys and cannot be judged here; `pulumi preview` passes the keys.
 */
export function findArgocdSecretFindings(secret: KubeObject): Problem[] {
    const type = secret.labels[argocdSecretTypeLabel];
    if (argocdTemplateTypes.has(type)) {
        return [
            {
                urn: secret.urn,
                message: `${describeObject(secret)} is an Argo CD credential template (${argocdSecretTypeLabel}: ${type}) declared as a Secret; declare a OnePasswordItem (the operator writes the Secret)`,
            },
        ];
    }
    const literal = ["data", "stringData"].flatMap((field) => {
        const value = secret.props[field];
        return isRecord(value)
            ? Object.keys(value)
                  .filter((k) => argocdCredentialFields.includes(k))
                  .map((k) => `${field}.${k}`)
            : [];
    });
    if (literal.length === 0) return [];
    return [
        {
            urn: secret.urn,
            message: `${describeObject(secret)} (${argocdSecretTypeLabel}: ${type}) carries literal credentials (${literal.join(", ")}); keep the repository Secret credential-free and source the credential from a OnePasswordItem labelled ${argocdSecretTypeLabel}: repo-creds`,
        },
    ];
}

/** Namespaces Kargo reads project credentials from: those of the project's Kargo objects, and the shared one. */
function findKargoNamespaces(view: StackView, sharedNamespace: string): Set<string> {
    const kinds = ["Stage", "Warehouse", "ProjectConfig", "PromotionTask"];
    const namespaces = kinds.flatMap((k) => view.findKube(groups.kargo, k).map((o) => o.namespace));
    return new Set([...namespaces.filter((n): n is string => !!n), sharedNamespace]);
}

/** A registry credential item outside the namespace its reader looks in is never read. */
export function findRegistryItemFindings(
    view: StackView,
    items: readonly KubeObject[],
    sharedNamespace: string,
): Problem[] {
    const kargoNamespaces = findKargoNamespaces(view, sharedNamespace);
    const argocdNamespaces = new Set(
        view
            .findKube(groups.argo, "Application")
            .map((a) => a.namespace)
            .filter((n): n is string => !!n),
    );
    return items.flatMap((item): Problem[] => {
        if (item.namespace === undefined) return [];
        if (item.labels[kargoCredTypeLabel] === "helm" && !kargoNamespaces.has(item.namespace)) {
            return [
                {
                    urn: item.urn,
                    message: `${describeObject(item)} (${kargoCredTypeLabel}: helm) is in no namespace Kargo reads credentials from (${[...kargoNamespaces].join(", ")})`,
                },
            ];
        }
        const argoType = item.labels[argocdSecretTypeLabel];
        if (argoType && argocdNamespaces.size > 0 && !argocdNamespaces.has(item.namespace)) {
            return [
                {
                    urn: item.urn,
                    message: `${describeObject(item)} (${argocdSecretTypeLabel}: ${argoType}) is not in the Argo CD namespace (${[...argocdNamespaces].join(", ")}), where Argo CD reads repository credentials`,
                },
            ];
        }
        return [];
    });
}
