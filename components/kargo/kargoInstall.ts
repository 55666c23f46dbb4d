/**
 * Kargo, installed from its upstream OCI chart at an exact version, with the admin credentials from
 * 1Password, requests and limits on every component, and its prerequisites checked before it starts.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KargoConfig } from "../config/kargo";
import { KARGO_COMPONENTS } from "../config/kargo";
import { declareObject } from "../core/declare";
import type { Namespace } from "../core/builtins";
import type { OnePasswordItem } from "../core/generated";
import { MANAGED_BY, ONEPASSWORD_API } from "../core/objects";

export const KARGO_CHART = "oci://ghcr.io/akuity/kargo-charts/kargo";
/** Name of the OnePasswordItem, hence of the Secret the operator writes (the chart's `api.secret.name`). */
export const KARGO_ADMIN_SECRET = "kargo-admin";

export interface KargoInstallArgs {
    /** Validated `kargo` config section. */
    readonly config: KargoConfig;
    /** Argo CD namespace the controller watches for Applications. */
    readonly argocdNamespace: string;
}

/** A cluster object that must already exist; read (never managed) so a missing one fails the preview. */
export interface Prerequisite {
    readonly kind: "CustomResourceDefinition" | "Deployment" | "StatefulSet";
    readonly name: string;
    readonly namespace?: string;
    /** Why Kargo needs it, shown when the read fails. */
    readonly reason: string;
}

/**
 * What must run before Kargo's controller starts. The controller checks for the Argo CD and Rollouts CRDs
 * once at startup and silently disables the integration if they are missing, so order matters.
 */
export function buildPrerequisites(cfg: KargoConfig, argocdNamespace: string): Prerequisite[] {
    const p = cfg.prerequisites;
    return [
        {
            kind: "CustomResourceDefinition",
            name: "certificates.cert-manager.io",
            reason: "Kargo's webhook certificates",
        },
        {
            kind: "CustomResourceDefinition",
            name: "issuers.cert-manager.io",
            reason: "Kargo's self-signed issuer",
        },
        {
            kind: "Deployment",
            name: "cert-manager",
            namespace: p.certManagerNamespace,
            reason: "issues Kargo's certificates",
        },
        {
            kind: "Deployment",
            name: "cert-manager-webhook",
            namespace: p.certManagerNamespace,
            reason: "admits Kargo's Certificates",
        },
        {
            kind: "CustomResourceDefinition",
            name: "applications.argoproj.io",
            reason: "argocd-update and health checks",
        },
        {
            kind: "StatefulSet",
            name: "argocd-application-controller",
            namespace: argocdNamespace,
            reason: "syncs promoted Applications",
        },
        {
            kind: "CustomResourceDefinition",
            name: "analysistemplates.argoproj.io",
            reason: "dev verification",
        },
        { kind: "CustomResourceDefinition", name: "analysisruns.argoproj.io", reason: "dev verification" },
        {
            kind: "Deployment",
            name: "argo-rollouts",
            namespace: p.argoRolloutsNamespace,
            reason: "executes AnalysisRuns",
        },
    ];
}

/** Helm values for the Kargo chart. Nothing secret is in here: the admin Secret is referenced by name. */
export function buildKargoValues(cfg: KargoConfig, argocdNamespace: string): Record<string, unknown> {
    const resourcesOf = (component: (typeof KARGO_COMPONENTS)[number]) => ({
        resources: cfg.resources[component],
    });
    const api: Record<string, unknown> = {
        ...resourcesOf("api"),
        adminAccount: { enabled: true },
        secret: { name: KARGO_ADMIN_SECRET },
    };
    if (cfg.apiHost) {
        api.host = cfg.apiHost;
        api.ingress = { enabled: true, ingressClassName: cfg.ingressClassName };
    }
    return {
        // CRDs are chart templates; `keep` makes Helm leave them (and every Stage and Freight) on uninstall.
        crds: { install: true, keep: true },
        api,
        controller: {
            ...resourcesOf("controller"),
            argocd: { integrationEnabled: true, namespace: argocdNamespace },
            rollouts: { integrationEnabled: true },
        },
        managementController: resourcesOf("managementController"),
        webhooksServer: resourcesOf("webhooksServer"),
        externalWebhooksServer: resourcesOf("externalWebhooksServer"),
        garbageCollector: resourcesOf("garbageCollector"),
    };
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
    }
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
        const prerequisites = buildPrerequisites(cfg, args.argocdNamespace).map((p) =>
            readPrerequisite(p, { parent: this }),
        );
        this.release = new k8s.helm.v3.Release(
            name,
            {
                name: cfg.releaseName,
                chart: KARGO_CHART,
                version: cfg.chartVersion,
                namespace: cfg.namespace,
                createNamespace: false,
                values: buildKargoValues(cfg, args.argocdNamespace),
                // Wait for every Kargo workload to be ready: project resources go through its webhooks.
                skipAwait: false,
                timeout: 600,
                cleanupOnFail: true,
                maxHistory: 10,
            },
            { parent: this, dependsOn: [ns, adminSecret, ...prerequisites] },
        );
        this.namespace = pulumi.output(cfg.namespace);
        this.registerOutputs({ namespace: this.namespace, releaseStatus: this.release.status });
    }
}
