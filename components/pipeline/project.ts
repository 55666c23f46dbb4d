/** The Kargo Project, its namespace, its ProjectConfig and the GitHub webhook receiver's secret. */
import type { StackConfig } from "../config";
import { buildPromotionPolicies, type StageRow } from "./stages";
import type { Namespace } from "../core/builtins";
import type { OnePasswordItem, Project, ProjectConfig } from "../core/generated";
import { KARGO_API, MANAGED_BY, ONEPASSWORD_API } from "../core/objects";

export const GITHUB_RECEIVER = "github";
/** Secret (from 1Password) holding the receiver's HMAC secret under the key Kargo reads: `secret`. */
export const GITHUB_WEBHOOK_SECRET = "github-webhook";

/**
 * Created by the stack before the Project so nothing races Kargo's own namespace creation; the label lets
 * Kargo adopt it, and keep-namespace stops a Project deletion from deleting everything in it.
 */
export function buildProjectNamespace(cfg: StackConfig): Namespace {
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
            name: cfg.pipeline.project,
            labels: { ...MANAGED_BY, "kargo.akuity.io/project": "true" },
            annotations: { "kargo.akuity.io/keep-namespace": "true" },
        },
    };
}

export function buildProject(cfg: StackConfig): Project {
    return {
        apiVersion: KARGO_API,
        kind: "Project",
        metadata: { name: cfg.pipeline.project, labels: { ...MANAGED_BY } },
    };
}

/** Must be named exactly like the project and live in its namespace; Kargo ignores any other. */
export function buildProjectConfig(cfg: StackConfig, rows: readonly StageRow[]): ProjectConfig {
    return {
        apiVersion: KARGO_API,
        kind: "ProjectConfig",
        metadata: { name: cfg.pipeline.project, namespace: cfg.pipeline.project, labels: { ...MANAGED_BY } },
        spec: {
            promotionPolicies: buildPromotionPolicies(rows),
            // GHCR cannot send webhooks; the source repository's "package" events refresh the Warehouses
            // subscribed to the pushed chart, instead of waiting for the 5-minute poll. Only with
            // webhook.receiver github, which config validation allows only with kargo.apiHost and a trusted
            // ingress certificate; with `none` the Warehouses poll.
            ...(cfg.webhook.receiver === "github"
                ? {
                      webhookReceivers: [
                          { name: GITHUB_RECEIVER, github: { secretRef: { name: GITHUB_WEBHOOK_SECRET } } },
                      ],
                  }
                : {}),
        },
    };
}

/** The receiver's secret comes from 1Password; the operator copies the item's labels onto the Secret. */
export function buildWebhookSecretItem(cfg: StackConfig): OnePasswordItem | undefined {
    if (cfg.webhook.receiver !== "github") return undefined;
    return {
        apiVersion: ONEPASSWORD_API,
        kind: "OnePasswordItem",
        metadata: {
            name: GITHUB_WEBHOOK_SECRET,
            namespace: cfg.pipeline.project,
            labels: { ...MANAGED_BY, "kargo.akuity.io/cred-type": "generic" },
        },
        spec: { itemPath: cfg.webhook.githubSecretItemPath },
    };
}
