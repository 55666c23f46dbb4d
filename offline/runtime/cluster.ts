/**
 * The cluster the offline run reads its prerequisites from. `pulumi preview` reads the real objects with
 * `.get`; offline there is no cluster, so the reads that the stack inspects (the Argo CD application
 * controller's version, components/kargo/prerequisites.ts) answer as a cluster running the versions the
 * CRDs are pinned to (offline/schemas/crdSources.ts: Argo CD v3.5.1), the Argo CD AppProject and prod's
 * CNPG Cluster (read by components/platform) as ones the stacks' Applications and dev clone can use. Everything else reads back empty.
 */
import type { StateHook } from "./mockRuntime";

export const OFFLINE_ARGOCD_VERSION = "v3.5.1";

/** What the offline AppProject permits: the acme GitOps repositories, chart registries and the hook chart's. */
export const OFFLINE_PROJECT_SOURCE_REPOS = [
    "https://github.com/acme/*",
    "ghcr.io/acme/*",
    "https://bedag.github.io/helm-charts/",
];

/** The VolumeSnapshotClass the offline prod Cluster names (components/platform/prerequisites.ts checks it). */
export const OFFLINE_SNAPSHOT_CLASS = "csi-snapshots";

/** Only reads (which carry an id) get this state; the stack declares no StatefulSet of its own. */
export const OFFLINE_CLUSTER_STATES: Readonly<Record<string, StateHook>> = {
    "kubernetes:apps/v1:StatefulSet": (args) =>
        args.id && args.name.endsWith("argocd-application-controller")
            ? {
                  metadata: { name: "argocd-application-controller", labels: {} },
                  spec: {
                      template: {
                          spec: {
                              containers: [
                                  {
                                      name: "argocd-application-controller",
                                      image: `quay.io/argoproj/argocd:${OFFLINE_ARGOCD_VERSION}`,
                                  },
                              ],
                          },
                      },
                  },
              }
            : {},
    // The Argo CD project the Applications name, permitting the acme repositories and the in-cluster server.
    "kubernetes:argoproj.io/v1alpha1:AppProject": (args) =>
        args.id
            ? {
                  spec: {
                      sourceRepos: OFFLINE_PROJECT_SOURCE_REPOS,
                      destinations: [{ server: "https://kubernetes.default.svc", namespace: "*" }],
                  },
              }
            : {},
    // Prod's database as the dev clone needs it: a standby to fence, and a named snapshot class.
    "kubernetes:postgresql.cnpg.io/v1:Cluster": (args) =>
        args.id
            ? {
                  spec: {
                      instances: 3,
                      backup: { volumeSnapshot: { className: OFFLINE_SNAPSHOT_CLASS } },
                  },
              }
            : {},
};
