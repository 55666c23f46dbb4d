/**
 * The DevAccess and KargoGitCredential components inside the real program (index.ts), under the recording
 * mock runtime: Access in front of every dev hostname, the token reaching both consumers as secrets, and
 * the credential flowing 1Password → OnePasswordItem → labelled Secret, valid against the pinned CRD.
 */
import assert from "node:assert/strict";
import { validateStackConfig, readRawConfig } from "../../../components/config";
import { isReleaseOnGitopsBranch } from "../../../components/config/chartRelease";
import type { ResourceRecord, RunResult } from "../../../offline/runtime/mockRuntime";
import { REDACTED } from "../../../offline/runtime/mockRuntime";
import { loadStackFile } from "../../../offline/runtime/synth";
import { ITEM_UUID, PUBLIC_KEY, SECRET_PROVIDER_CONFIG, loadRegistry, runWith } from "./support";

const T = {
    app: "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication",
    policy: "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy",
    token: "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken",
    secret: "kubernetes:core/v1:Secret",
    actionsSecret: "github:index/actionsSecret:ActionsSecret",
    installation: "github:index/appInstallationRepositories:AppInstallationRepositories",
    ruleset: "github:index/repositoryRuleset:RepositoryRuleset",
    deployKey: "github:index/repositoryDeployKey:RepositoryDeployKey",
    privateKey: "tls:index/privateKey:PrivateKey",
    opItem: "onepassword:index/item:Item",
    opi: "kubernetes:onepassword.com/v1:OnePasswordItem",
    namespace: "kubernetes:core/v1:Namespace",
    template: "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate",
} as const;

const ofType = (run: RunResult, type: string) => run.resources.filter((r) => r.type === type && !r.read);
const one = (run: RunResult, type: string, name?: string): ResourceRecord => {
    const found = ofType(run, type).filter((r) => !name || r.name === name);
    assert.equal(found.length, 1, `expected one ${type}${name ? " " + name : ""}, found ${found.length}`);
    return found[0];
};
const configOf = (stack: "dev" | "prod") => validateStackConfig(readRawConfig(loadStackFile(stack).config));

for (const stack of ["dev", "prod"] as const) {
    describe(`dev access and git credential in stack ${stack} (mock runtime)`, () => {
        const cfg = configOf(stack);
        let run: RunResult;
        before(async () => {
            run = await runWith(stack);
        });

        it("puts a self-hosted Access application with both policies in front of every dev hostname", () => {
            const apps = ofType(run, T.app);
            assert.deepEqual(
                apps.map((a) => a.inputs.domain).sort(),
                [...cfg.verification.devHostnames].sort(),
            );
            const machines = one(run, T.policy, "dev-access-machines");
            const people = one(run, T.policy, "dev-access-trusted");
            for (const app of apps) {
                assert.equal(app.inputs.type, "self_hosted");
                assert.equal(app.inputs.serviceAuth401Redirect, true);
                assert.deepEqual(app.inputs.policies, [
                    { id: machines.name + "-id", precedence: 1 },
                    { id: people.name + "-id", precedence: 2 },
                ]);
                assert.ok(app.dependencies.includes(machines.urn) && app.dependencies.includes(people.urn));
            }
        });

        it("lets in the service token (non_identity, that token only) and the trusted people (allow), never everyone", () => {
            const token = one(run, T.token);
            const machines = one(run, T.policy, "dev-access-machines");
            assert.equal(machines.inputs.decision, "non_identity");
            assert.deepEqual(machines.inputs.includes, [{ serviceToken: { tokenId: token.name + "-id" } }]);
            assert.equal(one(run, T.policy, "dev-access-trusted").inputs.decision, "allow");
            for (const policy of ofType(run, T.policy)) {
                assert.ok(
                    !JSON.stringify(policy.inputs).includes("everyone"),
                    `${policy.name} includes everyone`,
                );
            }
            // Before any rotation neither half of the provider's AlsoRequires pair is sent.
            assert.equal("clientSecretVersion" in token.inputs, false);
            assert.equal("previousClientSecretExpiresAt" in token.inputs, false);
        });

        it("writes the token into the Secret the smoke AnalysisTemplate reads, as secrets, after the namespace", () => {
            const secret = one(run, T.secret);
            const metadata = secret.inputs.metadata as { name: string; namespace: string };
            assert.equal(metadata.name, cfg.verification.smoke.accessSecretName);
            assert.equal(metadata.namespace, cfg.pipeline.project);
            assert.equal(secret.inputs.stringData, REDACTED);
            const ns = ofType(run, T.namespace).find(
                (n) => (n.inputs.metadata as { name: string }).name === cfg.pipeline.project,
            );
            assert.ok(
                ns && secret.dependencies.includes(ns.urn),
                "the Secret waits for the project namespace",
            );
            const smoke = ofType(run, T.template).find(
                (t) => (t.inputs.metadata as { name: string }).name === "smoke",
            );
            const args = (
                smoke?.inputs.spec as { args: { valueFrom?: { secretKeyRef?: { name: string } } }[] }
            ).args;
            const refs = args.flatMap((a) =>
                a.valueFrom?.secretKeyRef ? [a.valueFrom.secretKeyRef.name] : [],
            );
            assert.deepEqual(refs, [metadata.name, metadata.name]);
        });

        it("gives CI the token as GitHub Actions secrets whose values are secrets", () => {
            const secrets = ofType(run, T.actionsSecret);
            assert.deepEqual(secrets.map((s) => s.inputs.secretName).sort(), [
                "CF_ACCESS_CLIENT_ID",
                "CF_ACCESS_CLIENT_SECRET",
            ]);
            for (const s of secrets) {
                assert.equal(s.inputs.value, REDACTED);
                assert.equal(s.inputs.plaintextValue, undefined);
            }
        });

        it("exports the client id only as a secret, and the audience tag of every application", () => {
            assert.equal(run.outputs.devAccessClientId, REDACTED);
            assert.deepEqual(
                Object.keys(run.outputs.devAccessAudiences as object).sort(),
                [...cfg.verification.devHostnames].sort(),
            );
        });

        it("yields Kargo's credential from 1Password: a labelled OnePasswordItem in the project namespace", async () => {
            const item = one(run, T.opi, "kargo-git-item");
            const obj = item.inputs as {
                metadata: { namespace: string; labels: Record<string, string> };
                spec: unknown;
            };
            assert.equal(obj.metadata.namespace, cfg.pipeline.project);
            assert.equal(obj.metadata.labels["kargo.akuity.io/cred-type"], "git");
            assert.deepEqual(obj.spec, { itemPath: cfg.gitCredential.githubApp?.itemPath });
            const registry = await loadRegistry();
            for (const opi of ofType(run, T.opi)) {
                assert.deepEqual(registry.validateObject(opi.inputs as never), [], opi.name);
            }
        });

        it("restricts the App installation to the GitOps repository and lets only the App (and the bootstrap user) bypass the rules", () => {
            assert.deepEqual(one(run, T.installation).inputs.selectedRepositories, [
                cfg.gitops.repoURL.replace(/^.*\/([^/]+?)(\.git)?$/, "$1"),
            ]);
            const rulesets = ofType(run, T.ruleset);
            assert.equal(rulesets.length, cfg.gitCredential.deployFilesRuleset.enabled ? 2 : 1);
            for (const r of rulesets) {
                // The release App bypasses the branch ruleset only, and only when the release commits to it.
                const release = r.inputs.target === "branch" && isReleaseOnGitopsBranch(cfg);
                assert.deepEqual(r.inputs.bypassActors, [
                    {
                        actorType: "Integration",
                        actorId: cfg.gitCredential.githubApp?.appId,
                        bypassMode: "always",
                    },
                    ...(release
                        ? [
                              {
                                  actorType: "Integration",
                                  actorId: cfg.chartRelease.githubApp?.appId,
                                  bypassMode: "always",
                              },
                          ]
                        : []),
                    // The bootstrap identity: the stack commits deploy files added later (repoRules.ts).
                    { actorType: "User", actorId: cfg.gitCredential.bootstrapUserId, bypassMode: "always" },
                ]);
            }
            assert.equal(ofType(run, T.deployKey).length, 0);
        });
    });
}

describe("deploy-key mode (explicit opt-in, mock runtime)", () => {
    let run: RunResult;
    before(async () => {
        run = await runWith("prod", {
            gitCredential: {
                mode: "deploy-key",
                deployKey: { vaultUuid: "abcdefghijklmnopqrstuvwxyz" },
                branchRuleset: { enabled: true },
                deployFilesRuleset: { enabled: true },
            },
        });
    });

    it("generates an ED25519 key and registers its public half as a write-enabled deploy key", () => {
        assert.equal(one(run, T.privateKey).inputs.algorithm, "ED25519");
        const key = one(run, T.deployKey);
        assert.equal(key.inputs.key, PUBLIC_KEY);
        assert.equal(key.inputs.readOnly, false);
    });

    it("stores the private half only in 1Password, as a secret, and points the OnePasswordItem at it", () => {
        const item = one(run, T.opItem);
        assert.deepEqual(item.inputs.sections, [
            {
                label: "kargo",
                fields: [
                    { label: "repoURL", type: "STRING", value: "ssh://git@github.com/acme/platform.git" },
                    { label: "sshPrivateKey", type: "CONCEALED", value: REDACTED },
                ],
            },
        ]);
        assert.equal(item.inputs.vault, "abcdefghijklmnopqrstuvwxyz");
        const opi = one(run, T.opi, "kargo-git-item").inputs as { spec: { itemPath: string } };
        assert.equal(opi.spec.itemPath, "vaults/abcdefghijklmnopqrstuvwxyz/items/" + ITEM_UUID);
        assert.equal(ofType(run, T.installation).length, 0);
    });

    it("lets the deploy key (and only deploy keys) bypass both rulesets, created after the key", () => {
        const key = one(run, T.deployKey);
        for (const r of ofType(run, T.ruleset)) {
            // prod commits its releases to main: the release App bypasses the branch ruleset too.
            const release =
                r.inputs.target === "branch"
                    ? [{ actorType: "Integration", actorId: 1043251, bypassMode: "always" }]
                    : [];
            assert.deepEqual(r.inputs.bypassActors, [
                { actorType: "DeployKey", bypassMode: "always" },
                ...release,
            ]);
            assert.ok(r.dependencies.includes(key.urn));
        }
    });
});

describe("dev access in a preview (outputs of new resources unknown)", () => {
    it("declares the same Access and credential resources, and never shows the unknown values", async () => {
        const run = await runWith("prod", {}, SECRET_PROVIDER_CONFIG, true);
        for (const type of [T.token, T.app, T.secret, T.opi, T.ruleset, T.installation]) {
            assert.ok(ofType(run, type).length > 0, type);
        }
        assert.equal(run.outputs.devAccessClientId, REDACTED);
        assert.equal(one(run, T.secret).inputs.stringData, REDACTED);
    });
});
