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

const githubAppFields = {
    appId: z
        .number()
        .int()
        .positive()
        .describe(
            'The App\'s numeric id (App settings → "App ID"); also the ruleset bypass actor. Not a secret.',
        ),
    installationId: z
        .number()
        .int()
        .positive()
        .describe(
            "The installation's numeric id (the number at the end of the installation's settings URL).",
        ),
    itemPath: onePasswordItemPath
        .prefault("vaults/platform/items/kargo-github-app")
        .describe(
            "1Password item holding the credential, with fields labelled exactly `repoURL`, `githubAppID` (or `githubAppClientID`), `githubAppPrivateKey` and `githubAppInstallationID` (docs/runbooks.md).",
        ),
    restrictInstallation: z
        .boolean()
        .prefault(true)
        .describe(
            "Manage the installation's repository list so it holds the GitOps repository and nothing else.",
        ),
};

const deployKeyFields = {
    vaultUuid: onePasswordUuid.describe(
        "Vault (UUID) the stack writes the generated private key into; the operator must be able to read it.",
    ),
    itemTitle: z
        .string()
        .regex(/^[^/]{1,100}$/, "expected a title without '/' (the operator splits item paths on '/')")
        .prefault("kargo-gitops-deploy-key")
        .describe("Title of the 1Password item the stack creates."),
    title: z
        .string()
        .min(1)
        .prefault("kargo promotions (write)")
        .describe("Title of the deploy key on GitHub."),
};

/** The settings of a mode's own section: required in that mode, saying what goes in it when missing. */
function requiredIn<T extends z.core.$ZodLooseShape>(mode: GitCredentialMode, fields: T) {
    const keys = Object.keys(fields).join(", ");
    return z.strictObject(fields, {
        error: (issue) =>
            issue.input === undefined
                ? `required in ${mode} mode: { ${keys} } (see docs/access.md)`
                : undefined,
    });
}

/** The other mode's section: accepted and ignored, so a stack can switch modes back and forth. */
const ignoredIn = <T extends z.core.$ZodLooseShape>(fields: T) => z.strictObject(fields).optional();

const secretName = dnsLabel
    .prefault("gitops-repo-credential")
    .describe(
        "Name of the OnePasswordItem in the project namespace, hence of the labelled Secret Kargo finds by `repoURL`.",
    );

/** What every mode shares after its own section: the rulesets on the GitOps repository. */
const rulesets = {
    branchRuleset: z
        .strictObject({
            enabled: z.boolean().prefault(true).describe("Declare the branch ruleset."),
            requiredApprovals: z
                .number()
                .int()
                .min(0)
                .max(10)
                .prefault(1)
                .describe("Approvals a pull request needs."),
        })
        .prefault({})
        .describe(
            "Ruleset on the GitOps branch: pull requests required; the deploy files' writer (Kargo, or the release App in bump-only) and the release App when it pushes there are the bypass actors.",
        ),
    deployFilesRuleset: z
        .strictObject({
            enabled: z.boolean().prefault(false).describe("Declare the deploy files' push ruleset."),
        })
        .prefault({})
        .describe(
            "Push ruleset keeping `<gitops.deployDir>/**` writable by the targetRevision writer alone (Kargo; the release App in bump-only). Off by default: push rulesets need a private or internal repository on GitHub Team or Enterprise Cloud.",
        ),
    bootstrapUserId: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe(
            "Numeric GitHub user id of the person whose token Pulumi uses (`github:token`; `gh api users/<login> --jq .id`): the bootstrap identity, a bypass actor of both rulesets, so the stack can commit the deploy files of a chart or stage added later (docs/access.md). The synth refuses a declared ruleset that would block a deploy file the stack commits.",
        ),
};

const MODE_DESCRIPTION =
    "How Kargo authenticates its promotion commits: `github-app` (the default) or `deploy-key` (SSH; deprecated by Kargo 1.10, refused from 1.13).";
const GITHUB_APP_DESCRIPTION =
    "The GitHub App installation scoped to the GitOps repository (ignored in deploy-key mode, so a stack can switch back).";
const DEPLOY_KEY_DESCRIPTION =
    "The write-enabled deploy key the stack generates (ignored in github-app mode).";

/** The default: a GitHub App installation scoped to the GitOps repository. */
const githubAppMode = z.strictObject({
    mode: z.literal("github-app").meta({ description: MODE_DESCRIPTION, default: "github-app" }),
    secretName,
    githubApp: requiredIn("github-app", githubAppFields).describe(GITHUB_APP_DESCRIPTION),
    deployKey: ignoredIn(deployKeyFields).describe(DEPLOY_KEY_DESCRIPTION),
    ...rulesets,
});

/** The opt-in: a write-enabled SSH deploy key (deprecated by Kargo 1.10, removed in 1.13). */
const deployKeyMode = z.strictObject({
    mode: z.literal("deploy-key").describe(MODE_DESCRIPTION),
    secretName,
    githubApp: ignoredIn(githubAppFields).describe(GITHUB_APP_DESCRIPTION),
    deployKey: requiredIn("deploy-key", deployKeyFields).describe(DEPLOY_KEY_DESCRIPTION),
    ...rulesets,
});

/**
 * The git credential, one shape per mode: the section a mode needs is required by the schema, so the
 * builders never meet a mode without its settings. `mode` defaults to github-app.
 */
export const gitCredentialSection = z
    .preprocess(
        (raw) =>
            raw !== null && typeof raw === "object" && !("mode" in raw)
                ? { ...raw, mode: "github-app" }
                : raw,
        z.discriminatedUnion("mode", [githubAppMode, deployKeyMode], {
            error: (issue) =>
                issue.code === "invalid_union"
                    ? `Invalid option: expected one of ${GIT_CREDENTIAL_MODES.map((m) => JSON.stringify(m)).join("|")}`
                    : undefined,
        }),
    )
    .prefault({})
    .describe(
        "How Kargo authenticates its promotion commits to the GitOps repository, and the repository rules around the deploy files (docs/access.md).",
    );

export type GitCredentialConfig = z.infer<typeof gitCredentialSection>;

/** A configuration whose git credential is in mode `M`: that mode's section is there, the schema says so. */
export type WithCredentialMode<
    C extends { readonly gitCredential: GitCredentialConfig },
    M extends GitCredentialMode,
> = C & {
    readonly gitCredential: Extract<GitCredentialConfig, { mode: M }>;
};

/**
 * Narrows a whole configuration by its credential mode, so a builder for one mode can take the config
 * and read that mode's section without a check (TypeScript narrows `cfg.gitCredential`, not `cfg`).
 */
export function isCredentialMode<
    C extends { readonly gitCredential: GitCredentialConfig },
    M extends GitCredentialMode,
>(cfg: C, mode: M): cfg is WithCredentialMode<C, M> {
    return cfg.gitCredential.mode === mode;
}

/** `cfg` with its credential replaced by `credential`: `cfg.gitCredential`, already narrowed by the caller. */
export function withCredential<
    C extends { readonly gitCredential: GitCredentialConfig },
    G extends GitCredentialConfig,
>(cfg: C, credential: G): C & { readonly gitCredential: G } {
    return { ...cfg, gitCredential: credential };
}
