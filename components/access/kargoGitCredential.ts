/**
 * Kargo's git write credential (ADR 009 "Security": scoped to the one GitOps repository, kept in 1Password,
 * never hardcoded) flowing 1Password → OnePasswordItem → Secret labelled `kargo.akuity.io/cred-type: git`,
 * plus the repository rules that confine what it, and everyone else, can push. Decisions live in
 * ./gitCredential.
 */
import * as onepassword from "@1password/pulumi-onepassword";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import {
    buildBranchRulesetArgs,
    buildDeployFilesRulesetArgs,
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
    /** Provider for the GitOps repository's owner (installation, rulesets, deploy key). */
    readonly githubProvider: pulumi.ProviderResource;
}

export class KargoGitCredential extends pulumi.ComponentResource {
    /** `github-app` or `deploy-key`. */
    readonly mode: string;
    /** Name of the labelled Secret the operator writes in the project namespace. */
    readonly secretName: string;

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
        if (cfg.gitCredential.branchRuleset.enabled) {
            new github.RepositoryRuleset(`${name}-branch-ruleset`, buildBranchRulesetArgs(cfg), {
                ...onGithub,
                // A DeployKey bypass names no key: make sure Kargo's key exists before the rule that relies on it.
                dependsOn: bypassDependsOn,
            });
        }
        if (cfg.gitCredential.deployFilesRuleset.enabled) {
            new github.RepositoryRuleset(`${name}-deploy-files-ruleset`, buildDeployFilesRulesetArgs(cfg), {
                ...onGithub,
                dependsOn: bypassDependsOn,
            });
        }
        this.mode = cfg.gitCredential.mode;
        this.secretName = cfg.gitCredential.secretName;
        this.registerOutputs({ mode: this.mode, secretName: this.secretName });
    }
}
