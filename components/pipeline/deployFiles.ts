/**
 * The deploy files: `<deployDir>/<stage>/<chart>.yaml` in the GitOps repository, each holding the chart's
 * Argo CD Application for that stage. Git is their only owner: the stack creates each file once (Kargo's
 * yaml-update fails on a missing file or key), never overwrites it, and from then on only promotions (and
 * reviewed pull requests) change it.
 */
import type * as github from "@pulumi/github";
import { stringify as stringifyYaml } from "yaml";
import type { StackConfig } from "../config";
import type { ChartConfig } from "../config/pipeline";
import { selectGitopsRepo } from "../config/gitops";
import type { Application } from "../core/generated";
import type { StageValues } from "../core/stage";
import { buildApplication } from "./applications";
import { deployFile, rootApplicationName } from "./names";
import type { StageRow } from "./stages";

export interface DeployFile {
    readonly stage: string;
    readonly chart: ChartConfig;
    /** Relative to the GitOps repository root. */
    readonly path: string;
    /** The Application the file holds. */
    readonly application: Application;
    /** The file as first committed: a header comment and the Application as YAML. */
    readonly content: string;
}

/** The file's text: what it is and who changes it, then the Application. */
export function renderDeployFile(stage: string, application: Application): string {
    const header = [
        `# Argo CD Application ${application.metadata.name}, synced by the app-of-apps ${rootApplicationName(stage)}.`,
        "# Git owns it: bootstrapped once by the release-pipeline stack, which never overwrites it.",
        // Mode-neutral, so a pipeline.mode switch never changes a file (its one writer is the mode's).
        "# spec.source.targetRevision is written only by the pipeline (release-pipeline:pipeline mode: Kargo's",
        "# promotions, or chart-release's release commit in bump-only); change anything else by pull request.",
    ];
    return header.join("\n") + "\n" + stringifyYaml(application, { lineWidth: 0 });
}

/** One file per chart each stage deploys. */
export function buildDeployFiles(
    cfg: StackConfig,
    rows: readonly Pick<StageRow, "name" | "charts">[],
    values?: StageValues,
): DeployFile[] {
    return rows.flatMap((row) =>
        row.charts.map((chart) => {
            const application = buildApplication(cfg, row.name, chart, values ? values(row.name, chart) : {});
            return {
                stage: row.name,
                chart,
                path: deployFile(cfg.gitops.deployDir, row.name, chart),
                application,
                content: renderDeployFile(row.name, application),
            };
        }),
    );
}

/**
 * Created once: `overwriteOnCreate: false` refuses to replace a file that already exists (an existing
 * GitOps repo keeps its own), and the component ignores later changes to `content`.
 */
export function buildDeployFileArgs(cfg: StackConfig, file: DeployFile): github.RepositoryFileArgs {
    return {
        repository: selectGitopsRepo(cfg).repo,
        branch: cfg.gitops.branch,
        file: file.path,
        content: file.content,
        commitMessage: `chore(deploy): bootstrap ${file.path} [skip ci]`,
        overwriteOnCreate: false,
    };
}
