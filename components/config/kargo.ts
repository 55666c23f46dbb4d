/** Config section `kargo`: how Kargo itself is installed. */
import { z } from "zod";
import {
    containerResources,
    dnsLabel,
    dnsSubdomain,
    exactSemver,
    hostname,
    onePasswordItemPath,
    resources,
} from "./common";

/** The Kargo chart's components, by the values key that holds each one's `resources`. */
export const KARGO_COMPONENTS = [
    "api",
    "controller",
    "managementController",
    "webhooksServer",
    "externalWebhooksServer",
    "garbageCollector",
] as const;
export type KargoComponent = (typeof KARGO_COMPONENTS)[number];

/**
 * ingress-nginx speaks plain HTTP to a backend unless told otherwise, and the Kargo chart points its
 * ingress at the TLS port of kargo-api and kargo-external-webhooks-server (akuity/kargo#3198).
 */
export const BACKEND_PROTOCOL_ANNOTATION = "nginx.ingress.kubernetes.io/backend-protocol";
/** cert-manager's ingress-shim issues the ingress certificate from this ClusterIssuer. */
export const CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";
/** Annotations the stack sets on the API ingress itself; kargo.ingressAnnotations may not set them. */
export const INGRESS_OWNED_ANNOTATIONS: readonly string[] = [
    BACKEND_PROTOCOL_ANNOTATION,
    CLUSTER_ISSUER_ANNOTATION,
    "cert-manager.io/issuer",
];

/*
 * The chart ships no requests or limits at all. These defaults are sized for a small estate (two charts,
 * one project) on a node that is already ~92% committed: the controller and API do real work (git clones,
 * UI), the rest are mostly idle servers.
 */
const DEFAULT_RESOURCES: Record<KargoComponent, z.infer<typeof containerResources>> = {
    api: resources("50m", "128Mi", "500m", "256Mi"),
    controller: resources("100m", "192Mi", "1", "384Mi"),
    managementController: resources("20m", "64Mi", "200m", "128Mi"),
    webhooksServer: resources("20m", "64Mi", "200m", "128Mi"),
    externalWebhooksServer: resources("10m", "48Mi", "100m", "96Mi"),
    garbageCollector: resources("10m", "48Mi", "100m", "96Mi"),
};

const componentResources = z
    .strictObject(
        Object.fromEntries(
            KARGO_COMPONENTS.map((c) => [
                c,
                containerResources
                    .prefault(DEFAULT_RESOURCES[c])
                    .describe(`Requests and limits of Kargo's ${c}.`),
            ]),
        ) as Record<KargoComponent, z.ZodPrefault<typeof containerResources>>,
    )
    .prefault({})
    .describe(
        "Requests and limits per Kargo component (the chart sets none); the defaults fit a small estate on a busy node.",
    );

/**
 * The Kargo release this stack installs, vets and validates against: the one place a Kargo upgrade changes
 * (with the pinned CRDs' sha256 in offline/schemas/crdSources.ts, whose URLs derive from it). Renovate moves it.
 */
export const KARGO_CHART_VERSION = "1.11.2";

/**
 * Namespaces the Kargo chart creates and keeps for itself besides its install namespace (the stack leaves
 * these values at the chart's defaults): charts/kargo/values.yaml at v1.11.2, `global.sharedResources.namespace`,
 * `global.systemResources.namespace` and the deprecated `global.clusterSecretsNamespace`, each with
 * `create…Namespace: true`. A test keeps this list in step with the vendored values.yaml.
 */
export const KARGO_CHART_NAMESPACES = [
    { namespace: "kargo-shared-resources", value: "global.sharedResources.namespace" },
    { namespace: "kargo-system-resources", value: "global.systemResources.namespace" },
    { namespace: "kargo-cluster-secrets", value: "global.clusterSecretsNamespace" },
] as const;

export const kargoSection = z
    .strictObject({
        chartVersion: exactSemver
            .prefault(KARGO_CHART_VERSION)
            .describe(
                "Exact chart version of oci://ghcr.io/akuity/kargo-charts/kargo (the release tag without 'v').",
            ),
        namespace: dnsLabel.prefault("kargo").describe("Namespace of the Kargo Helm release."),
        releaseName: dnsLabel.prefault("kargo").describe("Name of the Kargo Helm release."),
        adminItemPath: onePasswordItemPath
            .prefault("vaults/platform/items/kargo-admin")
            .describe(
                '1Password item with fields `ADMIN_ACCOUNT_PASSWORD_HASH` (bcrypt: `htpasswd -bnBC 10 "" "$pw" | tr -d \':\\n\'`) and `ADMIN_ACCOUNT_TOKEN_SIGNING_KEY`; it becomes the Secret `kargo-admin` (the chart\'s `api.secret.name`).',
            ),
        apiHost: hostname
            .optional()
            .describe(
                "Hostname of the Kargo API/UI ingress. A webhook receiver rides on it: Kargo 1.11.2 publishes receivers at https://<apiHost>/webhooks/<type>/<hash> when the external webhooks server has no ingress of its own (chart `kargo.externalWebhooksServer.baseURL`). Unset: no ingress.",
            ),
        ingressClassName: z
            .string()
            .min(1)
            .prefault("nginx")
            .describe("Ingress class for the API ingress (only with apiHost)."),
        ingressAnnotations: z
            .record(z.string().min(1), z.string())
            .prefault({})
            .describe(
                "Extra annotations on the API ingress (e.g. another controller's equivalent of backend-protocol). The keys the stack sets itself (INGRESS_OWNED_ANNOTATIONS) are refused here.",
            ),
        ingressTls: z
            .strictObject({
                clusterIssuer: dnsSubdomain
                    .optional()
                    .describe(
                        "cert-manager ClusterIssuer that signs the ingress certificate (cert-manager's ingress-shim reads the `cert-manager.io/cluster-issuer` annotation). Unset: the chart's self-signed certificate, which GitHub refuses; required when a webhook receiver is declared.",
                    ),
                secretName: dnsLabel
                    .prefault("kargo-api-ingress-cert")
                    .describe("Secret the certificate is written to, in the Kargo namespace."),
            })
            .prefault({})
            .describe("The certificate the API ingress (and so GitHub's webhook deliveries) present."),
        resources: componentResources,
        prerequisites: z
            .strictObject({
                certManagerNamespace: dnsLabel
                    .prefault("cert-manager")
                    .describe("Where cert-manager's controller and webhook run."),
                argocdNamespace: dnsLabel
                    .prefault("argocd")
                    .describe("Where Argo CD's application controller runs."),
                argoRolloutsNamespace: dnsLabel
                    .prefault("argo-rollouts")
                    .describe("Where the Argo Rollouts controller (it executes the AnalysisRuns) runs."),
            })
            .prefault({})
            .describe(
                "Cluster services Kargo needs before its controller starts (read, never managed, by this stack).",
            ),
    })
    .prefault({})
    .describe(
        "The Kargo installation: chart version, admin credential, API ingress, resources and prerequisites.",
    );

export type KargoConfig = z.infer<typeof kargoSection>;
