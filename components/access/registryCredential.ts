/**
 * The opt-in read credential for the private chart registry (issue 9, defect 7), declared the way the git
 * credential is: 1Password → OnePasswordItem → labelled Secret, never a literal. Two consumers, two items,
 * one 1Password item behind both (fields: components/config/registryCredential.ts
 * selectRegistryCredentialFields):
 * - Kargo's Warehouses list Secrets labelled `kargo.akuity.io/cred-type: helm` in the project namespace
 *   (then the shared resources namespace) and match `repoURL` against the chart URL
 *   (pkg/credentials/kubernetes/database.go `Get` / `getCredentialsSecret`);
 * - Argo CD's repo-server takes the credential template (`argocd.argoproj.io/secret-type: repo-creds`) in
 *   its own namespace whose `url` is the longest prefix of the Application's `repoURL`
 *   (util/db/repository_secrets.go `getRepositoryCredentialIndex`, v3.5.1).
 * The operator replaces the Secret's labels with the item's, so the labels go on the items.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { selectRegistryCredentialFields } from "../config/registryCredential";
import { declareObject } from "../core/declare";
import type { OnePasswordItem } from "../core/generated";
import { MANAGED_BY, ONEPASSWORD_API } from "../core/objects";
import { KARGO_CRED_TYPE_LABEL } from "./gitCredential";

/** The label Argo CD selects repositories and credential templates by. */
export const ARGOCD_SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type";

/** Kargo's helm credential, in the project namespace its Warehouses look in first. */
export function buildKargoRegistryCredentialItem(cfg: StackConfig): OnePasswordItem {
    return {
        apiVersion: ONEPASSWORD_API,
        kind: "OnePasswordItem",
        metadata: {
            name: cfg.registryCredential.kargoSecretName,
            namespace: cfg.pipeline.project,
            labels: { ...MANAGED_BY, [KARGO_CRED_TYPE_LABEL]: "helm" },
        },
        spec: { itemPath: cfg.registryCredential.itemPath },
    };
}

/** Argo CD's credential template for every Helm-type OCI source under the charts' registry path. */
export function buildArgocdRepoCredsItem(cfg: StackConfig): OnePasswordItem {
    return {
        apiVersion: ONEPASSWORD_API,
        kind: "OnePasswordItem",
        metadata: {
            name: cfg.registryCredential.argocdSecretName,
            namespace: cfg.argocd.namespace,
            labels: { ...MANAGED_BY, [ARGOCD_SECRET_TYPE_LABEL]: "repo-creds" },
        },
        spec: { itemPath: cfg.registryCredential.itemPath },
    };
}

export interface RegistryCredentialArgs {
    /** The validated stack configuration (`registryCredential`, `charts`, `pipeline`, `argocd`). */
    readonly config: StackConfig;
    /**
     * The Kargo project namespace; Kargo's item lives in it, so it must exist first. Absent without Kargo
     * (pipeline mode bump-only): only Argo CD's credential is declared.
     */
    readonly projectNamespace?: pulumi.Resource;
}

export class RegistryCredential extends pulumi.ComponentResource {
    /** Whether the stack declares the credential (registryCredential.enabled). */
    readonly enabled: boolean;
    /** The fields the 1Password item must carry (values shown, secrets as placeholders); {} when off. */
    readonly itemFields: Record<string, string>;

    constructor(name: string, args: RegistryCredentialArgs, opts?: pulumi.ComponentResourceOptions) {
        super("release-pipeline:index:RegistryCredential", name, {}, opts);
        const cfg = args.config;
        this.enabled = cfg.registryCredential.enabled;
        this.itemFields = this.enabled ? selectRegistryCredentialFields(cfg.charts) : {};
        if (this.enabled && args.projectNamespace) {
            declareObject(`${name}-kargo-item`, buildKargoRegistryCredentialItem(cfg), {
                parent: this,
                dependsOn: [args.projectNamespace],
            });
        }
        if (this.enabled) {
            // The Argo CD namespace is a prerequisite (read by KargoInstall), never created here.
            declareObject(`${name}-argocd-item`, buildArgocdRepoCredsItem(cfg), { parent: this });
        }
        this.registerOutputs({ enabled: this.enabled, itemFields: this.itemFields });
    }
}
