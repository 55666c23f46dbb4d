/**
 * Reads the platform prerequisites (./prerequisites.ts) and makes their dependents wait on them: every
 * OnePasswordItem on the 1Password operator's CRD, every object of the dev data plane on CloudNativePG, the
 * snapshot API and a prod Cluster that passes {@link checkProdCluster} (whose VolumeSnapshotClass is read
 * too). A failed read or check fails `pulumi preview` before anything is created.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import type { Application } from "../core/generated";
import { ARGO_API, CNPG_API } from "../core/objects";
import { checkAppProject, listProjectNeeds, type AppProjectView } from "./appProject";
import {
    buildPlatformPrerequisites,
    checkProdCluster,
    ONEPASSWORD_ITEM_TYPE,
    type PlatformRead,
    type ProdClusterView,
} from "./prerequisites";

export interface PlatformPrerequisitesArgs {
    /** The validated stack configuration: the mode and the registry credential decide the 1Password read. */
    readonly config: StackConfig;
    /** Whether the dev data plane (the clone) is declared: then CloudNativePG, snapshots and prod's Cluster are read. */
    readonly dataPlane: boolean;
    /** Every Argo CD Application the stack creates (declared or in deploy files): what `argocd.project` must permit. */
    readonly applications: readonly Application[];
}

type Dependency = pulumi.Input<pulumi.Resource>;

const APPLICATION_TYPE = "kubernetes:argoproj.io/v1alpha1:Application";

/** `opts.dependsOn` with `extra` added, whatever shape the caller gave it. */
export function addDependencies(
    dependsOn: pulumi.CustomResourceOptions["dependsOn"],
    extra: readonly Dependency[],
): pulumi.CustomResourceOptions["dependsOn"] {
    if (extra.length === 0) return dependsOn;
    if (dependsOn === undefined) return [...extra];
    if (Array.isArray(dependsOn)) return [...(dependsOn as Dependency[]), ...extra];
    return pulumi
        .output(dependsOn as pulumi.Input<pulumi.Resource | pulumi.Resource[]>)
        .apply((d) => [...(Array.isArray(d) ? d : [d]), ...extra]) as pulumi.Output<pulumi.Resource[]>;
}

/** A transformation adding `extra` to the dependencies of every declared (not read) child `applies` picks. */
export function requireFirst(
    extra: readonly Dependency[],
    applies: (type: string) => boolean,
): pulumi.ResourceTransformation {
    return ({ type, props, opts }) => {
        if (extra.length === 0 || !applies(type) || opts.id !== undefined) return undefined;
        return { props, opts: { ...opts, dependsOn: addDependencies(opts.dependsOn, extra) } };
    };
}

export class PlatformPrerequisites extends pulumi.ComponentResource {
    /** What every OnePasswordItem waits for. */
    readonly onepassword: readonly Dependency[];
    /** What every object of the dev data plane waits for; the checked prod Cluster among them. */
    readonly devData: readonly Dependency[];
    /** What every Application waits for: `argocd.project`, checked against what the Applications need. */
    readonly argocdProject: readonly Dependency[];

    constructor(name: string, args: PlatformPrerequisitesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("release-pipeline:index:PlatformPrerequisites", name, {}, opts);
        const cfg = args.config;
        const plan = buildPlatformPrerequisites(cfg, args.dataPlane);
        const read = (p: PlatformRead): Dependency => {
            const id = p.namespace ? `${p.namespace}/${p.name}` : p.name;
            const child = { parent: this };
            if (p.kind === "CustomResourceDefinition") {
                return k8s.apiextensions.v1.CustomResourceDefinition.get(`${name}-crd-${p.name}`, id, child);
            }
            // CustomResource.get exposes no `spec`; the constructor with an id is the same read, with one.
            const cluster = new k8s.apiextensions.CustomResource(
                `${name}-cluster-${p.name}`,
                { apiVersion: CNPG_API, kind: "Cluster", spec: undefined },
                { ...child, id },
            );
            // Resolves to the Cluster only when it passes; a dependent of a rejected Output fails to register.
            const checked = (cluster as unknown as Record<string, pulumi.Output<unknown>>)["spec"].apply(
                (spec) => {
                    const problem = checkProdCluster({ spec } as ProdClusterView, cfg);
                    if (problem) throw new Error(problem);
                    return (spec as { backup: { volumeSnapshot: { className: string } } }).backup
                        .volumeSnapshot.className;
                },
            );
            const snapshotClass = k8s.apiextensions.CustomResource.get(`${name}-volumesnapshotclass`, {
                apiVersion: "snapshot.storage.k8s.io/v1",
                kind: "VolumeSnapshotClass",
                id: checked,
                ...child,
            });
            return checked.apply(() => snapshotClass);
        };
        this.onepassword = plan.onepassword.map(read);
        this.devData = plan.devData.map(read);
        this.argocdProject = args.applications.length > 0 ? [this.readAppProject(name, args)] : [];
        this.registerOutputs({});
    }

    /** The AppProject, resolved only when it permits every Application's sources and destination. */
    private readAppProject(name: string, args: PlatformPrerequisitesArgs): Dependency {
        const { namespace, project } = args.config.argocd;
        const read = new k8s.apiextensions.CustomResource(
            `${name}-appproject-${project}`,
            { apiVersion: ARGO_API, kind: "AppProject", spec: undefined },
            { parent: this, id: `${namespace}/${project}` },
        );
        const needs = listProjectNeeds(args.applications, project);
        const where = `AppProject ${namespace}/${project} (argocd.project)`;
        return (read as unknown as Record<string, pulumi.Output<unknown>>)["spec"].apply((spec) => {
            const problem = checkAppProject({ spec } as AppProjectView, needs, where);
            if (problem) throw new Error(problem);
            return read;
        });
    }

    /** For the components' options: every Application they declare waits for a permitting AppProject. */
    requireArgoProject(): pulumi.ResourceTransformation {
        return requireFirst(this.argocdProject, (type) => type === APPLICATION_TYPE);
    }

    /** For the components' options: every OnePasswordItem they declare waits for the operator's CRD. */
    requireOnePasswordOperator(): pulumi.ResourceTransformation {
        return requireFirst(this.onepassword, (type) => type === ONEPASSWORD_ITEM_TYPE);
    }

    /** For the dev data plane's options: all its objects wait for CloudNativePG, snapshots and prod's Cluster. */
    requireDataPrerequisites(): pulumi.ResourceTransformation {
        return requireFirst(this.devData, () => true);
    }
}
