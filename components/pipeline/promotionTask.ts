/**
 * The promotion steps, written once per chart as a PromotionTask and reused by every stage: clone the GitOps
 * repo over HTTPS, write the stage's targetRevision, commit, push, and have Argo CD sync that version.
 * Stage-specific values come from `ctx.stage` and the task var `app`, never from per-stage copies.
 */
import type { StackConfig } from "../config";
import type { ChartConfig } from "../config/pipeline";
import { selectKargoGitUrl } from "../config/gitops";
import { chartVersionExpression, promotionTaskName } from "./names";
import type { PromotionTask, PromotionTaskSpec } from "../core/generated";
import { KARGO_API, MANAGED_BY } from "../core/objects";

/**
 * Where a chart's clone lives inside the promotion's workspace. A stage runs one task per chart in the same
 * workspace, and git-clone refuses a path that already exists, so each chart gets its own directory.
 */
export function checkoutPath(chart: Pick<ChartConfig, "name">): string {
    return "./repo-" + chart.name;
}

/** The key Kargo rewrites in a deploy file: the Application's single source. */
export const TARGET_REVISION_KEY = "spec.source.targetRevision";

/** Path of the stage's deploy file as the yaml-update step sees it. */
export function buildDeployFileExpression(cfg: StackConfig, chart: ChartConfig): string {
    return checkoutPath(chart) + "/" + cfg.gitops.deployDir + "/${{ ctx.stage }}/" + chart.name + ".yaml";
}

/** One step of a PromotionTask, as the pinned CRD defines it. */
export type PromotionTaskStep = PromotionTaskSpec["steps"][number];

export function buildPromotionSteps(cfg: StackConfig, chart: ChartConfig): PromotionTaskStep[] {
    const version = chartVersionExpression(chart);
    const path = checkoutPath(chart);
    return [
        {
            uses: "git-clone",
            config: {
                // HTTPS in GitHub App mode; the SSH form only in the deprecated deploy-key opt-in, because
                // Kargo picks the credential by the URL it clones.
                repoURL: selectKargoGitUrl(cfg),
                checkout: [{ branch: cfg.gitops.branch, path }],
                author: { name: cfg.gitops.authorName, email: cfg.gitops.authorEmail },
            },
        },
        {
            uses: "yaml-update",
            as: "update",
            config: {
                path: buildDeployFileExpression(cfg, chart),
                updates: [{ key: TARGET_REVISION_KEY, value: version }],
            },
        },
        {
            uses: "git-commit",
            as: "commit",
            config: {
                path,
                message:
                    "chore(deploy): promote " +
                    chart.name +
                    " to " +
                    version +
                    " in ${{ ctx.stage }} [skip ci]",
            },
        },
        {
            uses: "git-push",
            config: { path, targetBranch: cfg.gitops.branch },
        },
        {
            uses: "argocd-update",
            config: {
                apps: [
                    {
                        name: "${{ vars.app }}",
                        namespace: cfg.argocd.namespace,
                        sources: [
                            {
                                repoURL: chart.repoURL,
                                desiredRevision: version,
                                // The stack owns the Application object; Kargo moves its live revision to
                                // what it just committed, and Pulumi ignores that field from then on.
                                updateTargetRevision: true,
                            },
                        ],
                    },
                ],
            },
        },
    ];
}

export function buildPromotionTask(cfg: StackConfig, chart: ChartConfig): PromotionTask {
    return {
        apiVersion: KARGO_API,
        kind: "PromotionTask",
        metadata: {
            name: promotionTaskName(chart),
            namespace: cfg.pipeline.project,
            labels: { ...MANAGED_BY },
        },
        spec: {
            vars: [{ name: "app" }],
            steps: buildPromotionSteps(cfg, chart),
        },
    };
}
