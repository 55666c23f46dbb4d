/**
 * The promotion pipeline as Kargo objects: Project, ProjectConfig, Warehouses, one PromotionTask per chart,
 * AnalysisTemplates and the Stages derived from the stage table. The Applications they promote are git's
 * (see ./gitopsApplications).
 * All decisions live in the pure builders beside it; this class only declares what they return.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { declareObject, type StackObject } from "../core/declare";
import { resourceName } from "../core/names";
import type { PreSteps } from "../core/stage";
import { buildProject, buildProjectConfig, buildProjectNamespace, buildWebhookSecretItem } from "./project";
import { buildPromotionTask } from "./promotionTask";
import { buildStage, buildStageTable } from "./stages";
import { buildAnalysisTemplates } from "./verification";
import { buildWarehouses } from "./warehouse";

/** The type token a Stage registers with: what waits for the app-of-apps (index.ts). */
export const STAGE_TYPE = "kubernetes:kargo.akuity.io/v1alpha1:Stage";

export interface PromotionPipelineArgs {
    /** The validated stack configuration. */
    readonly config: StackConfig;
    /** Kargo's Helm release: project objects are admitted by its webhooks, so they wait for it. */
    readonly kargo: pulumi.Resource;
    /** Steps the dev stage runs before its chart tasks (the dev data plane's refresh adds itself here). */
    readonly devStagePreSteps?: PreSteps;
}

/** Every object the pipeline declares, in the order they must be created. Pure, for tests and synth. */
export function buildPipelineObjects(cfg: StackConfig, devStagePreSteps?: PreSteps) {
    const rows = buildStageTable(cfg, devStagePreSteps);
    return {
        rows,
        namespace: buildProjectNamespace(cfg),
        project: buildProject(cfg),
        projectConfig: buildProjectConfig(cfg, rows),
        webhookSecret: buildWebhookSecretItem(cfg),
        warehouses: buildWarehouses(cfg),
        tasks: cfg.charts.map((chart) => buildPromotionTask(cfg, chart)),
        templates: rows.some((r) => r.verify) ? buildAnalysisTemplates(cfg) : [],
        stages: rows.map((row) => buildStage(cfg, row)),
    };
}

export class PromotionPipeline extends pulumi.ComponentResource {
    /** The project namespace; components that put Secrets there depend on it. */
    readonly projectNamespace: pulumi.Resource;
    readonly projectName: string;
    /** Stage names in promotion order. */
    readonly stageNames: string[];

    constructor(name: string, args: PromotionPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("release-pipeline:index:PromotionPipeline", name, {}, opts);
        const objs = buildPipelineObjects(args.config, args.devStagePreSteps);
        const declare = (obj: StackObject, dependsOn: pulumi.Resource[]) =>
            declareObject(`${name}-${resourceName(obj, { namespaced: false })}`, obj, {
                parent: this,
                dependsOn,
            });

        const ns = declare(objs.namespace, []);
        const project = declare(objs.project, [ns, args.kargo]);
        const inProject = [ns, project, args.kargo];
        declare(objs.projectConfig, inProject);
        if (objs.webhookSecret) declare(objs.webhookSecret, [ns]);
        const sources = [
            ...objs.warehouses.map((w) => declare(w, inProject)),
            ...objs.tasks.map((t) => declare(t, inProject)),
            ...objs.templates.map((t) => declare(t, [ns])),
        ];
        const stages = new Map<string, pulumi.Resource>();
        for (const [i, stage] of objs.stages.entries()) {
            // A downstream Stage names its upstream ones; create them first so the first reconcile is clean.
            const upstream = objs.rows[i].upstream
                .map((u) => stages.get(u))
                .filter((s): s is pulumi.Resource => !!s);
            stages.set(stage.metadata.name, declare(stage, [...inProject, ...sources, ...upstream]));
        }
        this.projectNamespace = ns;
        this.projectName = args.config.pipeline.project;
        this.stageNames = objs.rows.map((r) => r.name);
        this.registerOutputs({ project: this.projectName, stages: this.stageNames });
    }
}
