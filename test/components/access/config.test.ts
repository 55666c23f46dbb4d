/**
 * Config validation for `access` and `gitCredential`: each bad input is refused with its own message (and
 * only that message), and the defaults are the safe ones.
 */
import assert from "node:assert/strict";
import { validateStackConfig } from "../../../components/config";
import {
    isSshRemoved,
    parseGithubRepo,
    selectProtectedHostnames,
} from "../../../components/config/accessChecks";
import { baseRaw, merged, problemsOf } from "./support";

const K = "release-pipeline:";
const GITHUB_APP = { appId: 1043209, installationId: 58120388 };
const DEPLOY_KEY = { vaultUuid: "abcdefghijklmnopqrstuvwxyz" };

interface Case {
    readonly name: string;
    /** Sections merged into the prod stack's config (arrays replace). */
    readonly patch: Record<string, unknown>;
    readonly problem: string;
}

const CASES: readonly Case[] = [
    {
        name: "a rotated clientSecretVersion without previousClientSecretExpiresAt (the provider's AlsoRequires)",
        patch: { access: { serviceToken: { clientSecretVersion: 2 } } },
        problem: `${K}access.serviceToken.clientSecretVersion: got 2; is set without previousClientSecretExpiresAt; the Cloudflare provider requires both together or neither (AlsoRequires); allowed: set previousClientSecretExpiresAt too (docs/runbooks.md, rotation)`,
    },
    {
        name: "previousClientSecretExpiresAt without clientSecretVersion",
        patch: { access: { serviceToken: { previousClientSecretExpiresAt: "2026-12-01T12:00:00Z" } } },
        problem: `${K}access.serviceToken.previousClientSecretExpiresAt: got "2026-12-01T12:00:00Z"; is set without clientSecretVersion; the Cloudflare provider requires both together or neither (AlsoRequires); allowed: set clientSecretVersion too (2 for the first rotation)`,
    },
    {
        name: "an `everyone` include",
        patch: { access: { trusted: [{ everyone: {} }] } },
        problem: `${K}access.trusted[0].everyone: got {}; an \`everyone\` include would make the dev origin public (ADR 009 Security); allowed: email, emailDomain or group`,
    },
    {
        name: "an `everyone` include next to a legitimate rule",
        patch: { access: { trusted: [{ email: "joe@acme.dev" }, { everyone: true }] } },
        problem: `${K}access.trusted[1].everyone: got true; an \`everyone\` include would make the dev origin public (ADR 009 Security); allowed: email, emailDomain or group`,
    },
    {
        name: "a public mail provider as trusted domain (everyone in disguise)",
        patch: { access: { trusted: [{ emailDomain: "gmail.com" }] } },
        problem: `${K}access.trusted[0].emailDomain: got "gmail.com"; is a public mail provider anyone can sign up with; allowed: a domain your organisation owns`,
    },
    {
        name: "no trusted rule at all",
        patch: { access: { trusted: [] } },
        problem: `${K}access.trusted: got []; expected at least one rule (email, emailDomain or group): an empty policy lets nobody in`,
    },
    {
        name: "two kinds in one rule",
        patch: { access: { trusted: [{ email: "joe@acme.dev", emailDomain: "acme.dev" }] } },
        problem: `${K}access.trusted[0]: got {"email":"joe@acme.dev","emailDomain":"acme.dev"}; expected exactly one of email, emailDomain or group per rule (list several rules instead)`,
    },
    {
        name: "a public dev hostname without an Access application",
        patch: {
            verification: { devHostnames: ["dev.acme.dev", "admin.dev.acme.dev"] },
            access: { hostnames: ["dev.acme.dev"] },
        },
        problem: `${K}verification.devHostnames[1]: got "admin.dev.acme.dev"; no Cloudflare Access application covers it, so the dev origin would be public; allowed: a hostname listed in access.hostnames (or leave access.hostnames unset)`,
    },
    {
        name: "a protected hostname outside the Cloudflare zone",
        patch: { access: { hostnames: ["dev.acme.dev", "dev.other.org"] } },
        problem: `${K}access.hostnames[1]: got "dev.other.org"; is not in the Cloudflare zone acme.dev (access.zone); allowed: acme.dev or a subdomain of it`,
    },
    {
        name: "a dev hostname outside the Cloudflare zone (Access cannot front it)",
        patch: { verification: { devHostnames: ["dev.acme.io"] } },
        problem: `${K}verification.devHostnames[0]: got "dev.acme.io"; is not in the Cloudflare zone acme.dev (access.zone); allowed: acme.dev or a subdomain of it`,
    },
    {
        name: "deploy-key (SSH) mode with Kargo 1.13.0",
        patch: {
            kargo: { chartVersion: "1.13.0" },
            gitCredential: { mode: "deploy-key", deployKey: DEPLOY_KEY },
        },
        problem: `${K}gitCredential.mode: got "deploy-key"; deploy-key is an SSH credential and Kargo 1.13.0 (kargo.chartVersion) no longer supports SSH credentials (removed in 1.13); allowed: github-app`,
    },
    {
        name: "deploy-key (SSH) mode with a 1.13 release candidate",
        patch: {
            kargo: { chartVersion: "1.13.0-rc.1" },
            gitCredential: { mode: "deploy-key", deployKey: DEPLOY_KEY },
        },
        problem: `${K}gitCredential.mode: got "deploy-key"; deploy-key is an SSH credential and Kargo 1.13.0-rc.1 (kargo.chartVersion) no longer supports SSH credentials (removed in 1.13); allowed: github-app`,
    },
    {
        name: "a git repository URL over SSH (scp style)",
        patch: { gitops: { repoURL: "git@github.com:acme/platform.git" } },
        problem: `${K}gitops.repoURL: got "git@github.com:acme/platform.git"; expected an HTTPS git URL such as https://github.com/acme/gitops.git (SSH and scp-style URLs are not allowed)`,
    },
    {
        name: "a git repository URL over SSH (ssh://)",
        patch: { gitops: { repoURL: "ssh://git@github.com/acme/platform.git" } },
        problem: `${K}gitops.repoURL: got "ssh://git@github.com/acme/platform.git"; expected an HTTPS git URL such as https://github.com/acme/gitops.git (SSH and scp-style URLs are not allowed)`,
    },
    {
        name: "an HTTPS repository that is not on github.com",
        patch: { gitops: { repoURL: "https://gitlab.com/acme/platform.git" } },
        problem: `${K}gitops.repoURL: got "https://gitlab.com/acme/platform.git"; Kargo's GitHub credential, the rulesets and the Actions secrets need a github.com repository; allowed: https://github.com/<owner>/<repo>.git`,
    },
    {
        name: "deploy-key mode without its key settings",
        patch: { gitCredential: { mode: "deploy-key" } },
        problem: `${K}gitCredential.deployKey: missing; required in deploy-key mode: { vaultUuid, itemTitle, title } (see docs/access.md)`,
    },
    {
        name: "an Access group given by name instead of id",
        patch: { access: { trusted: [{ group: "platform-team" }] } },
        problem: `${K}access.trusted[0].group: got "platform-team"; expected an Access group id: a UUID such as 6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f`,
    },
    {
        name: "a Cloudflare account id that is not one",
        patch: { access: { accountId: "acme" } },
        problem: `${K}access.accountId: got "acme"; expected a Cloudflare id: 32 lower-case hexadecimal characters`,
    },
    {
        name: "an Actions secret name GitHub reserves",
        patch: { access: { githubActions: { clientSecretSecretName: "GITHUB_CF_SECRET" } } },
        problem: `${K}access.githubActions.clientSecretSecretName: got "GITHUB_CF_SECRET"; expected an upper-case GitHub Actions secret name such as CF_ACCESS_CLIENT_ID (not starting with GITHUB_)`,
    },
    {
        name: "a service token duration Cloudflare does not take",
        patch: { access: { serviceToken: { duration: "1y" } } },
        problem: `${K}access.serviceToken.duration: got "1y"; expected a number of hours such as 8760h, or forever`,
    },
];

describe("access config", () => {
    for (const c of CASES) {
        it(`refuses ${c.name} with its own message`, () => {
            assert.deepEqual(problemsOf(merged(baseRaw(), c.patch)), [c.problem]);
        });
    }

    it("refuses github-app mode without the App's ids", () => {
        const raw = baseRaw();
        delete (raw.gitCredential as Record<string, unknown>).githubApp;
        assert.deepEqual(problemsOf(raw), [
            `${K}gitCredential.githubApp: missing; required in github-app mode: { appId, installationId, itemPath, restrictInstallation } (see docs/access.md)`,
        ]);
    });

    it("refuses a stack without an access section", () => {
        const raw = baseRaw();
        delete raw.access;
        const problems = problemsOf(raw);
        assert.equal(problems.length, 1);
        assert.match(problems[0], /^release-pipeline:access: /);
    });

    it("accepts deploy-key mode on Kargo 1.12, where SSH is deprecated but still works", () => {
        const raw = merged(baseRaw(), {
            kargo: { chartVersion: "1.12.4" },
            gitCredential: { mode: "deploy-key", deployKey: DEPLOY_KEY },
        });
        assert.equal(validateStackConfig(raw).gitCredential.mode, "deploy-key");
    });

    it("defaults to the safe choices", () => {
        const raw = merged(baseRaw(), {});
        raw.access = { accountId: "0".repeat(32), zone: "acme.dev", trusted: [{ emailDomain: "acme.dev" }] };
        raw.gitCredential = { githubApp: GITHUB_APP };
        const cfg = validateStackConfig(raw);
        assert.equal(cfg.gitCredential.mode, "github-app");
        assert.equal(cfg.gitCredential.secretName, "gitops-repo-credential");
        assert.equal(cfg.gitCredential.githubApp?.itemPath, "vaults/platform/items/kargo-github-app");
        assert.equal(cfg.gitCredential.githubApp?.restrictInstallation, true);
        assert.equal(cfg.gitCredential.branchRuleset.enabled, true);
        assert.equal(cfg.gitCredential.branchRuleset.requiredApprovals, 1);
        assert.equal(cfg.gitCredential.deployFilesRuleset.enabled, false);
        assert.equal(cfg.access.sessionDuration, "24h");
        // No rotation pair until the first rotation: the provider refuses one without the other.
        assert.deepEqual(cfg.access.serviceToken, { duration: "8760h" });
        assert.deepEqual(cfg.access.githubActions, {
            enabled: true,
            clientIdSecretName: "CF_ACCESS_CLIENT_ID",
            clientSecretSecretName: "CF_ACCESS_CLIENT_SECRET",
        });
        assert.deepEqual(selectProtectedHostnames(cfg), cfg.verification.devHostnames);
    });

    const versions: [string, boolean][] = [
        ["1.11.2", false],
        ["1.12.9", false],
        ["1.13.0-rc.1", true],
        ["1.13.0", true],
        ["2.0.0", true],
    ];
    for (const [version, removed] of versions) {
        it(`knows whether Kargo ${version} still reads SSH credentials`, () => {
            assert.equal(isSshRemoved(version), removed);
        });
    }

    const urls: [string, { owner: string; repo: string } | undefined][] = [
        ["https://github.com/acme/platform.git", { owner: "acme", repo: "platform" }],
        ["https://github.com/acme/platform", { owner: "acme", repo: "platform" }],
        ["https://github.com/acme/my.repo.git", { owner: "acme", repo: "my.repo" }],
        ["https://github.example.com/acme/platform.git", undefined],
        ["https://github.com/acme", undefined],
    ];
    for (const [url, expected] of urls) {
        it(`parses ${url}`, () => assert.deepEqual(parseGithubRepo(url), expected));
    }
});
