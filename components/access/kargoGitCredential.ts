/**
 * Kargo's git write credential (ADR 009 "Security": scoped to the one GitOps repository, kept in 1Password,
 * never hardcoded) flowing 1Password → OnePasswordItem → Secret labelled `kargo.akuity.io/cred-type: git`.
 * The repository rules that confine what it, and everyone else, can push are ./gitopsRepoRules (they exist
 * in every mode, Kargo or not). Decisions live in ./gitCredential.
 */
import * as onepassword from "@1password/pulumi-onepassword";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import {
    buildDeployKeyArgs,
    buildDeployKeyItemArgs,
    buildGitCredentialItem,
    buildInstallationRepositoriesArgs,
    selectGithubAppItemPath,
} from "./gitCredential";
import type { StackConfig } from "../config";
import { withCredential } from "../config/gitCredential";
import { declareObject } from "../core/declare";

export interface KargoGitCredentialArgs {
    /** The validated stack configuration (`gitCredential`, `gitops`, `pipeline`). */
    readonly config: StackConfig;
    /** The Kargo project namespace; the OnePasswordItem lives in it, so it must exist first. */
    readonly projectNamespace: pulumi.Resource;
    /** Provider for the GitOps repository's owner (installation, deploy key). */
    readonly githubProvider: pulumi.ProviderResource;
}

export class KargoGitCredential extends pulumi.ComponentResource {
    /** `github-app` or `deploy-key`. */
    readonly mode: string;
    /** Name of the labelled Secret the operator writes in the project namespace. */
    readonly secretName: string;
    /** What must exist before a ruleset names Kargo as its bypass actor (deploy-key mode: the key). */
    readonly bypassDependencies: pulumi.Resource[];

    constructor(name: string, args: KargoGitCredentialArgs, opts?: pulumi.ComponentResourceOptions) {
        super("release-pipeline:index:KargoGitCredential", name, {}, opts);
        const cfg = args.config;
        const onGithub = { parent: this, provider: args.githubProvider };

        let itemPath: pulumi.Input<string>;
        let bypassDependsOn: pulumi.Resource[] = [];
        const credential = cfg.gitCredential;
        if (credential.mode === "github-app") {
            const appCfg = withCredential(cfg, credential);
            itemPath = selectGithubAppItemPath(appCfg);
            if (credential.githubApp.restrictInstallation) {
                new github.AppInstallationRepositories(
                    `${name}-installation-repositories`,
                    buildInstallationRepositoriesArgs(appCfg),
                    onGithub,
                );
            }
        } else {
            const keyCfg = withCredential(cfg, credential);
            // The private key exists only in the tls provider's state (encrypted: it is a secret output) and
            // in the 1Password item; it is never printed, exported or written to a file.
            const key = new tls.PrivateKey(`${name}-deploy-key`, { algorithm: "ED25519" }, { parent: this });
            const deployKey = new github.RepositoryDeployKey(
                `${name}-deploy-key`,
                buildDeployKeyArgs(keyCfg, key.publicKeyOpenssh),
                onGithub,
            );
            const item = new onepassword.Item(
                `${name}-deploy-key-item`,
                buildDeployKeyItemArgs(keyCfg, pulumi.secret(key.privateKeyOpenssh)),
                { parent: this },
            );
            const vault = credential.deployKey.vaultUuid;
            itemPath = pulumi.interpolate`vaults/${vault}/items/${item.uuid}`;
            bypassDependsOn = [deployKey];
        }

        declareObject(`${name}-item`, buildGitCredentialItem(cfg, itemPath), {
            parent: this,
            dependsOn: [args.projectNamespace],
        });
        this.bypassDependencies = bypassDependsOn;
        this.mode = cfg.gitCredential.mode;
        this.secretName = cfg.gitCredential.secretName;
        this.registerOutputs({ mode: this.mode, secretName: this.secretName });
    }
}
