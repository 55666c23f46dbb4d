/**
 * Facts derived from the `gitops` and `gitCredential` sections that several capabilities need: the GitHub
 * repository the GitOps URL names, and the URL Kargo's git steps use (the promotion tasks clone it, the
 * git credential is looked up by it, the policy pack confines writes to it). Pure functions of the config.
 */
import type { StackConfig } from "./index";
import { parseGithubRepo } from "./accessChecks";

export interface GithubRepo {
    readonly owner: string;
    readonly repo: string;
}

export function selectGitopsRepo(cfg: StackConfig): GithubRepo {
    const repo = parseGithubRepo(cfg.gitops.repoURL);
    if (!repo)
        throw new Error(
            "gitops.repoURL is not a github.com repository (config validation should have said so)",
        );
    return repo;
}

/** A deploy key only authenticates SSH, so its credential must carry the SSH form of the repository URL. */
export function toSshUrl(repo: GithubRepo): string {
    return "ssh://git@github.com/" + repo.owner + "/" + repo.repo + ".git";
}

/**
 * The URL Kargo's git steps must use for the credential to match: Kargo looks credentials up by the URL it
 * is about to use, and a deploy key only works over SSH. The promotion task clones `gitops.repoURL` (HTTPS)
 * today, so deploy-key mode also needs its git-clone/git-push `repoURL` taken from here (see docs/access.md, deploy-key mode).
 */
export function selectKargoGitUrl(cfg: StackConfig): string {
    return cfg.gitCredential.mode === "deploy-key" ? toSshUrl(selectGitopsRepo(cfg)) : cfg.gitops.repoURL;
}
