/**
 * The GitOps repository's rules, as plain arguments: a branch ruleset (pull requests only) and a push
 * ruleset on the deploy files, whose bypass actors are exactly the writers the pipeline mode names. The
 * deploy files' one bypass actor *is* the one writer of their `targetRevision` (config/pipeline.ts
 * PIPELINE_MODES): Kargo in prod-only and full, the release App in bump-only. GitHub then refuses a push
 * of a deploy file by anyone else, a pull request's merge included.
 */
import type * as github from "@pulumi/github";
import type { StackConfig } from "../config";
import { isReleaseOnGitopsBranch } from "../config/chartRelease";
import { selectGitopsRepo } from "../config/gitops";
import { selectTargetRevisionWriter, shouldInstallKargo } from "../config/pipeline";
import { buildBypassActors } from "./gitCredential";

type BypassActor = github.types.input.RepositoryRulesetBypassActor;

/** The release App as a bypass actor; config refuses a mode that needs it when it is not configured. */
function buildReleaseAppActor(cfg: StackConfig): BypassActor[] {
    const app = cfg.chartRelease.githubApp;
    if (!app) throw new Error("chartRelease.githubApp is required: the release pushes past a ruleset");
    return [{ actorType: "Integration", actorId: app.appId, bypassMode: "always" }];
}

/**
 * Whether the post-merge release pushes to the GitOps branch: when it commits Chart.yaml there (chart-yaml
 * on the same repository and branch), and always in bump-only, where its commit carries the deploy files.
 */
export function shouldReleasePushToGitopsBranch(cfg: StackConfig): boolean {
    return selectTargetRevisionWriter(cfg) === "chart-release" || isReleaseOnGitopsBranch(cfg);
}

/**
 * The bootstrap identity: the user of `github:token`, whom the stack commits new deploy files as (a chart
 * or stage added after the first bootstrap). Without it every later RepositoryFile create is refused by the
 * stack's own rulesets, and their managed bypass list cannot be widened by hand. `User` bypass actors are
 * what terraform-provider-github v6.13 accepts for repository rulesets (RepositoryRulesetBypassActor).
 * offline/resources/declaredInputs.ts refuses a deploy file a ruleset would block.
 */
export function buildBootstrapActor(cfg: StackConfig): BypassActor[] {
    const id = cfg.gitCredential.bootstrapUserId;
    return id === undefined ? [] : [{ actorType: "User", actorId: id, bypassMode: "always" }];
}

/**
 * The branch ruleset's bypass actors: Kargo when installed, plus the release App when the release pushes
 * to this very branch: without it GitHub refuses chart-release.yml's push of the `chore(release)` commit
 * (issue 9, defect 6). test/components/access/releaseIdentity.test.ts checks this list against the
 * workflow's token step.
 */
export function buildBranchBypassActors(cfg: StackConfig): BypassActor[] {
    return [
        ...(shouldInstallKargo(cfg) ? buildBypassActors(cfg) : []),
        ...(shouldReleasePushToGitopsBranch(cfg) ? buildReleaseAppActor(cfg) : []),
        ...buildBootstrapActor(cfg),
    ];
}

/** The deploy files' bypass actors: their one targetRevision writer, and the bootstrap identity. */
export function buildDeployFilesBypassActors(cfg: StackConfig): BypassActor[] {
    const writer =
        selectTargetRevisionWriter(cfg) === "kargo" ? buildBypassActors(cfg) : buildReleaseAppActor(cfg);
    return [...writer, ...buildBootstrapActor(cfg)];
}

/** The GitOps branch takes changes only through pull requests; the writers push directly. */
export function buildBranchRulesetArgs(cfg: StackConfig): github.RepositoryRulesetArgs {
    const by = selectTargetRevisionWriter(cfg) === "kargo" ? "Kargo promotes" : "chart-release pins";
    return {
        repository: selectGitopsRepo(cfg).repo,
        name: `${cfg.gitops.branch}: pull requests only (${by})`,
        target: "branch",
        enforcement: "active",
        conditions: { refName: { includes: ["refs/heads/" + cfg.gitops.branch], excludes: [] } },
        rules: {
            pullRequest: {
                requiredApprovingReviewCount: cfg.gitCredential.branchRuleset.requiredApprovals,
                dismissStaleReviewsOnPush: true,
            },
            deletion: true,
            nonFastForward: true,
        },
        bypassActors: buildBranchBypassActors(cfg),
    };
}

/**
 * Push ruleset (no `conditions`: push rulesets must not set refName): nobody but the targetRevision writer
 * may push a change to the deploy files, so no pull request can touch them (ADR 009 decision 2).
 */
export function buildDeployFilesRulesetArgs(cfg: StackConfig): github.RepositoryRulesetArgs {
    const writer = selectTargetRevisionWriter(cfg) === "kargo" ? "Kargo" : "chart-release";
    return {
        repository: selectGitopsRepo(cfg).repo,
        name: `${cfg.gitops.deployDir}/** written by ${writer} only`,
        target: "push",
        enforcement: "active",
        // fnmatch with FNM_PATHNAME: `*` stops at '/', `**` crosses directories.
        rules: { filePathRestriction: { restrictedFilePaths: [cfg.gitops.deployDir + "/**"] } },
        bypassActors: buildDeployFilesBypassActors(cfg),
    };
}
