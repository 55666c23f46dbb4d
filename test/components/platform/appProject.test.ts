/**
 * Issue 18 item 8: the AppProject every Application names must permit its sources and destination (Argo CD
 * v3.5.1 app_project_types.go ported), the app-of-apps is awaited until Synced, the Stages wait for it, and
 * the rehearsal reports an Application whose project or repository access is not established.
 */
import assert from "node:assert/strict";
import {
    checkAppProject,
    globMatch,
    isDestinationPermitted,
    isSourcePermitted,
    listProjectNeeds,
    type AppProjectView,
} from "../../../components/platform/appProject";
import { listGitopsApplications } from "../../../components/pipeline/gitopsApplications";
import { DevDataPlane } from "../../../components/devData/devDataPlane";
import { judgeArgoAccess } from "../../../offline/rehearsal/argoAccess";
import type { KubeObject } from "../../../offline/rehearsal/types";
import { OFFLINE_CLUSTER_STATES } from "../../../offline/runtime/cluster";
import type { RunResult } from "../../../offline/runtime/mockRuntime";
import { loadStackFile, runStack } from "../../../offline/runtime/synth";
import { stackConfig } from "../../support/config";
import { synthesizeStack } from "../../support/stacks";

const IN_CLUSTER = "https://kubernetes.default.svc";

describe("AppProject: Argo CD's glob and permission rules", () => {
    const globs: [string, string, string, boolean][] = [
        ["*", "anything/at/all", "/", true],
        ["ghcr.io/acme/*", "ghcr.io/acme/charts", "/", true],
        ["ghcr.io/acme/*", "ghcr.io/acme/charts/deep", "/", false],
        ["ghcr.io/**", "ghcr.io/acme/charts/deep", "/", true],
        ["monolith-?ev", "monolith-dev", "", true],
        ["{dev,prod}-*", "prod-shop", "", true],
        ["[a-c]pp", "bpp", "", true],
        ["!kube-system", "kube-system", "", false],
    ];
    for (const [pattern, value, seps, expected] of globs) {
        it(`glob ${pattern} ${expected ? "matches" : "does not match"} ${value}`, () =>
            assert.equal(globMatch(pattern, value, true, seps), expected));
    }
    const sources: [string[], string, boolean][] = [
        [["https://github.com/acme/platform"], "https://github.com/Acme/platform.git", true],
        [["https://github.com/acme/*"], "https://github.com/acme/platform.git", true],
        [["*", "!https://github.com/acme/secret"], "https://github.com/acme/secret.git", false],
        [["https://github.com/other/*"], "https://github.com/acme/platform.git", false],
        [[], "ghcr.io/acme/charts", false],
    ];
    for (const [repos, url, expected] of sources) {
        it(`sourceRepos ${JSON.stringify(repos)} ${expected ? "permit" : "refuse"} ${url}`, () =>
            assert.equal(isSourcePermitted(repos, url), expected));
    }
    const destinations: [NonNullable<AppProjectView["spec"]>["destinations"], string, boolean][] = [
        [[{ server: IN_CLUSTER, namespace: "*" }], "shop", true],
        [[{ name: "in-cluster", namespace: "shop" }], "shop", true],
        [[{ server: IN_CLUSTER, namespace: "argocd" }], "shop", false],
        [
            [
                { server: "*", namespace: "*" },
                { server: "*", namespace: "!shop" },
            ],
            "shop",
            false,
        ],
    ];
    for (const [items, namespace, expected] of destinations) {
        it(`destinations ${JSON.stringify(items)} ${expected ? "permit" : "refuse"} namespace ${namespace}`, () =>
            assert.equal(
                isDestinationPermitted(items ?? [], { server: IN_CLUSTER, name: "in-cluster", namespace }),
                expected,
            ));
    }
});

describe("AppProject: what the stack's Applications need", () => {
    const cfg = stackConfig("dev");
    const apps = [...listGitopsApplications(cfg), ...DevDataPlane.listApplications(cfg)];
    const needs = listProjectNeeds(apps, cfg.argocd.project);
    const where = "AppProject argocd/rehearsal (argocd.project)";
    const permitting: AppProjectView = {
        spec: {
            sourceRepos: [
                "https://github.com/acme/*",
                "ghcr.io/acme/*",
                "https://bedag.github.io/helm-charts/",
            ],
            destinations: [{ server: IN_CLUSTER, namespace: "*" }],
        },
    };
    it("covers the GitOps repository, the chart registry, the hook chart and every namespace", () => {
        const repos = new Set(needs.flatMap((n) => (n.repoURL ? [n.repoURL] : [])));
        assert.deepEqual([...repos].sort(), [
            "ghcr.io/acme/charts-rehearsal",
            "https://bedag.github.io/helm-charts/",
            "https://github.com/acme/platform-rehearsal.git",
        ]);
        const namespaces = new Set(needs.flatMap((n) => (n.destination ? [n.destination.namespace] : [])));
        assert.ok(
            ["argocd", "monolith", "monolith-dev", "monolith-public-dev"].every((n) => namespaces.has(n)),
        );
    });
    it("accepts a project that permits them", () =>
        assert.equal(checkAppProject(permitting, needs, where), undefined));
    it("refuses a missing project", () =>
        assert.equal(
            checkAppProject({}, needs, where),
            `${where}: not found; every Application of the stack names it (argocd.project)`,
        ));
    it("refuses a project without the GitOps repository, naming the app-of-apps", () => {
        const spec = {
            ...permitting.spec,
            sourceRepos: ["ghcr.io/acme/*", "https://bedag.github.io/helm-charts/"],
        };
        const problem = checkAppProject({ spec }, needs, where) ?? "";
        assert.match(
            problem,
            /spec.sourceRepos does not permit https:\/\/github.com\/acme\/platform-rehearsal.git \(Application argocd\/deploy-dev\);/,
        );
        assert.match(problem, /so the app-of-apps creates no child Application/);
    });
    it("refuses a project whose destinations leave out a workload namespace", () => {
        const spec = { ...permitting.spec, destinations: [{ server: IN_CLUSTER, namespace: "argocd" }] };
        assert.match(
            checkAppProject({ spec }, needs, where) ?? "",
            /spec.destinations does not permit https:\/\/kubernetes.default.svc namespace monolith-dev \(Application argocd\/monolith-dev\)/,
        );
    });
});

describe("AppProject and app-of-apps in the program", () => {
    let run: RunResult;
    before(async () => (run = await synthesizeStack("dev")));
    const APP = "kubernetes:argoproj.io/v1alpha1:Application";

    it("every declared Application waits for the AppProject read", () => {
        const project = run.resources.find((r) => r.read && r.type.endsWith(":AppProject"));
        assert.equal(project?.readId, "argocd/rehearsal");
        const apps = run.resources.filter((r) => !r.read && r.type === APP);
        assert.equal(apps.length, 3);
        for (const a of apps) assert.ok(a.dependencies.includes(project.urn), a.name);
    });
    it("the app-of-apps is awaited until Synced, and every Stage waits for each app-of-apps", () => {
        const roots = run.resources.filter(
            (r) => r.type === APP && r.name.startsWith("gitops-application-deploy-"),
        );
        assert.equal(roots.length, 2);
        for (const r of roots) {
            const annotations = (r.inputs.metadata as { annotations: Record<string, string> }).annotations;
            assert.equal(annotations["pulumi.com/waitFor"], "jsonpath={.status.sync.status}=Synced");
        }
        const stages = run.resources.filter((r) => r.type === "kubernetes:kargo.akuity.io/v1alpha1:Stage");
        assert.equal(stages.length, 2);
        for (const s of stages) for (const r of roots) assert.ok(s.dependencies.includes(r.urn), s.name);
    });
    it("fails the run when the project does not permit the GitOps repository", async () => {
        const states = {
            ...OFFLINE_CLUSTER_STATES,
            "kubernetes:argoproj.io/v1alpha1:AppProject": () => ({
                spec: { sourceRepos: ["ghcr.io/*"], destinations: [{ server: IN_CLUSTER, namespace: "*" }] },
            }),
        };
        await assert.rejects(
            runStack("dev", loadStackFile("dev"), false, states),
            /AppProject argocd\/rehearsal \(argocd.project\): spec.sourceRepos does not permit https:\/\/github.com\/acme\/platform-rehearsal.git/,
        );
    });
});

describe("rehearsal: Argo CD creates the Applications a promotion targets", () => {
    const app = (
        name: string,
        project = "shop",
        annotations?: Record<string, string>,
        source?: object,
    ): KubeObject =>
        ({
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            metadata: { name, namespace: "argocd", ...(annotations ? { annotations } : {}) },
            spec: { project, source: source ?? { repoURL: "ghcr.io/acme/charts", chart: name } },
        }) as KubeObject;
    const root = app(
        "deploy-prod",
        "shop",
        { "pulumi.com/waitFor": "jsonpath={.status.sync.status}=Synced" },
        {
            repoURL: "https://github.com/acme/platform.git",
            path: "deploy/prod",
        },
    );
    const file = { repository: "platform", path: "deploy/prod/shop.yaml", object: app("shop") };
    const cases: [string, KubeObject[], boolean, RegExp][] = [
        [
            "created by an awaited app-of-apps, project checked",
            [root],
            true,
            /created by app-of-apps deploy-prod/,
        ],
        [
            "an app-of-apps that is not awaited (repository access unproven)",
            [
                app("deploy-prod", "shop", undefined, {
                    repoURL: "https://github.com/acme/platform.git",
                    path: "deploy/prod",
                }),
            ],
            false,
            /no app-of-apps awaited until Synced reads deploy\/prod\/shop.yaml from repository platform/,
        ],
    ];
    for (const [what, declared, ok, detail] of cases) {
        it(`${ok ? "establishes" : "reports"}: ${what}`, () => {
            const verdict = judgeArgoAccess(declared, [file], new Set(["shop"])).get("argocd/shop");
            assert.equal(verdict?.ok, ok);
            assert.match(verdict?.detail ?? "", detail);
        });
    }
    it("reports an Application whose AppProject the stack neither reads nor checks", () => {
        const verdict = judgeArgoAccess([root], [file], new Set(["other"])).get("argocd/shop");
        assert.equal(verdict?.ok, false);
        assert.match(verdict?.detail ?? "", /AppProject shop is neither read nor checked by the stack/);
    });
});
