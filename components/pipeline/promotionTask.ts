/**
 * The promotion steps, written once per chart as a PromotionTask and reused by every stage: clone the GitOps
 * repo over HTTPS, write the stage's targetRevision into its deploy file (the Application itself), commit,
 * push, and have Argo CD sync that version. Stage-specific values come from `ctx.stage` and the task var
 * `app`, never from per-stage copies.
 */
import type { StackConfig } from "../config";
import type { ChartConfig } from "../config/pipeline";
import { selectKargoGitUrl } from "../config/gitops";
import { selectOciChartRef } from "../core/ociChart";
import { chartVersionExpression, promotionTaskName } from "./names";
import { warehouseName } from "./warehouse";
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

/**
 * With one Warehouse per chart, a Promotion carries one chart's Freight: only that chart's task may act.
 * The others would rewrite an unchanged version at best, and at worst fail on a chart the stage has never
 * received (chartFrom() is nil until its first Freight arrives, and `.Version` of nil errors). The
 * condition sits on the task's own steps: Kargo's Stage webhook refuses `if` on a step that calls a task
 * (pkg/webhook/kubernetes/stage/webhook.go, validatePromotionStepTaskRefs) and inflateTaskSteps
 * (pkg/api/promotion.go) would drop it. An explicit `if` replaces the default skip-after-failure
 * (pkg/promotion/evaluator.go, ShouldSkip), so it keeps `success()`. A shared Warehouse's Freight holds
 * every chart, so every task runs unconditioned.
 */
export function buildOriginCondition(cfg: StackConfig, chart: ChartConfig): { if?: string } {
    if (cfg.pipeline.warehouseLayout === "shared") return {};
    return {
        if:
            "${{ success() && ctx.targetFreight.origin.name == " +
            JSON.stringify(warehouseName(cfg, chart)) +
            " }}",
    };
}

/**
 * The `argocd-update` source: Kargo applies it only to the Application source whose repoURL and chart are
 * exactly these (`applyArgoCDSourceUpdate`), so it is the Helm-type spelling of the chart, not the
 * Warehouse's `oci://` one.
 */
export function buildArgoCDSourceUpdate(chart: ChartConfig): Record<string, unknown> {
    const ref = selectOciChartRef(chart.repoURL);
    return {
        repoURL: ref.helmRepoURL,
        chart: ref.chart,
        // A Helm source's sync revision is the chart version itself, so this comparison converges.
        desiredRevision: chartVersionExpression(chart),
        // Git owns the Application (its deploy file, just pushed); Kargo moves the live revision to the same
        // version at once rather than waiting for the app-of-apps to notice the commit.
        updateTargetRevision: true,
    };
}

/** One step of a PromotionTask, as the pinned CRD defines it. */
export type PromotionTaskStep = PromotionTaskSpec["steps"][number];

export function buildPromotionSteps(cfg: StackConfig, chart: ChartConfig): PromotionTaskStep[] {
    const version = chartVersionExpression(chart);
    const path = checkoutPath(chart);
    const condition = buildOriginCondition(cfg, chart);
    const steps: PromotionTaskStep[] = [
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
                        sources: [buildArgoCDSourceUpdate(chart)],
                    },
                ],
            },
        },
    ];
    return steps.map((step) => ({ ...step, ...condition }));
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
