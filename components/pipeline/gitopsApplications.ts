/**
 * The Applications, one owner per object: the deploy files (each a chart's Application, owned by git once
 * bootstrapped), one app-of-apps per stage syncing them, and the Argo CD repository Secrets enabling OCI
 * for the Helm-type sources. Independent of the Kargo objects, so its resources keep their names whatever
 * moves the deploy files. Decisions live in ./applications and ./deployFiles.
 */
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { declareObject } from "../core/declare";
import { resourceName } from "../core/names";
import type { Application } from "../core/generated";
import type { StageValues } from "../core/stage";
import { buildHelmRepositorySecrets, buildRootApplication } from "./applications";
import { buildDeployFileArgs, buildDeployFiles } from "./deployFiles";
import { buildStageTable } from "./stages";

export interface GitopsApplicationsArgs {
    /** The validated stack configuration (`gitops`, `argocd`, `charts`, `pipeline`). */
    readonly config: StackConfig;
    /** Extra Helm values per stage and chart, written into the deploy files (the dev data plane's PR_ENV). */
    readonly stageValues?: StageValues;
    /** Provider for the GitOps repository's owner: the deploy files are committed with it. */
    readonly githubProvider: pulumi.ProviderResource;
}

/** Every object and file this component declares, for tests and the synth. Pure. */
export function buildGitopsObjects(cfg: StackConfig, stageValues?: StageValues) {
    const rows = buildStageTable(cfg);
    return {
        repositorySecrets: buildHelmRepositorySecrets(cfg),
        deployFiles: buildDeployFiles(cfg, rows, stageValues),
        rootApplications: rows.map((row) => buildRootApplication(cfg, row.name)),
    };
}

/** Every Argo CD Application the GitOps objects create: the app-of-apps, and each deploy file's. */
export function listGitopsApplications(cfg: StackConfig, stageValues?: StageValues): Application[] {
    const objs = buildGitopsObjects(cfg, stageValues);
    return [...objs.rootApplications, ...objs.deployFiles.map((f) => f.application)];
}

export class GitopsApplications extends pulumi.ComponentResource {
    /** Paths of the deploy files, relative to the GitOps repository root. */
    readonly deployFiles: string[];
    /** The app-of-apps Applications, one per stage. */
    readonly rootApplications: string[];
    /** The app-of-apps as declared: the Stages wait for them (their argocd-update targets their children). */
    readonly rootApplicationResources: pulumi.Resource[];

    constructor(name: string, args: GitopsApplicationsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("release-pipeline:index:GitopsApplications", name, {}, opts);
        const objs = buildGitopsObjects(args.config, args.stageValues);
        const declare = (obj: Parameters<typeof declareObject>[1], dependsOn: pulumi.Resource[]) =>
            declareObject(`${name}-${resourceName(obj, { namespaced: false })}`, obj, {
                parent: this,
                dependsOn,
            });
        const secrets = objs.repositorySecrets.map((s) => declare(s, []));
        const files = objs.deployFiles.map(
            (file) =>
                new github.RepositoryFile(
                    `${name}-file-${file.stage}-${file.chart.name}`,
                    buildDeployFileArgs(args.config, file),
                    {
                        parent: this,
                        provider: args.githubProvider,
                        // Bootstrapped once; from then on git (Kargo's promotions, reviewed PRs) owns the content.
                        ignoreChanges: ["content"],
                    },
                ),
        );
        // A root app syncs files that must exist, from a registry Argo CD can read.
        this.rootApplicationResources = objs.rootApplications.map((app) =>
            declare(app, [...secrets, ...files]),
        );
        this.deployFiles = objs.deployFiles.map((f) => f.path);
        this.rootApplications = objs.rootApplications.map((a) => a.metadata.name);
        this.registerOutputs({ deployFiles: this.deployFiles, rootApplications: this.rootApplications });
    }
}
