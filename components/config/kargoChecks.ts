/**
 * Cross-section checks for how Kargo is exposed: a webhook receiver needs a host GitHub can reach and a
 * certificate GitHub trusts, and the annotations the stack owns on the API ingress cannot be overridden.
 * Each bad input gets its own issue at its own key (issue 9, defects 3 and 9).
 */
import { INGRESS_OWNED_ANNOTATIONS, type KargoConfig } from "./kargo";
import type { IssueSink } from "./checks/format";

/** The sections these checks read. */
export interface KargoCheckInput {
    readonly kargo: Pick<KargoConfig, "apiHost" | "ingressAnnotations" | "ingressTls">;
    readonly webhook: { readonly receiver: string };
}

export function checkKargoExposure(cfg: KargoCheckInput, sink: IssueSink): void {
    if (cfg.webhook.receiver !== "none" && !cfg.kargo.apiHost) {
        sink.addIssue({
            code: "custom",
            input: cfg.webhook.receiver,
            path: ["webhook", "receiver"],
            message:
                "needs kargo.apiHost: without it Kargo publishes the receiver at https://localhost/webhooks/…, " +
                "which GitHub cannot reach; allowed: set kargo.apiHost, or webhook.receiver: none (the Warehouses poll)",
        });
    }
    if (cfg.webhook.receiver !== "none" && !cfg.kargo.ingressTls.clusterIssuer) {
        sink.addIssue({
            code: "custom",
            input: cfg.webhook.receiver,
            path: ["webhook", "receiver"],
            message:
                "needs kargo.ingressTls.clusterIssuer: the chart's default ingress certificate is self-signed and " +
                "GitHub refuses to deliver to it (SSL verification stays on); allowed: a cert-manager " +
                "ClusterIssuer GitHub's clients trust, or webhook.receiver: none",
        });
    }
    for (const key of Object.keys(cfg.kargo.ingressAnnotations)) {
        if (!INGRESS_OWNED_ANNOTATIONS.includes(key)) continue;
        sink.addIssue({
            code: "custom",
            input: cfg.kargo.ingressAnnotations[key],
            path: ["kargo", "ingressAnnotations", key],
            message:
                "is set by the stack (backend TLS and the issuer come from kargo.ingressTls); " +
                "allowed: any other annotation",
        });
    }
}
