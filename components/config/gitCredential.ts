/**
 * Config section `gitCredential`: how Kargo authenticates its promotion commits to the GitOps repository
 * (ADR 009 "Security": scoped to that one repo, kept in 1Password, never hardcoded). The default is a GitHub
 * App installation; a write-enabled deploy key is an explicit opt-in that ./index.ts refuses once the
 * pinned Kargo no longer supports SSH credentials (1.13).
 */
import { z } from "zod";
import { dnsLabel, onePasswordItemPath } from "./common";

export const GIT_CREDENTIAL_MODES = ["github-app", "deploy-key"] as const;
export type GitCredentialMode = (typeof GIT_CREDENTIAL_MODES)[number];

/** 1Password vault and item UUIDs: 26 lower-case letters and digits. */
const onePasswordUuid = z
    .string()
    .regex(
        /^[a-z0-9]{26}$/,
        "expected a 1Password vault UUID: 26 lower-case letters and digits (op vault list)",
    );

const githubAppSection = z.strictObject({
    /** The App's numeric id (App settings → "App ID"); also the ruleset bypass actor. Not a secret. */
    appId: z.number().int().positive(),
    /** The installation's numeric id (the number at the end of the installation's settings URL). */
    installationId: z.number().int().positive(),
    /**
     * 1Password item holding the credential, with fields labelled exactly `repoURL`, `githubAppID` (or
     * `githubAppClientID`), `githubAppPrivateKey` and `githubAppInstallationID` (see README).
     */
    itemPath: onePasswordItemPath.prefault("vaults/platform/items/kargo-github-app"),
    /** Manage the installation's repository list so it holds the GitOps repository and nothing else. */
    restrictInstallation: z.boolean().prefault(true),
});

const deployKeySection = z.strictObject({
    /** Vault (UUID) the stack writes the generated private key into; the operator must be able to read it. */
    vaultUuid: onePasswordUuid,
    /** Title of the 1Password item the stack creates. */
    itemTitle: z
        .string()
        .regex(/^[^/]{1,100}$/, "expected a title without '/' (the operator splits item paths on '/')")
        .prefault("kargo-gitops-deploy-key"),
    /** Title of the deploy key on GitHub. */
    title: z.string().min(1).prefault("kargo promotions (write)"),
});

export const gitCredentialSection = z
    .strictObject({
        /** github-app (default) or deploy-key (SSH; deprecated by Kargo 1.10, removed in 1.13). */
        mode: z.enum(GIT_CREDENTIAL_MODES).prefault("github-app"),
        /** Name of the OnePasswordItem, hence of the labelled Secret Kargo finds by `repoURL`. */
        secretName: dnsLabel.prefault("gitops-repo-credential"),
        /** Required in github-app mode. */
        githubApp: githubAppSection.optional(),
        /** Required in deploy-key mode. */
        deployKey: deployKeySection.optional(),
        /** Ruleset on the GitOps branch: pull requests required, Kargo the one bypass actor. */
        branchRuleset: z
            .strictObject({
                enabled: z.boolean().prefault(true),
                requiredApprovals: z.number().int().min(0).max(10).prefault(1),
            })
            .prefault({}),
        /**
         * Push ruleset keeping `<gitops.deployDir>/**` writable by Kargo alone. Off by default: push rulesets
         * need a private or internal repository on GitHub Team or Enterprise Cloud.
         */
        deployFilesRuleset: z.strictObject({ enabled: z.boolean().prefault(false) }).prefault({}),
    })
    .superRefine((cfg, ctx) => {
        if (cfg.mode === "github-app" && !cfg.githubApp) {
            ctx.addIssue({
                code: "custom",
                input: cfg.mode,
                path: ["mode"],
                message: "needs gitCredential.githubApp: { appId, installationId, itemPath } (see README)",
            });
        }
        if (cfg.mode === "deploy-key" && !cfg.deployKey) {
            ctx.addIssue({
                code: "custom",
                input: cfg.mode,
                path: ["mode"],
                message: "needs gitCredential.deployKey: { vaultUuid, itemTitle, title } (see README)",
            });
        }
    })
    .prefault({});

export type GitCredentialConfig = z.infer<typeof gitCredentialSection>;
