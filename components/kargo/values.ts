/**
 * Helm values for the Kargo chart (1.11.2). Nothing secret is in here: the admin Secret is referenced by
 * name. Every rule below cites the chart file it answers to (charts/kargo in akuity/kargo at v1.11.2).
 */
import {
    BACKEND_PROTOCOL_ANNOTATION,
    CLUSTER_ISSUER_ANNOTATION,
    KARGO_COMPONENTS,
    type KargoConfig,
} from "../config/kargo";

/** Name of the OnePasswordItem, hence of the Secret the operator writes (the chart's `api.secret.name`). */
export const KARGO_ADMIN_SECRET = "kargo-admin";

/**
 * The API ingress, when `kargo.apiHost` is set. One Ingress serves both the API and, on `/webhooks`, the
 * external webhooks server: templates/api/ingress.yaml adds that path whenever
 * `externalWebhooksServer.ingress.enabled` is false, and `kargo.externalWebhooksServer.baseURL`
 * (templates/_helpers.tpl) then publishes receivers as https://<api.host>/webhooks/<type>/<hash>
 * (pkg/webhook/external/receiver.go buildWebhookPath; the router matches the full path, so no prefix
 * stripping is needed).
 *
 * - Backend TLS: the same template points both paths at port 443 when `api.tls.enabled` /
 *   `externalWebhooksServer.tls.enabled` (both default true); ingress-nginx speaks HTTP to a backend unless
 *   `nginx.ingress.kubernetes.io/backend-protocol: HTTPS` is set, and kargo-api answers 400
 *   (akuity/kargo#3198). One annotation covers both paths only if both servers speak TLS, so the stack sets
 *   both `tls.enabled` explicitly (see {@link buildKargoValues}).
 * - The certificate clients see: templates/api/ingress-cert.yaml issues a self-signed one (chart Issuer
 *   kargo-selfsigned-cert-issuer) when `api.ingress.tls.selfSignedCert` is true (the default). GitHub refuses
 *   to deliver webhooks to a self-signed endpoint unless SSL verification is turned off, which we never do,
 *   so with `kargo.ingressTls.clusterIssuer` the chart's certificate is turned off and cert-manager's
 *   ingress-shim issues `ingressTls.secretName` from that ClusterIssuer instead.
 */
export function buildIngressValues(cfg: KargoConfig): Record<string, unknown> {
    const issuer = cfg.ingressTls.clusterIssuer;
    return {
        enabled: true,
        ingressClassName: cfg.ingressClassName,
        annotations: {
            ...cfg.ingressAnnotations,
            [BACKEND_PROTOCOL_ANNOTATION]: "HTTPS",
            ...(issuer ? { [CLUSTER_ISSUER_ANNOTATION]: issuer } : {}),
        },
        tls: { enabled: true, selfSignedCert: !issuer, secretName: cfg.ingressTls.secretName },
    };
}

/** Helm values for the Kargo chart. */
export function buildKargoValues(cfg: KargoConfig, argocdNamespace: string): Record<string, unknown> {
    const resourcesOf = (component: (typeof KARGO_COMPONENTS)[number]) => ({
        resources: cfg.resources[component],
    });
    const api: Record<string, unknown> = {
        ...resourcesOf("api"),
        adminAccount: { enabled: true },
        secret: { name: KARGO_ADMIN_SECRET },
    };
    const externalWebhooksServer: Record<string, unknown> = resourcesOf("externalWebhooksServer");
    if (cfg.apiHost) {
        api.host = cfg.apiHost;
        // Stated rather than defaulted: the ingress's backend-protocol annotation assumes both backends
        // speak TLS (templates/api/ingress.yaml picks port 443 from these two values).
        api.tls = { enabled: true };
        api.ingress = buildIngressValues(cfg);
        externalWebhooksServer.tls = { enabled: true };
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
        externalWebhooksServer,
        garbageCollector: resourcesOf("garbageCollector"),
    };
}
