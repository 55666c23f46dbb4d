/**
 * Config section `access`: Cloudflare Access in front of the dev stage (ADR 009 "Security": the dev origin is
 * never public). People get in through the `trusted` rules; machines (CI, the smoke check) through one
 * service token. Cross-section checks (every dev hostname covered, hostnames inside the zone) live in
 * ./index.ts.
 */
import { z } from "zod";
import { duration, hostname } from "./common";
import { isPublicMailDomain } from "./checks/publicMailDomains";

/** Cloudflare account ids are 32 lower-case hex characters; ids are not secrets. */
const cloudflareId = z
    .string()
    .regex(/^[0-9a-f]{32}$/, "expected a Cloudflare id: 32 lower-case hexadecimal characters");

/** Zero Trust object ids (Access groups) are UUIDs; the API also shows them as 32 bare hex characters. */
const accessGroupId = z
    .string()
    .regex(
        /^([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
        "expected an Access group id: a UUID such as 6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    );

/** GitHub Actions secret names: letters, digits and '_', not starting with a digit or GITHUB_. */
const actionsSecretName = z
    .string()
    .regex(
        /^(?!GITHUB_)[A-Z_][A-Z0-9_]*$/,
        "expected an upper-case GitHub Actions secret name such as CF_ACCESS_CLIENT_ID (not starting with GITHUB_)",
    );

/**
 * The Cloudflare provider refuses one of `client_secret_version` and `previous_client_secret_expires_at`
 * without the other: terraform-provider-cloudflare v5, internal/services/zero_trust_access_service_token/
 * schema.go ResourceSchema, where each attribute carries an `AlsoRequires` validator naming the other. A
 * value left out is null in the config, so the validator passes only when both are set or both unset.
 * Unset-after-set is no way back either: `client_secret_version` then plans its default 1, which is itself
 * a rotation. Hence: neither until the first rotation, both from then on (docs/runbooks.md).
 */
export function findSecretRotationProblem(token: {
    readonly clientSecretVersion?: unknown;
    readonly previousClientSecretExpiresAt?: unknown;
}): { key: "clientSecretVersion" | "previousClientSecretExpiresAt"; message: string } | undefined {
    const version = token.clientSecretVersion !== undefined;
    const expires = token.previousClientSecretExpiresAt !== undefined;
    if (version && !expires) {
        return {
            key: "clientSecretVersion",
            message:
                "is set without previousClientSecretExpiresAt; the Cloudflare provider requires both together or neither (AlsoRequires); allowed: set previousClientSecretExpiresAt too (docs/runbooks.md, rotation)",
        };
    }
    if (expires && !version) {
        return {
            key: "previousClientSecretExpiresAt",
            message:
                "is set without clientSecretVersion; the Cloudflare provider requires both together or neither (AlsoRequires); allowed: set clientSecretVersion too (2 for the first rotation)",
        };
    }
    return undefined;
}

export const EVERYONE_MESSAGE =
    "an `everyone` include would make the dev origin public (ADR 009 Security); allowed: email, emailDomain or group";

/**
 * One include rule of the trusted-people policy, in Cloudflare's own one-key-per-rule shape. `everyone` is
 * listed only so that it is refused with its own message rather than as an unknown key.
 */
export const trustedRule = z
    .strictObject({
        email: z
            .string()
            .email("expected one e-mail address such as joe@acme.dev")
            .optional()
            .describe("One person's address."),
        emailDomain: hostname
            .refine((d) => !isPublicMailDomain(d), {
                message:
                    "is a public mail provider anyone can sign up with; allowed: a domain your organisation owns",
            })
            .optional()
            .describe("Everyone with an address in this (organisation-owned) domain."),
        group: accessGroupId.optional().describe("An Access group id (Zero Trust → Access → Access groups)."),
        everyone: z
            .unknown()
            .optional()
            .describe(
                "Refused with its own message: an `everyone` include would make the dev origin public.",
            ),
    })
    .superRefine((rule, ctx) => {
        if ("everyone" in rule) {
            ctx.addIssue({ code: "custom", path: ["everyone"], message: EVERYONE_MESSAGE });
            return;
        }
        const kinds = (["email", "emailDomain", "group"] as const).filter((k) => rule[k] !== undefined);
        if (kinds.length !== 1) {
            ctx.addIssue({
                code: "custom",
                message:
                    "expected exactly one of email, emailDomain or group per rule (list several rules instead)",
            });
        }
    });
export type TrustedRule = z.infer<typeof trustedRule>;

export const accessSection = z
    .strictObject(
        {
            accountId: cloudflareId.describe(
                "Cloudflare account owning the Zero Trust organisation (32 hex characters; not a secret); reusable policies are account-scoped.",
            ),
            zone: hostname.describe(
                "DNS zone (proxied through Cloudflare) every protected hostname belongs to, e.g. acme.dev.",
            ),
            hostnames: z
                .array(hostname)
                .min(1, "expected at least one hostname")
                .optional()
                .describe(
                    "Hostnames to put behind Access, one self-hosted application each. Unset: exactly `verification.devHostnames`. When set, it must still cover every dev hostname.",
                ),
            trusted: z
                .array(trustedRule)
                .min(
                    1,
                    "expected at least one rule (email, emailDomain or group): an empty policy lets nobody in",
                )
                .describe("Who may open the dev stage in a browser (OR-ed). Never `everyone`."),
            sessionDuration: duration
                .prefault("24h")
                .describe("How long a browser session lasts before Access asks again."),
            serviceToken: z
                .strictObject({
                    name: z
                        .string()
                        .min(1)
                        .max(100)
                        .optional()
                        .describe("Name shown in Zero Trust; unset: `<project>-dev-verification`."),
                    duration: z
                        .string()
                        .regex(
                            /^(forever|[1-9][0-9]*h)$/,
                            "expected a number of hours such as 8760h, or forever",
                        )
                        .prefault("8760h")
                        .describe(
                            "Token lifetime: a duration in hours such as 8760h (Cloudflare's default), or `forever`.",
                        ),
                    clientSecretVersion: z
                        .number()
                        .int()
                        .min(1)
                        .optional()
                        .describe(
                            "Unset until the first rotation (Cloudflare's version 1); a rotation sets it to 2, then 3…, always together with previousClientSecretExpiresAt (docs/runbooks.md, rotation).",
                        ),
                    previousClientSecretExpiresAt: z
                        .string()
                        .regex(
                            /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/,
                            "expected an RFC 3339 UTC time such as 2026-12-01T12:00:00Z",
                        )
                        .optional()
                        .describe(
                            "Until when the previous secret keeps working (RFC 3339, UTC); set with every clientSecretVersion and kept afterwards (a past time is harmless).",
                        ),
                })
                .superRefine((token, ctx) => {
                    const problem = findSecretRotationProblem(token);
                    if (problem)
                        ctx.addIssue({ code: "custom", path: [problem.key], message: problem.message });
                })
                .prefault({})
                .describe("The one service token machines (the smoke check, CI) pass Access with."),
            githubActions: z
                .strictObject({
                    enabled: z
                        .boolean()
                        .prefault(true)
                        .describe("Write the token's client id and secret to GitHub Actions secrets."),
                    repository: z
                        .string()
                        .regex(/^[A-Za-z0-9._-]+$/, "expected a repository name (no owner) such as platform")
                        .optional()
                        .describe(
                            "Repository (same owner as gitops.repoURL) whose CI gets the secrets; unset: the GitOps repo.",
                        ),
                    clientIdSecretName: actionsSecretName
                        .prefault("CF_ACCESS_CLIENT_ID")
                        .describe("Actions secret holding the client id."),
                    clientSecretSecretName: actionsSecretName
                        .prefault("CF_ACCESS_CLIENT_SECRET")
                        .describe("Actions secret holding the client secret."),
                })
                .prefault({})
                .describe("The token also goes to GitHub Actions secrets so CI can reach dev."),
        },
        {
            // No default can stand in for an account and its people: a missing section says what to set.
            error: (issue) =>
                issue.input === undefined
                    ? "required: { accountId, zone, trusted } (see docs/access.md)"
                    : undefined,
        },
    )
    .describe(
        "Cloudflare Access in front of every dev hostname, and the service token machines use (docs/access.md).",
    );

export type AccessConfig = z.infer<typeof accessSection>;
