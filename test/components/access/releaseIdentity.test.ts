/**
 * Issue 9, defect 6: the branch ruleset on the GitOps branch and the post-merge release must agree. With
 * versionSource chart-yaml the release pushes a commit to that branch; it can only land when the identity
 * chart-release.yml pushes as (a GitHub App token, minted with actions/create-github-app-token from the App's
 * client ID, which the application repository's caller passes from a repository variable) is a bypass actor of
 * the ruleset the stack declares.
 */
import { strict as assert } from "node:assert";
import type { StackConfig } from "../../../components/config";
import { buildBranchRulesetArgs } from "../../../components/access/repoRules";
import { isReleaseOnGitopsBranch } from "../../../components/config/chartRelease";
import { STACKS } from "../../../offline/runtime/synth";
import { stackConfig } from "../../support/config";
import { exampleNamed, workflowNamed, type Job, type Step } from "../../support/workflows";
import { baseRaw, problemsOf } from "./support";

/**
 * The identity chart-release.yml pushes as, seen through the example caller: the repository variable it passes
 * as the App's client ID and the secret it passes as its private key, provided the release job's token step
 * takes exactly those inputs and its token reaches git in the Release step (and only there: the checkout keeps
 * no credentials). Undefined when the push would go out with the workflow's own GITHUB_TOKEN.
 */
function findPushIdentity(
    caller: Job,
    steps: readonly Step[],
): { clientIdVariable: string; privateKeySecret: string } | undefined {
    const token = steps.find((s) => s.uses?.startsWith("actions/create-github-app-token@"));
    const release = steps.find((s) => s.name === "Release");
    if (!token || !release) return undefined;
    // The expression the Release step must read the token from, built without a template literal (lint rule).
    const tokenExpression = "${{ steps." + String(token.id) + ".outputs.token }}";
    if (release.env?.RELEASE_TOKEN !== tokenExpression) return undefined;
    if (!String(release.run).includes('"$RELEASE_TOKEN"')) return undefined;
    if (token.with?.["client-id"] !== "${{ inputs.release-app-client-id }}") return undefined;
    if (token.with?.["private-key"] !== "${{ secrets.RELEASE_APP_PRIVATE_KEY }}") return undefined;
    const clientId = /^\$\{\{ vars\.([A-Z0-9_]+) \}\}$/.exec(String(caller.with?.["release-app-client-id"]));
    const secrets = caller.secrets === "inherit" ? {} : (caller.secrets ?? {});
    const key = /^\$\{\{ secrets\.([A-Z0-9_]+) \}\}$/.exec(String(secrets.RELEASE_APP_PRIVATE_KEY));
    return clientId && key ? { clientIdVariable: clientId[1], privateKeySecret: key[1] } : undefined;
}

const caller = exampleNamed("charts.yml").jobs.release;
const steps = workflowNamed("chart-release.yml").jobs.release.steps ?? [];

function bypassAppIds(cfg: StackConfig): unknown[] {
    const actors = (buildBranchRulesetArgs(cfg).bypassActors ?? []) as {
        actorType: string;
        actorId?: unknown;
    }[];
    return actors.filter((a) => a.actorType === "Integration").map((a) => a.actorId);
}

describe("release identity: branch ruleset + chart-release.yml + versionSource agree", () => {
    it("chart-release.yml pushes the release with a GitHub App token, not GITHUB_TOKEN", () => {
        assert.deepEqual(findPushIdentity(caller, steps), {
            clientIdVariable: "CHART_RELEASE_APP_CLIENT_ID",
            privateKeySecret: "CHART_RELEASE_APP_PRIVATE_KEY",
        });
        // The commit is authored by the App's bot user, named by the same token step.
        const identity = steps.find((s) => s.run?.includes("git config user.email"));
        assert.equal(identity?.env?.APP_SLUG, "${{ steps.release-app.outputs.app-slug }}");
    });

    const broken: [string, (s: Step) => Step][] = [
        [
            "a Release step without the App token",
            (s) => (s.name === "Release" ? { ...s, env: { ...s.env, RELEASE_TOKEN: undefined } } : s),
        ],
        [
            "a token step with the deprecated app-id",
            (s) =>
                s.uses?.startsWith("actions/create-github-app-token@")
                    ? {
                          ...s,
                          with: {
                              ...s.with,
                              "client-id": undefined,
                              "app-id": "${{ inputs.release-app-client-id }}",
                          },
                      }
                    : s,
        ],
    ];
    for (const [name, edit] of broken) {
        it(`the check itself bites: ${name} is not the App's push`, () =>
            assert.equal(findPushIdentity(caller, steps.map(edit)), undefined));
    }

    for (const stack of STACKS) {
        it(`${stack}: a release onto the GitOps branch is made by an App the ruleset lets bypass`, () => {
            const cfg = stackConfig(stack);
            const kargoApp = cfg.gitCredential.githubApp?.appId;
            if (!isReleaseOnGitopsBranch(cfg)) {
                // oci-tag (dev): the release pushes only a tag; the ruleset bypasses Kargo alone.
                assert.deepEqual(bypassAppIds(cfg), [kargoApp]);
                return;
            }
            const app = cfg.chartRelease.githubApp;
            assert.ok(app, "config validation requires chartRelease.githubApp here");
            assert.deepEqual(findPushIdentity(caller, steps), {
                clientIdVariable: app.clientIdVariable,
                privateKeySecret: app.privateKeySecret,
            });
            assert.deepEqual(bypassAppIds(cfg), [kargoApp, app.appId]);
        });
    }

    const combos: [string, Record<string, Record<string, unknown>>, boolean][] = [
        ["chart-yaml, same repository and branch", {}, true],
        ["oci-tag: only a tag is pushed", { pipeline: { versionSource: "oci-tag" } }, false],
        [
            "the chart lives in another repository",
            { chartRelease: { repoURL: "https://github.com/acme/charts.git" } },
            false,
        ],
        [
            "the same repository spelt differently",
            { chartRelease: { repoURL: "https://github.com/ACME/platform" } },
            true,
        ],
        ["the release commits to another branch", { chartRelease: { branch: "release" } }, false],
        ["no branch ruleset", { gitCredential: { branchRuleset: { enabled: false } } }, false],
    ];
    for (const [name, sections, bypass] of combos) {
        it(`${name}: ${bypass ? "the release App bypasses" : "no release bypass"}`, () => {
            const cfg = stackConfig("prod", sections);
            assert.equal(isReleaseOnGitopsBranch(cfg), bypass);
            assert.equal(bypassAppIds(cfg).includes(1043251), bypass);
        });
    }

    it("refuses chart-yaml onto the guarded GitOps branch without a release App", () => {
        const raw = baseRaw("prod");
        delete raw.chartRelease;
        assert.deepEqual(problemsOf(raw), [
            'release-pipeline:pipeline.versionSource: got "chart-yaml"; commits the release to main of the GitOps repository, whose branch ruleset lets only bypass actors push; needs chartRelease.githubApp: { appId } (the App chart-release.yml pushes as, added to the ruleset\'s bypass list); allowed otherwise: versionSource oci-tag',
        ]);
    });
});
