/**
 * Where the Access service token goes: the Secret the smoke AnalysisTemplate reads in the Kargo project
 * namespace, and the GitHub Actions secrets CI sends as CF-Access-Client-Id / CF-Access-Client-Secret.
 * Pure: callers pass the token's outputs already marked secret, and nothing here unwraps them.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { parseGithubRepo } from "../config/accessChecks";
import { ACCESS_CLIENT_ID_KEY, ACCESS_CLIENT_SECRET_KEY } from "../core/names";
import type { Secret } from "../core/builtins";
import { MANAGED_BY } from "../core/objects";

/** The service token's two halves; both are Pulumi secrets by the time they get here. */
export interface ServiceTokenValues {
    readonly clientId: pulumi.Input<string>;
    readonly clientSecret: pulumi.Input<string>;
}

/**
 * `stringData` so the values go in as they are (the API server encodes them); the provider stores both
 * `data` and `stringData` as secrets in state.
 */
export function buildAccessTokenSecret(cfg: StackConfig, token: ServiceTokenValues): Secret {
    return {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
            name: cfg.verification.smoke.accessSecretName,
            namespace: cfg.pipeline.project,
            labels: { ...MANAGED_BY },
            annotations: {
                // Tells a reader where the value comes from and how to change it, without the value.
                "release-pipeline/source": "cloudflare access service token " + cfg.pipeline.project,
                "release-pipeline/rotate":
                    "docs/runbooks.md: clientSecretVersion with previousClientSecretExpiresAt",
            },
        },
        type: "Opaque",
        stringData: {
            [ACCESS_CLIENT_ID_KEY]: token.clientId,
            [ACCESS_CLIENT_SECRET_KEY]: token.clientSecret,
        },
    };
}

/** The repository (name, same owner as the GitOps repo) whose CI gets the token. */
export function selectActionsRepository(cfg: StackConfig): string {
    const repo = parseGithubRepo(cfg.gitops.repoURL);
    if (!repo)
        throw new Error(
            "gitops.repoURL is not a github.com repository (config validation should have said so)",
        );
    return cfg.access.githubActions.repository ?? repo.repo;
}

/** One entry per Actions secret; empty when the config turns them off. */
export function buildActionsSecrets(
    cfg: StackConfig,
    token: ServiceTokenValues,
): { secretName: string; repository: string; value: pulumi.Input<string> }[] {
    const actions = cfg.access.githubActions;
    if (!actions.enabled) return [];
    const repository = selectActionsRepository(cfg);
    return [
        { secretName: actions.clientIdSecretName, repository, value: token.clientId },
        { secretName: actions.clientSecretSecretName, repository, value: token.clientSecret },
    ];
}
