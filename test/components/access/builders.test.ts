/**
 * The pure builders: what each Cloudflare and GitHub resource is declared with, and the OnePasswordItem
 * validated against the pinned 1Password CRD.
 */
import assert from "node:assert/strict";
import {
    buildApplications,
    buildServiceTokenArgs,
    buildServiceTokenPolicyArgs,
    buildTrustedIncludes,
    buildTrustedPolicyArgs,
} from "../../../components/access/cloudflare";
import { buildBranchRulesetArgs, buildDeployFilesRulesetArgs } from "../../../components/access/repoRules";
import {
    buildDeployKeyArgs,
    buildDeployKeyItemArgs,
    buildGitCredentialItem,
    buildInstallationRepositoriesArgs,
} from "../../../components/access/gitCredential";
import { buildAccessTokenSecret, buildActionsSecrets } from "../../../components/access/tokenSecrets";
import { validateStackConfig, type StackConfig } from "../../../components/config";
import type { TrustedRule } from "../../../components/config/access";
import { selectKargoGitUrl, toSshUrl } from "../../../components/config/gitops";
import { ACCESS_CLIENT_ID_KEY, ACCESS_CLIENT_SECRET_KEY } from "../../../components/core/names";
import { baseRaw, loadRegistry, merged } from "./support";
import { isCredentialMode } from "../../../components/config/gitCredential";

function configWith(patch: Record<string, unknown> = {}): StackConfig {
    return validateStackConfig(merged(baseRaw(), patch));
}

const DEPLOY_KEY_MODE = {
    gitCredential: { mode: "deploy-key", deployKey: { vaultUuid: "abcdefghijklmnopqrstuvwxyz" } },
};

describe("access builders", () => {
    const includeCases: [TrustedRule, unknown][] = [
        [{ email: "joe@acme.dev" }, { email: { email: "joe@acme.dev" } }],
        [{ emailDomain: "acme.dev" }, { emailDomain: { domain: "acme.dev" } }],
        [
            { group: "0123456789abcdef0123456789abcdef" },
            { group: { id: "0123456789abcdef0123456789abcdef" } },
        ],
    ];
    for (const [rule, include] of includeCases) {
        it(`maps the trusted rule ${JSON.stringify(rule)} to Cloudflare's include shape`, () => {
            assert.deepEqual(buildTrustedIncludes([rule]), [include]);
        });
    }

    it("refuses `everyone` even when handed an unvalidated rule", () => {
        assert.throws(() => buildTrustedIncludes([{ everyone: {} }]), /would make the dev origin public/);
    });

    it("lets the trusted people in with `allow` and the configured session length", () => {
        const args = buildTrustedPolicyArgs(configWith());
        assert.equal(args.decision, "allow");
        assert.equal(args.sessionDuration, "24h");
        assert.deepEqual(args.includes, [
            { emailDomain: { domain: "acme.dev" } },
            { email: { email: "joe@acme.dev" } },
        ]);
    });

    it("lets machines in with `non_identity` and that one token only", () => {
        const args = buildServiceTokenPolicyArgs(configWith(), "token-id");
        assert.equal(args.decision, "non_identity");
        assert.deepEqual(args.includes, [{ serviceToken: { tokenId: "token-id" } }]);
    });

    it("rotates the token through clientSecretVersion and keeps the old secret until the given time", () => {
        const args = buildServiceTokenArgs(
            configWith({
                access: {
                    serviceToken: {
                        clientSecretVersion: 2,
                        previousClientSecretExpiresAt: "2026-12-01T12:00:00Z",
                    },
                },
            }),
        );
        assert.equal(args.clientSecretVersion, 2);
        assert.equal(args.previousClientSecretExpiresAt, "2026-12-01T12:00:00Z");
        assert.equal(args.name, "monolith-release-dev-verification");
    });

    it("sends neither half of the rotation pair before the first rotation", () => {
        const args = buildServiceTokenArgs(configWith());
        assert.equal("clientSecretVersion" in args, false);
        assert.equal("previousClientSecretExpiresAt" in args, false);
    });

    it("refuses to build a token with half the rotation pair, even from an unvalidated config", () => {
        const cfg = configWith();
        const half = {
            ...cfg,
            access: { ...cfg.access, serviceToken: { ...cfg.access.serviceToken, clientSecretVersion: 3 } },
        };
        assert.throws(
            () => buildServiceTokenArgs(half),
            /access.serviceToken.clientSecretVersion is set without previousClientSecretExpiresAt/,
        );
    });

    it("puts one self-hosted application with both policies in front of every dev hostname", () => {
        const cfg = configWith({ verification: { devHostnames: ["dev.acme.dev", "public.dev.acme.dev"] } });
        const apps = buildApplications(cfg, { serviceToken: "machines", trusted: "people" });
        assert.deepEqual(
            apps.map((a) => a.host),
            ["dev.acme.dev", "public.dev.acme.dev"],
        );
        for (const app of apps) {
            assert.equal(app.args.type, "self_hosted");
            assert.equal(app.args.domain, app.host);
            assert.deepEqual(app.args.destinations, [{ type: "public", uri: app.host }]);
            assert.equal(app.args.serviceAuth401Redirect, true);
            assert.deepEqual(app.args.policies, [
                { id: "machines", precedence: 1 },
                { id: "people", precedence: 2 },
            ]);
        }
    });

    it("writes the token into the Secret the smoke check reads, under the keys it reads", () => {
        const cfg = configWith();
        const secret = buildAccessTokenSecret(cfg, { clientId: "id", clientSecret: "secret" });
        assert.equal(secret.metadata.name, cfg.verification.smoke.accessSecretName);
        assert.equal(secret.metadata.namespace, cfg.pipeline.project);
        assert.deepEqual(secret.stringData, {
            [ACCESS_CLIENT_ID_KEY]: "id",
            [ACCESS_CLIENT_SECRET_KEY]: "secret",
        });
    });

    it("sends the token to the GitOps repository's Actions secrets, or nowhere when turned off", () => {
        const token = { clientId: "id", clientSecret: "secret" };
        assert.deepEqual(buildActionsSecrets(configWith(), token), [
            { secretName: "CF_ACCESS_CLIENT_ID", repository: "platform", value: "id" },
            { secretName: "CF_ACCESS_CLIENT_SECRET", repository: "platform", value: "secret" },
        ]);
        assert.deepEqual(
            buildActionsSecrets(configWith({ access: { githubActions: { enabled: false } } }), token),
            [],
        );
    });

    it("labels the credential's OnePasswordItem for Kargo, in the project namespace, valid against the CRD", async () => {
        const cfg = configWith();
        const item = buildGitCredentialItem(cfg, "vaults/platform/items/kargo-github-app");
        assert.equal(item.metadata.namespace, cfg.pipeline.project);
        assert.equal(item.metadata.labels?.["kargo.akuity.io/cred-type"], "git");
        const registry = await loadRegistry();
        assert.deepEqual(registry.validateObject(item as never), []);
    });

    it("restricts the App installation to the GitOps repository alone", () => {
        const cfg = configWith();
        assert.ok(isCredentialMode(cfg, "github-app"));
        assert.deepEqual(buildInstallationRepositoriesArgs(cfg), {
            installationId: "58120388",
            selectedRepositories: ["platform"],
        });
    });

    it("requires pull requests on main; the Kargo App and the release App (chart-yaml on main) bypass", () => {
        const args = buildBranchRulesetArgs(configWith());
        assert.equal(args.target, "branch");
        assert.deepEqual(args.conditions, { refName: { includes: ["refs/heads/main"], excludes: [] } });
        assert.deepEqual(args.bypassActors, [
            { actorType: "Integration", actorId: 1043209, bypassMode: "always" },
            { actorType: "Integration", actorId: 1043251, bypassMode: "always" },
            { actorType: "User", actorId: 88412937, bypassMode: "always" },
        ]);
        assert.equal(
            (args.rules as { pullRequest: { requiredApprovingReviewCount: number } }).pullRequest
                .requiredApprovingReviewCount,
            1,
        );
    });

    it("keeps the deploy files writable by Kargo (and the bootstrap user) alone with a push ruleset (no refName conditions)", () => {
        const args = buildDeployFilesRulesetArgs(configWith());
        assert.equal(args.target, "push");
        assert.equal(args.conditions, undefined);
        assert.deepEqual(args.rules, { filePathRestriction: { restrictedFilePaths: ["deploy/**"] } });
        assert.deepEqual(args.bypassActors, [
            { actorType: "Integration", actorId: 1043209, bypassMode: "always" },
            { actorType: "User", actorId: 88412937, bypassMode: "always" },
        ]);
    });

    it("in deploy-key mode: a write-enabled key, DeployKey bypass, and the private half in a 1Password item", () => {
        const cfg = configWith(DEPLOY_KEY_MODE);
        assert.ok(isCredentialMode(cfg, "deploy-key"));
        assert.deepEqual(buildDeployKeyArgs(cfg, "ssh-ed25519 AAAA"), {
            repository: "platform",
            title: "kargo promotions (write)",
            key: "ssh-ed25519 AAAA",
            readOnly: false,
        });
        assert.deepEqual(buildBranchRulesetArgs(cfg).bypassActors, [
            { actorType: "DeployKey", bypassMode: "always" },
            { actorType: "Integration", actorId: 1043251, bypassMode: "always" },
            { actorType: "User", actorId: 88412937, bypassMode: "always" },
        ]);
        const item = buildDeployKeyItemArgs(cfg, "PRIVATE");
        assert.equal(item.vault, "abcdefghijklmnopqrstuvwxyz");
        assert.deepEqual(item.sections, [
            {
                label: "kargo",
                fields: [
                    { label: "repoURL", type: "STRING", value: "ssh://git@github.com/acme/platform.git" },
                    { label: "sshPrivateKey", type: "CONCEALED", value: "PRIVATE" },
                ],
            },
        ]);
        assert.equal(toSshUrl({ owner: "acme", repo: "platform" }), "ssh://git@github.com/acme/platform.git");
        assert.equal(selectKargoGitUrl(cfg), "ssh://git@github.com/acme/platform.git");
        assert.equal(selectKargoGitUrl(configWith()), "https://github.com/acme/platform.git");
    });
});
