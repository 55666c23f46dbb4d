/** Config section `kargo`: how Kargo itself is installed. */
import { z } from "zod";
import {
    containerResources,
    dnsLabel,
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
            KARGO_COMPONENTS.map((c) => [c, containerResources.prefault(DEFAULT_RESOURCES[c])]),
        ) as Record<KargoComponent, z.ZodPrefault<typeof containerResources>>,
    )
    .prefault({});

export const kargoSection = z
    .strictObject({
        chartVersion: exactSemver
            .prefault("1.11.2")
            .describe(
                "Exact chart version of oci://ghcr.io/akuity/kargo-charts/kargo (the release tag without 'v').",
            ),
        namespace: dnsLabel.prefault("kargo"),
        releaseName: dnsLabel.prefault("kargo"),
        adminItemPath: onePasswordItemPath
            .prefault("vaults/platform/items/kargo-admin")
            .describe(
                "1Password item holding ADMIN_ACCOUNT_PASSWORD_HASH (bcrypt) and ADMIN_ACCOUNT_TOKEN_SIGNING_KEY.",
            ),
        apiHost: hostname
            .optional()
            .describe(
                "Hostname of the Kargo API/UI ingress; the GitHub webhook receiver rides on it. Unset: no ingress.",
            ),
        ingressClassName: z
            .string()
            .min(1)
            .prefault("nginx")
            .describe("Ingress class for the API ingress (only with apiHost)."),
        resources: componentResources,
        prerequisites: z
            .strictObject({
                certManagerNamespace: dnsLabel.prefault("cert-manager"),
                argocdNamespace: dnsLabel.prefault("argocd"),
                argoRolloutsNamespace: dnsLabel.prefault("argo-rollouts"),
            })
            .prefault({})
            .describe(
                "Cluster services Kargo needs before its controller starts (read, never managed, by this stack).",
            ),
    })
    .prefault({});

export type KargoConfig = z.infer<typeof kargoSection>;
