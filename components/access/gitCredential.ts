/**
 * Kargo's git write credential, as plain arguments:
 * - the OnePasswordItem whose Secret (labelled `kargo.akuity.io/cred-type: git`) Kargo finds by `repoURL`;
 * - the GitHub App installation restricted to the GitOps repository;
 * - Kargo's identity as a ruleset bypass actor (the rules themselves: ./repoRules);
 * - for the opt-in deploy-key mode, the deploy key and the 1Password item holding its private half.
 */
import type * as onepassword from "@1password/pulumi-onepassword";
import type * as github from "@pulumi/github";
import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import type { WithCredentialMode } from "../config/gitCredential";
import { selectGitopsRepo, selectKargoGitUrl } from "../config/gitops";
import type { WithInputSpec } from "../core/declare";
import type { OnePasswordItem } from "../core/generated";
import { MANAGED_BY, ONEPASSWORD_API } from "../core/objects";

/** The label Kargo selects repository credentials by; the operator copies it from the item to the Secret. */
export const KARGO_CRED_TYPE_LABEL = "kargo.akuity.io/cred-type";

/** Secret keys Kargo reads (and so the 1Password field labels), per mode. */
export const GITHUB_APP_FIELDS = [
    "repoURL",
    "githubAppID",
    "githubAppPrivateKey",
    "githubAppInstallationID",
] as const;
export const DEPLOY_KEY_FIELDS = ["repoURL", "sshPrivateKey"] as const;

/**
 * The OnePasswordItem in the project namespace. Its name becomes the Secret's name and its labels the
 * Secret's labels (the operator replaces the Secret's labels with the item's on every sync), so the Kargo
 * label goes here and nowhere else.
 */
export function buildGitCredentialItem(
    cfg: StackConfig,
    itemPath: pulumi.Input<string>,
): WithInputSpec<OnePasswordItem> {
    return {
        apiVersion: ONEPASSWORD_API,
        kind: "OnePasswordItem",
        metadata: {
            name: cfg.gitCredential.secretName,
            namespace: cfg.pipeline.project,
            labels: { ...MANAGED_BY, [KARGO_CRED_TYPE_LABEL]: "git" },
        },
        spec: { itemPath },
    };
}

/** github-app mode reads the item a person created; deploy-key mode the item this stack writes. */
export function selectGithubAppItemPath(cfg: WithCredentialMode<StackConfig, "github-app">): string {
    return cfg.gitCredential.githubApp.itemPath;
}

/**
 * The installation's repository list, managed as a whole: exactly the GitOps repository, so the App's
 * token can write nowhere else even though its permissions (contents: write) are repository-agnostic.
 */
export function buildInstallationRepositoriesArgs(
    cfg: WithCredentialMode<StackConfig, "github-app">,
): github.AppInstallationRepositoriesArgs {
    const app = cfg.gitCredential.githubApp;
    return { installationId: String(app.installationId), selectedRepositories: [selectGitopsRepo(cfg).repo] };
}

/**
 * Who may skip the rules: the Kargo App (by App id), or in deploy-key mode the repository's deploy keys
 * (GitHub has no per-key actor: every deploy key of the repository bypasses, so keep it the only one).
 */
export function buildBypassActors(cfg: StackConfig): github.types.input.RepositoryRulesetBypassActor[] {
    const credential = cfg.gitCredential;
    if (credential.mode === "deploy-key") return [{ actorType: "DeployKey", bypassMode: "always" }];
    return [{ actorType: "Integration", actorId: credential.githubApp.appId, bypassMode: "always" }];
}

/** Deploy keys are read-only unless told otherwise; Kargo pushes, so this one is not. */
export function buildDeployKeyArgs(
    cfg: WithCredentialMode<StackConfig, "deploy-key">,
    publicKey: pulumi.Input<string>,
): github.RepositoryDeployKeyArgs {
    const deployKey = cfg.gitCredential.deployKey;
    return {
        repository: selectGitopsRepo(cfg).repo,
        title: deployKey.title,
        key: publicKey,
        readOnly: false,
    };
}

/**
 * The 1Password item the operator turns into Kargo's Secret: custom fields labelled exactly as the Secret
 * keys Kargo reads. A secure note (not a login) so no empty username/password fields are created.
 */
export function buildDeployKeyItemArgs(
    cfg: WithCredentialMode<StackConfig, "deploy-key">,
    privateKey: pulumi.Input<string>,
): onepassword.ItemArgs {
    const deployKey = cfg.gitCredential.deployKey;
    return {
        vault: deployKey.vaultUuid,
        title: deployKey.itemTitle,
        category: "secureNote",
        tags: ["kargo", "release-pipeline"],
        sections: [
            {
                label: "kargo",
                fields: [
                    { label: "repoURL", type: "STRING", value: selectKargoGitUrl(cfg) },
                    { label: "sshPrivateKey", type: "CONCEALED", value: privateKey },
                ],
            },
        ],
    };
}
