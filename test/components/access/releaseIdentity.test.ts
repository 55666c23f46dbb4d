/**
 * Issue 9, defect 6: the branch ruleset on the GitOps branch and the post-merge release must agree. With
 * versionSource chart-yaml the release pushes a commit to that branch; it can only land when the identity
 * chart-release.yml pushes as (a GitHub App token, minted with actions/create-github-app-token from the App
 * id in a repository variable) is a bypass actor of the ruleset the stack declares.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { StackConfig } from "../../../components/config";
import { buildBranchRulesetArgs } from "../../../components/access/repoRules";
import { isReleaseOnGitopsBranch } from "../../../components/config/chartRelease";
import { STACKS } from "../../../offline/runtime/synth";
import { stackConfig } from "../../support/config";
import { baseRaw, problemsOf } from "./support";

interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, unknown>;
}

const WORKFLOW = join(__dirname, "..", "..", "..", ".github", "workflows", "chart-release.yml");

function readReleaseSteps(): Step[] {
    const wf = parse(readFileSync(WORKFLOW, "utf8")) as { jobs: Record<string, { steps: Step[] }> };
    return wf.jobs.release.steps;
}

/**
 * The identity chart-release.yml pushes as: the App-id variable of its token step, provided the checkout
 * that `git push` reuses carries that token (and keeps it: persist-credentials is not turned off).
 * Undefined when the push would go out with the workflow's own GITHUB_TOKEN.
 */
function findPushIdentity(
    steps: readonly Step[],
): { appIdVariable: string; privateKeySecret: string } | undefined {
    const tokenIndex = steps.findIndex((s) => s.uses?.startsWith("actions/create-github-app-token@"));
    const checkoutIndex = steps.findIndex((s) => s.uses?.startsWith("actions/checkout@"));
    if (tokenIndex === -1 || checkoutIndex === -1 || tokenIndex > checkoutIndex) return undefined;
    const token = steps[tokenIndex];
    const checkout = steps[checkoutIndex];
    // The expression the workflow must hand checkout, built without a template literal (lint rule).
    const tokenExpression = "${{ steps." + String(token.id) + ".outputs.token }}";
    if (checkout.with?.token !== tokenExpression) return undefined;
    if (checkout.with?.["persist-credentials"] === false) return undefined;
    const appId = /^\$\{\{ vars\.([A-Z0-9_]+) \}\}$/.exec(String(token.with?.["app-id"]));
    const key = /^\$\{\{ secrets\.([A-Z0-9_]+) \}\}$/.exec(String(token.with?.["private-key"]));
    return appId && key ? { appIdVariable: appId[1], privateKeySecret: key[1] } : undefined;
}

function bypassAppIds(cfg: StackConfig): unknown[] {
    const actors = (buildBranchRulesetArgs(cfg).bypassActors ?? []) as {
        actorType: string;
        actorId?: unknown;
    }[];
    return actors.filter((a) => a.actorType === "Integration").map((a) => a.actorId);
}

describe("release identity: branch ruleset + chart-release.yml + versionSource agree", () => {
    const steps = readReleaseSteps();

    it("chart-release.yml pushes the release with a GitHub App token, not GITHUB_TOKEN", () => {
        assert.deepEqual(findPushIdentity(steps), {
            appIdVariable: "CHART_RELEASE_APP_ID",
            privateKeySecret: "CHART_RELEASE_APP_PRIVATE_KEY",
        });
        // The commit is authored by the App's bot user, from the same token step.
        const identity = steps.find((s) => s.run?.includes("git config user.email"));
        assert.equal(identity?.env?.GH_TOKEN, "${{ steps.release-app.outputs.token }}");
        assert.equal(identity?.env?.APP_SLUG, "${{ steps.release-app.outputs.app-slug }}");
    });

    it("the check itself bites: a checkout without the App token is a GITHUB_TOKEN push", () => {
        const broken = steps.map((s) =>
            s.uses?.startsWith("actions/checkout@") ? { ...s, with: { ...s.with, token: undefined } } : s,
        );
        assert.equal(findPushIdentity(broken), undefined);
    });

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
            assert.deepEqual(findPushIdentity(steps), {
                appIdVariable: app.appIdVariable,
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
