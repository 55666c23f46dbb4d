/**
 * Config section `chartRelease`: who pushes the post-merge release commit (`chore(release): …` and its tag,
 * `.github/workflows/chart-release.yml`) and where. With `pipeline.versionSource: chart-yaml` the release
 * commits Chart.yaml to `branch`; when that branch is the GitOps branch, the stack's own branch ruleset
 * (pull requests only) would refuse the push unless the pusher is a bypass actor (issue 9, defect 6). The
 * release therefore pushes as a dedicated GitHub App, named here and added to the ruleset's bypass list.
 */
import { z } from "zod";
import { httpsGitUrl } from "./common";
import { parseGithubRepo } from "./accessChecks";
import type { IssueSink } from "./checks/format";
import { selectTargetRevisionWriter, type PipelineMode } from "./pipeline";

/** GitHub Actions variable and secret names: letters, digits and '_', not starting with GITHUB_. */
const actionsName = z
    .string()
    .regex(
        /^(?!GITHUB_)[A-Z_][A-Z0-9_]*$/,
        "expected an upper-case GitHub Actions variable or secret name such as CHART_RELEASE_APP_CLIENT_ID",
    );

export const chartReleaseSection = z
    .strictObject({
        repoURL: httpsGitUrl
            .optional()
            .describe(
                "Repository whose charts the reusable chart-release.yml releases (the application repository calling it); unset: the GitOps repository.",
            ),
        branch: z
            .string()
            .min(1)
            .prefault("main")
            .describe(
                "Branch the release commits Chart.yaml to (chart-release.yml's `branch` input, default `main`).",
            ),
        githubApp: z
            .strictObject({
                appId: z
                    .number()
                    .int()
                    .positive()
                    .describe("The App's numeric id: the ruleset's bypass actor. Not a secret."),
                clientIdVariable: actionsName
                    .prefault("CHART_RELEASE_APP_CLIENT_ID")
                    .describe(
                        "Variable of the repository calling chart-release.yml that holds the App's client ID (`vars.<name>`, passed as `release-app-client-id`; docs/ci.md).",
                    ),
                privateKeySecret: actionsName
                    .prefault("CHART_RELEASE_APP_PRIVATE_KEY")
                    .describe(
                        "Secret of the repository calling chart-release.yml that holds the App's private key (`secrets.<name>`, passed as `RELEASE_APP_PRIVATE_KEY`).",
                    ),
            })
            .optional()
            .describe(
                "The GitHub App the release pushes as; required when the release commits to the guarded GitOps branch (versionSource chart-yaml there, or pipeline.mode bump-only with a ruleset on).",
            ),
    })
    .prefault({})
    .describe(
        "Who pushes the post-merge release commit (`chore(release): …` and its tag, `.github/workflows/chart-release.yml`) and where; see docs/access.md.",
    );

export type ChartReleaseConfig = z.infer<typeof chartReleaseSection>;

/** The sections the release-identity rules read. */
export interface ReleaseIdentityInput {
    readonly chartRelease: ChartReleaseConfig;
    readonly pipeline: { readonly versionSource: string; readonly mode: PipelineMode };
    readonly gitops: { readonly repoURL: string; readonly branch: string };
    readonly gitCredential: {
        readonly branchRuleset: { readonly enabled: boolean };
        readonly deployFilesRuleset: { readonly enabled: boolean };
    };
}

/** Same GitHub repository, whatever the spelling (case, `.git`, trailing slash). */
function isSameRepo(a: string, b: string): boolean {
    const [x, y] = [parseGithubRepo(a), parseGithubRepo(b)];
    return (
        !!x &&
        !!y &&
        x.owner.toLowerCase() === y.owner.toLowerCase() &&
        x.repo.toLowerCase() === y.repo.toLowerCase()
    );
}

/**
 * True when the release pushes a commit to the branch the stack's branch ruleset guards: the version is
 * committed (chart-yaml), to the GitOps repository, on the GitOps branch, and the ruleset is on.
 */
export function isReleaseOnGitopsBranch(cfg: ReleaseIdentityInput): boolean {
    return (
        cfg.pipeline.versionSource === "chart-yaml" &&
        cfg.gitCredential.branchRuleset.enabled &&
        isSameRepo(cfg.chartRelease.repoURL ?? cfg.gitops.repoURL, cfg.gitops.repoURL) &&
        cfg.chartRelease.branch === cfg.gitops.branch
    );
}

export function checkChartRelease(cfg: ReleaseIdentityInput, sink: IssueSink): void {
    if (isReleaseOnGitopsBranch(cfg) && !cfg.chartRelease.githubApp) {
        sink.addIssue({
            code: "custom",
            input: cfg.pipeline.versionSource,
            path: ["pipeline", "versionSource"],
            message:
                `commits the release to ${cfg.gitops.branch} of the GitOps repository, whose branch ruleset lets only ` +
                "bypass actors push; needs chartRelease.githubApp: { appId } (the App chart-release.yml pushes as, " +
                "added to the ruleset's bypass list); allowed otherwise: versionSource oci-tag",
        });
    }
    if (selectTargetRevisionWriter(cfg) === "chart-release") checkReleaseWritesDeployFiles(cfg, sink);
}

/**
 * bump-only: chart-release writes the deploy files' targetRevision in its own release commit, so that
 * commit must land where the deploy files live (the GitOps repository, on gitops.branch), and every
 * ruleset guarding them must let the release App through (it becomes their one bypass actor).
 */
function checkReleaseWritesDeployFiles(cfg: ReleaseIdentityInput, sink: IssueSink): void {
    const release = cfg.chartRelease;
    const where = (key: "repoURL" | "branch", value: string, expected: string) =>
        sink.addIssue({
            code: "custom",
            input: value,
            path: ["chartRelease", key],
            message:
                `is ${value}, but in pipeline.mode bump-only the release commit writes the deploy files, which ` +
                `live in gitops.${key} ${expected}; allowed: ${expected} (or a Kargo mode, prod-only or full)`,
        });
    if (release.repoURL !== undefined && !isSameRepo(release.repoURL, cfg.gitops.repoURL)) {
        where("repoURL", release.repoURL, cfg.gitops.repoURL);
    }
    if (release.branch !== cfg.gitops.branch) where("branch", release.branch, cfg.gitops.branch);
    const guarded = [
        cfg.gitCredential.branchRuleset.enabled ? "gitCredential.branchRuleset" : undefined,
        cfg.gitCredential.deployFilesRuleset.enabled ? "gitCredential.deployFilesRuleset" : undefined,
    ].filter((k): k is string => k !== undefined);
    // The chart-yaml case already has its own issue above, on pipeline.versionSource.
    if (guarded.length > 0 && !release.githubApp && !isReleaseOnGitopsBranch(cfg)) {
        sink.addIssue({
            code: "custom",
            input: cfg.pipeline.mode,
            path: ["pipeline", "mode"],
            message:
                `bump-only makes chart-release the deploy files' one writer, and ${guarded.join(" and ")} let only ` +
                "bypass actors push; needs chartRelease.githubApp: { appId } (the App chart-release.yml pushes as); " +
                "allowed otherwise: prod-only or full (Kargo writes)",
        });
    }
}
