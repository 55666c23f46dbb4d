/**
 * The Argo CD side of the pipeline, one owner per object (docs/architecture-applications.md):
 * - each chart Application lives in git, as its deploy file `<deployDir>/<stage>/<chart>.yaml`; the stack
 *   only writes that file once (./deployFiles), and Kargo's promotion rewrites its targetRevision;
 * - per stage, one app-of-apps Application, declared by the stack, syncs that stage's deploy directory;
 * - per `<registry>/<path>`, the Argo CD repository Secret that enables OCI for the Helm-type sources.
 * None of this refers to a Kargo object, so it stays the same whatever drives the deploy files.
 */
import type { StackConfig } from "../config";
import type { ChartConfig } from "../config/pipeline";
import { applicationName, authorizedStage, workloadNamespace } from "../core/names";
import type { Secret } from "../core/builtins";
import type { Application, ApplicationSpec } from "../core/generated";
import { ARGO_API, MANAGED_BY, STAGE_LABEL, WAIT_FOR_ANNOTATION } from "../core/objects";
import { selectOciChartRef } from "../core/ociChart";
import { deployDirectory, helmRepositorySecretName, rootApplicationName } from "./names";

/** Argo CD's own cluster: Application objects live there, wherever their workloads deploy. */
export const IN_CLUSTER = "https://kubernetes.default.svc";

/**
 * A chart's Application in one stage: the content of its deploy file. Helm-type OCI source (`repoURL`
 * without scheme + `chart`), because Argo CD then reports the chart version as the sync revision, which
 * is what argocd-update compares with `desiredRevision`; a native `oci://` source reports a digest and
 * the promotion would never converge. No automated sync: what runs changes only when Kargo promotes.
 */
export function buildApplication(
    cfg: StackConfig,
    stage: string,
    chart: ChartConfig,
    values: Record<string, unknown> = {},
): Application {
    const ref = selectOciChartRef(chart.repoURL);
    const source: NonNullable<ApplicationSpec["source"]> = {
        repoURL: ref.helmRepoURL,
        chart: ref.chart,
        targetRevision: chart.initialVersion,
    };
    if (Object.keys(values).length > 0) source.helm = { valuesObject: values };
    return {
        apiVersion: ARGO_API,
        kind: "Application",
        metadata: {
            name: applicationName(stage, chart),
            namespace: cfg.argocd.namespace,
            // Not MANAGED_BY: git owns this object, not Pulumi.
            labels: {
                "app.kubernetes.io/part-of": MANAGED_BY["app.kubernetes.io/part-of"],
                [STAGE_LABEL]: stage,
            },
            annotations: {
                // argocd-update refuses to touch an Application that does not name exactly its stage.
                "kargo.akuity.io/authorized-stage": authorizedStage(cfg.pipeline.project, stage),
            },
        },
        spec: {
            project: cfg.argocd.project,
            source,
            destination: { server: cfg.argocd.destinationServer, namespace: workloadNamespace(stage, chart) },
            syncPolicy: { syncOptions: ["CreateNamespace=true"] },
        },
    };
}

/**
 * `pulumi up` waits until the app-of-apps has synced, i.e. Argo CD read the GitOps repository (access) and
 * its project admitted every child Application: a private repository without credentials, or a project
 * that refuses a source or destination, fails the `up` here, before any Stage exists, instead of leaving
 * the child Applications uncreated for Kargo's first promotion to fail on (pulumi-kubernetes
 * provider/pkg/metadata/overrides.go ReadyCondition reads the annotation).
 */
export const ROOT_SYNCED = "jsonpath={.status.sync.status}=Synced";

/**
 * The app-of-apps of a stage: syncs `<deployDir>/<stage>` of the GitOps repository at its branch (the
 * files there pin exact versions). `prune: false`, so removing a deploy file never deletes a running
 * Application; `selfHeal: false`, so a live targetRevision that argocd-update has just set is not reverted
 * before Argo CD has seen the commit that records it.
 */
export function buildRootApplication(cfg: StackConfig, stage: string): Application {
    return {
        apiVersion: ARGO_API,
        kind: "Application",
        metadata: {
            name: rootApplicationName(stage),
            namespace: cfg.argocd.namespace,
            labels: { ...MANAGED_BY, "app.kubernetes.io/component": "app-of-apps" },
            annotations: { [WAIT_FOR_ANNOTATION]: ROOT_SYNCED },
        },
        spec: {
            project: cfg.argocd.project,
            source: {
                repoURL: cfg.gitops.repoURL,
                targetRevision: cfg.gitops.branch,
                path: deployDirectory(cfg.gitops.deployDir, stage),
                directory: { recurse: false },
            },
            destination: { server: IN_CLUSTER, namespace: cfg.argocd.namespace },
            syncPolicy: { automated: { prune: false, selfHeal: false } },
        },
    };
}

/**
 * One Argo CD repository Secret per `<registry>/<path>` the charts come from, enabling OCI for the
 * Helm-type sources. Credential-free: a private registry's credential is a separate `repo-creds` Secret.
 */
export function buildHelmRepositorySecrets(cfg: StackConfig): Secret[] {
    const urls = [...new Set(cfg.charts.map((c) => selectOciChartRef(c.repoURL).helmRepoURL))];
    return urls.map((url) => ({
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
            name: helmRepositorySecretName(url),
            namespace: cfg.argocd.namespace,
            labels: { ...MANAGED_BY, "argocd.argoproj.io/secret-type": "repository" },
        },
        type: "Opaque",
        stringData: { name: helmRepositorySecretName(url), type: "helm", url, enableOCI: "true" },
    }));
}
