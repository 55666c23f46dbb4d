/**
 * Cloudflare Access in front of every dev hostname (ADR 009 "Security": the dev origin is never public),
 * and the Access service token delivered to its two consumers: the smoke check's Secret in the Kargo
 * project namespace and the repository's GitHub Actions secrets. Decisions live in the builders beside it.
 */
import * as cloudflare from "@pulumi/cloudflare";
import * as github from "@pulumi/github";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    buildApplications,
    buildServiceTokenArgs,
    buildServiceTokenPolicyArgs,
    buildTrustedPolicyArgs,
} from "./cloudflare";
import { buildAccessTokenSecret, buildActionsSecrets, type ServiceTokenValues } from "./tokenSecrets";
import type { StackConfig } from "../config";

export interface DevAccessArgs {
    /** The validated stack configuration (`access`, `verification`, `pipeline`, `gitops`). */
    readonly config: StackConfig;
    /** The Kargo project namespace; the token's Secret is created in it, so it must exist first. */
    readonly projectNamespace: pulumi.Resource;
    /** Provider for the GitOps repository's owner (Actions secrets); see declareGithubProvider. */
    readonly githubProvider: pulumi.ProviderResource;
}

export class DevAccess extends pulumi.ComponentResource {
    /** Service token id (not secret): find it under Zero Trust → Access → Service auth. */
    readonly serviceTokenId: pulumi.Output<string>;
    /** CF-Access-Client-Id, as a Pulumi secret (`pulumi stack output --show-secrets` to read it). */
    readonly clientId: pulumi.Output<string>;
    /** When the token stops working unless rotated or extended. */
    readonly expiresAt: pulumi.Output<string>;
    /** Protected hostname → application audience tag (for validating the Access JWT at the origin). */
    readonly audiences: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: DevAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("release-pipeline:index:DevAccess", name, {}, opts);
        const cfg = args.config;
        const child = { parent: this };

        const token = new cloudflare.ZeroTrustAccessServiceToken(
            `${name}-service-token`,
            buildServiceTokenArgs(cfg),
            // The provider marks clientSecret secret; clientId is treated the same so neither is ever shown.
            { ...child, additionalSecretOutputs: ["clientId", "clientSecret"] },
        );
        const values: ServiceTokenValues = {
            clientId: pulumi.secret(token.clientId),
            clientSecret: pulumi.secret(token.clientSecret),
        };
        const trusted = new cloudflare.ZeroTrustAccessPolicy(
            `${name}-trusted`,
            buildTrustedPolicyArgs(cfg),
            child,
        );
        const machines = new cloudflare.ZeroTrustAccessPolicy(
            `${name}-machines`,
            buildServiceTokenPolicyArgs(cfg, token.id),
            child,
        );
        const apps = buildApplications(cfg, { serviceToken: machines.id, trusted: trusted.id }).map(
            (app) =>
                [
                    app.host,
                    new cloudflare.ZeroTrustAccessApplication(`${name}-${app.key}`, app.args, child),
                ] as const,
        );

        const secret = buildAccessTokenSecret(cfg, values);
        new k8s.core.v1.Secret(
            `${name}-token-secret`,
            {
                metadata: secret.metadata,
                type: secret.type as string,
                stringData: secret.stringData as Record<string, pulumi.Input<string>>,
            },
            { ...child, dependsOn: [args.projectNamespace] },
        );
        for (const s of buildActionsSecrets(cfg, values)) {
            // `value` (not the deprecated plaintextValue): the provider encrypts it with the repository key.
            new github.ActionsSecret(
                `${name}-actions-${s.secretName.toLowerCase().replace(/_/g, "-")}`,
                { repository: s.repository, secretName: s.secretName, value: pulumi.secret(s.value) },
                { ...child, provider: args.githubProvider },
            );
        }

        this.serviceTokenId = token.id;
        this.clientId = pulumi.secret(token.clientId);
        this.expiresAt = token.expiresAt;
        this.audiences = pulumi
            .all(apps.map(([host, app]) => app.aud.apply((aud) => [host, aud] as const)))
            .apply((pairs) => Object.fromEntries(pairs));
        this.registerOutputs({ serviceTokenId: this.serviceTokenId, expiresAt: this.expiresAt });
    }
}
