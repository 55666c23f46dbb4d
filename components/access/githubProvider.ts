/**
 * The GitHub provider for the GitOps repository's owner. Explicit rather than the default provider so the
 * owner always matches `gitops.repoURL` (a mismatched `github:owner` would silently target another
 * account's repository of the same name).
 */
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { selectGitopsRepo } from "../config/gitops";

/**
 * `github:token` (set with `pulumi config set --secret github:token`) is passed on as the secret it is;
 * unset, the provider falls back to the GITHUB_TOKEN environment variable.
 */
export function declareGithubProvider(name: string, cfg: StackConfig): github.Provider {
    const token = new pulumi.Config("github").getSecret("token");
    return new github.Provider(name, { owner: selectGitopsRepo(cfg).owner, ...(token ? { token } : {}) });
}
