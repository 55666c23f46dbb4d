/**
 * Cloudflare Access for the dev stage, as plain resource arguments: two reusable policies (trusted people,
 * the service token), one self-hosted application per protected hostname, and the service token itself.
 * Pure: the DevAccess component declares what these return.
 */
import type * as cloudflare from "@pulumi/cloudflare";
import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { findSecretRotationProblem, type TrustedRule } from "../config/access";
import { selectProtectedHostnames } from "../config/accessChecks";

type Include = cloudflare.types.input.ZeroTrustAccessPolicyInclude;

/** Precedence inside each application: the machine policy first, so a token never meets a login page. */
export const SERVICE_TOKEN_PRECEDENCE = 1;
export const TRUSTED_PRECEDENCE = 2;

/** Maps config rules to Cloudflare's one-key include objects. Refuses `everyone` even if validation was skipped. */
export function buildTrustedIncludes(rules: readonly TrustedRule[]): Include[] {
    return rules.map((rule) => {
        if ("everyone" in rule) throw new Error("an `everyone` include would make the dev origin public");
        if (rule.email !== undefined) return { email: { email: rule.email } };
        if (rule.emailDomain !== undefined) return { emailDomain: { domain: rule.emailDomain } };
        if (rule.group !== undefined) return { group: { id: rule.group } };
        throw new Error(`trusted rule ${JSON.stringify(rule)} has no email, emailDomain or group`);
    });
}

/** Shown in the Zero Trust dashboard; includes the project so several stacks can share an account. */
export function selectServiceTokenName(cfg: StackConfig): string {
    return cfg.access.serviceToken.name ?? cfg.pipeline.project + "-dev-verification";
}

/**
 * The token's arguments. The rotation pair goes in together or not at all (findSecretRotationProblem):
 * bumping the version makes Cloudflare issue a new client secret, the old one lives until the time given.
 * Throws on a half pair even when validation was skipped, since the provider would refuse the preview.
 */
export function buildServiceTokenArgs(cfg: StackConfig): cloudflare.ZeroTrustAccessServiceTokenArgs {
    const token = cfg.access.serviceToken;
    const problem = findSecretRotationProblem(token);
    if (problem) throw new Error(`access.serviceToken.${problem.key} ${problem.message}`);
    return {
        accountId: cfg.access.accountId,
        name: selectServiceTokenName(cfg),
        duration: token.duration,
        ...(token.clientSecretVersion !== undefined && token.previousClientSecretExpiresAt !== undefined
            ? {
                  clientSecretVersion: token.clientSecretVersion,
                  previousClientSecretExpiresAt: token.previousClientSecretExpiresAt,
              }
            : {}),
    };
}

/** The people allowed in a browser. Reusable (account-scoped), attached to every dev application. */
export function buildTrustedPolicyArgs(cfg: StackConfig): cloudflare.ZeroTrustAccessPolicyArgs {
    return {
        accountId: cfg.access.accountId,
        name: cfg.pipeline.project + " dev: trusted people",
        decision: "allow",
        includes: buildTrustedIncludes(cfg.access.trusted),
        sessionDuration: cfg.access.sessionDuration,
    };
}

/**
 * CI and the smoke check: `non_identity` (no login, the token's headers are the identity) and that one
 * token only, never `anyValidServiceToken`, so another team's token cannot open dev.
 */
export function buildServiceTokenPolicyArgs(
    cfg: StackConfig,
    tokenId: pulumi.Input<string>,
): cloudflare.ZeroTrustAccessPolicyArgs {
    return {
        accountId: cfg.access.accountId,
        name: cfg.pipeline.project + " dev: verification service token",
        decision: "non_identity",
        includes: [{ serviceToken: { tokenId } }],
    };
}

/** Ids of the two reusable policies, as the applications reference them. */
export interface AccessPolicyIds {
    readonly serviceToken: pulumi.Input<string>;
    readonly trusted: pulumi.Input<string>;
}

export function buildApplicationArgs(
    cfg: StackConfig,
    host: string,
    policies: AccessPolicyIds,
): cloudflare.ZeroTrustAccessApplicationArgs {
    return {
        accountId: cfg.access.accountId,
        // The provider's docs render this as "self*hosted"; the API value has an underscore.
        type: "self_hosted",
        name: cfg.pipeline.project + " dev (" + host + ")",
        // `destinations` supersedes the deprecated selfHostedDomains; `domain` is the displayed primary
        // hostname. Both name the same host so there is nothing for Cloudflare to reconcile.
        domain: host,
        destinations: [{ type: "public", uri: host }],
        sessionDuration: cfg.access.sessionDuration,
        // Machine clients with a missing or wrong token get a 401 they can report, not a login page.
        serviceAuth401Redirect: true,
        appLauncherVisible: false,
        httpOnlyCookieAttribute: true,
        sameSiteCookieAttribute: "lax",
        policies: [
            { id: policies.serviceToken, precedence: SERVICE_TOKEN_PRECEDENCE },
            { id: policies.trusted, precedence: TRUSTED_PRECEDENCE },
        ],
    };
}

/** One application per protected hostname, keyed by the hostname itself (unique, and valid in a resource name). */
export function buildApplications(
    cfg: StackConfig,
    policies: AccessPolicyIds,
): { key: string; host: string; args: cloudflare.ZeroTrustAccessApplicationArgs }[] {
    return selectProtectedHostnames(cfg).map((host) => ({
        key: host,
        host,
        args: buildApplicationArgs(cfg, host, policies),
    }));
}
