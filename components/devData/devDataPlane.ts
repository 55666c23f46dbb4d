/**
 * The dev stage's data plane (ADR 009 §3): a one-instance CloudNativePG clone of prod restored from a
 * cold volume snapshot, isolated from prod, refreshed on promotion or on a schedule. Every decision lives
 * in the pure builders beside it; this class only declares what they return, in order.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import type { Application } from "../core/generated";
import { shouldInstallKargo } from "../config/pipeline";
import { declareObject, type StackObject } from "../core/declare";
import { resourceName } from "../core/names";
import type { PreSteps, StageValues } from "../core/stage";
import { isClonePlanned } from "./names";
import { buildDevDataPlan } from "./plan";
import { buildDevStagePreSteps, buildSeedJobTimeouts } from "./refresher";
import { buildDevStageValues } from "./values";

export interface DevDataPlaneArgs {
    /** The validated stack configuration; `pipeline.devCharts` decides whether a clone exists at all. */
    readonly config: StackConfig;
    /** Kargo's Helm release: the refresh PromotionTask is admitted by its webhooks. */
    readonly kargo: pulumi.Resource;
    /** The Kargo project namespace the refresh PromotionTask lives in. */
    readonly projectNamespace: pulumi.Resource;
}

export class DevDataPlane extends pulumi.ComponentResource {
    /** Whether this stack provisions the clone (the dev stage runs `devData.prod.chart`). */
    readonly cloneProvisioned: boolean;
    /** `<namespace>/<name>` of the clone, or undefined without one. */
    readonly cloneName?: string;

    constructor(name: string, args: DevDataPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
        super("release-pipeline:index:DevDataPlane", name, {}, opts);
        const plan = buildDevDataPlan(args.config);
        const declare = (
            obj: StackObject,
            dependsOn: pulumi.Resource[],
            extra: pulumi.CustomResourceOptions = {},
        ) =>
            declareObject(`${name}-${resourceName(obj, { namespaced: true })}`, obj, {
                ...extra,
                parent: this,
                dependsOn,
            });

        this.cloneProvisioned = isClonePlanned(args.config);
        if (plan.namespace && plan.cluster && plan.seedJob) {
            const ns = declare(plan.namespace, []);
            const isolation = plan.isolation.map((o) => declare(o, [ns]));
            // Side by side: CloudNativePG holds the Cluster until the seed Job has bound its snapshot, and the
            // Job waits for the clone to be Ready to clear prod's verifiers. Pulumi awaits both (the Job with
            // its typed class, the Cluster through its pulumi.com/waitFor annotation), the Job for as long as
            // the outer clock of timing.ts (customTimeouts, recorded in resources.json and checked there).
            const seed = declare(plan.seedJob, [ns, ...isolation], {
                customTimeouts: buildSeedJobTimeouts(args.config),
            });
            const cluster = declare(plan.cluster, [ns, ...isolation]);
            for (const obj of plan.refresh) {
                const inProject = obj.kind === "PromotionTask" ? [args.kargo, args.projectNamespace] : [];
                // No refresh may start while the seed is still running.
                declare(obj, [ns, ...isolation, seed, cluster, ...inProject]);
            }
            this.cloneName = `${plan.cluster.metadata.namespace}/${plan.cluster.metadata.name}`;
        }
        this.registerOutputs({ cloneProvisioned: this.cloneProvisioned, cloneName: this.cloneName });
    }

    /** Whether a stack with `config` declares the data plane (the Kargo modes, with the cloned chart in dev). */
    static isDeclared(config: StackConfig): boolean {
        return shouldInstallKargo(config) && isClonePlanned(config);
    }

    /** The Argo CD Applications the data plane declares (the refresh hook's, with cadence on-promotion). */
    static listApplications(config: StackConfig): Application[] {
        if (!DevDataPlane.isDeclared(config)) return [];
        return buildDevDataPlan(config).refresh.filter((o): o is Application => o.kind === "Application");
    }

    /** Helm values for every dev-stage Application: PR_ENV=true, and the clone's coordinates. */
    static stageValues(config: StackConfig): StageValues {
        return buildDevStageValues(config);
    }

    /** Steps the dev Stage runs before its chart tasks: the clone's refresh, with cadence on-promotion. */
    static stagePreSteps(config: StackConfig): PreSteps {
        return buildDevStagePreSteps(config);
    }
}
