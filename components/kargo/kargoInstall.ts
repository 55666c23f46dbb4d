/**
 * Kargo, installed from its upstream OCI chart at an exact version, with the admin credentials from
 * 1Password, requests and limits on every component, and its prerequisites (and their versions) checked
 * before it starts. Decisions live in ./values (Helm values) and ./prerequisites (what is read and checked).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KargoConfig } from "../config/kargo";
import { declareObject } from "../core/declare";
import type { Namespace } from "../core/builtins";
import type { OnePasswordItem } from "../core/generated";
import { describeObject, MANAGED_BY, ONEPASSWORD_API } from "../core/objects";
import {
    buildPrerequisites,
    checkVersionFloor,
    readWorkloadVersion,
    type Prerequisite,
    type WorkloadView,
} from "./prerequisites";
import { buildKargoValues, KARGO_ADMIN_SECRET } from "./values";

export { buildPrerequisites, type Prerequisite } from "./prerequisites";
export { buildIngressValues, buildKargoValues, KARGO_ADMIN_SECRET } from "./values";

export const KARGO_CHART = "oci://ghcr.io/akuity/kargo-charts/kargo";

export interface KargoInstallArgs {
    /** Validated `kargo` config section. */
    readonly config: KargoConfig;
    /** Argo CD namespace the controller watches for Applications. */
    readonly argocdNamespace: string;
}

/** The admin Secret, from 1Password: the item's fields must be named exactly as the chart's keys. */
export function buildAdminSecretItem(cfg: KargoConfig): OnePasswordItem {
    return {
        apiVersion: ONEPASSWORD_API,
        kind: "OnePasswordItem",
        metadata: { name: KARGO_ADMIN_SECRET, namespace: cfg.namespace, labels: { ...MANAGED_BY } },
        spec: { itemPath: cfg.adminItemPath },
    };
}

export function buildKargoNamespace(cfg: KargoConfig): Namespace {
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: cfg.namespace, labels: { ...MANAGED_BY } },
    };
}

function readPrerequisite(p: Prerequisite, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    const id = p.namespace ? `${p.namespace}/${p.name}` : p.name;
    const name = `prerequisite-${p.kind.toLowerCase()}-${p.name}`;
    switch (p.kind) {
        case "CustomResourceDefinition":
            return k8s.apiextensions.v1.CustomResourceDefinition.get(name, id, opts);
        case "Deployment":
            return k8s.apps.v1.Deployment.get(name, id, opts);
        case "StatefulSet":
            return k8s.apps.v1.StatefulSet.get(name, id, opts);
        case "ClusterIssuer":
            return k8s.apiextensions.CustomResource.get(name, {
                apiVersion: "cert-manager.io/v1",
                kind: "ClusterIssuer",
                id,
                ...opts,
            });
    }
}

/**
 * The version read from a prerequisite, resolved only when it reaches its floor: the Helm release's values
 * wait on it, so a too-old (or unreadable) version fails `pulumi preview` with the check's message.
 */
function checkPrerequisiteVersion(p: Prerequisite, read: pulumi.CustomResource): pulumi.Output<string> {
    const floor = p.floor;
    if (!floor) return pulumi.output("");
    const workload = read as unknown as { metadata: pulumi.Output<unknown>; spec: pulumi.Output<unknown> };
    const where = describeObject({ kind: p.kind, metadata: { name: p.name, namespace: p.namespace } });
    return pulumi.all([workload.metadata, workload.spec]).apply(([metadata, spec]) => {
        const found = readWorkloadVersion({ metadata, spec } as WorkloadView, floor.container);
        const problem = checkVersionFloor(found, floor, where);
        if (problem) throw new Error(problem);
        return found?.version ?? "";
    });
}

export class KargoInstall extends pulumi.ComponentResource {
    /** The Helm release; Kargo's custom resources must depend on it (its admission webhooks validate them). */
    readonly release: k8s.helm.v3.Release;
    readonly namespace: pulumi.Output<string>;

    constructor(name: string, args: KargoInstallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("release-pipeline:index:KargoInstall", name, {}, opts);
        const cfg = args.config;
        const ns = declareObject(`${name}-namespace`, buildKargoNamespace(cfg), { parent: this });
        const adminSecret = declareObject(`${name}-admin-secret`, buildAdminSecretItem(cfg), {
            parent: this,
            dependsOn: [ns],
        });
        const prerequisites = buildPrerequisites(cfg, args.argocdNamespace).map((p) => ({
            p,
            read: readPrerequisite(p, { parent: this }),
        }));
        const versions = prerequisites.map(({ p, read }) => checkPrerequisiteVersion(p, read));
        const values = buildKargoValues(cfg, args.argocdNamespace);
        this.release = new k8s.helm.v3.Release(
            name,
            {
                name: cfg.releaseName,
                chart: KARGO_CHART,
                version: cfg.chartVersion,
                namespace: cfg.namespace,
                createNamespace: false,
                values: pulumi.all(versions).apply(() => values),
                // Wait for every Kargo workload to be ready: project resources go through its webhooks.
                skipAwait: false,
                timeout: 600,
                cleanupOnFail: true,
                maxHistory: 10,
            },
            { parent: this, dependsOn: [ns, adminSecret, ...prerequisites.map(({ read }) => read)] },
        );
        this.namespace = pulumi.output(cfg.namespace);
        this.registerOutputs({ namespace: this.namespace, releaseStatus: this.release.status });
    }
}
