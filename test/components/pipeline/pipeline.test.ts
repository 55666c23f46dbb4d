import { strict as assert } from "node:assert";
import { buildGitopsObjects } from "../../../components/pipeline/gitopsApplications";
import { buildPipelineObjects } from "../../../components/pipeline/promotionPipeline";
import { buildApplication } from "../../../components/pipeline/applications";
import { chartVersionExpression, deployFile } from "../../../components/pipeline/names";
import { buildPromotionSteps, buildPromotionTask } from "../../../components/pipeline/promotionTask";
import { buildStage, buildStageTable, selectDevCharts } from "../../../components/pipeline/stages";
import { buildAnalysisTemplates, buildVerificationArgs } from "../../../components/pipeline/verification";
import { buildWarehouses } from "../../../components/pipeline/warehouse";
import { BOTH_CHARTS_VERIFIED, stackConfig } from "../../support/config";
import { at, str } from "../../support/read";

describe("stage table", () => {
    const cases = [
        {
            name: "full pipeline: dev takes Freight from the Warehouse, prod only from dev",
            cfg: stackConfig("prod"),
            rows: [
                {
                    name: "dev",
                    direct: true,
                    upstream: [],
                    autoPromote: true,
                    verify: true,
                    charts: ["monolith-public"],
                },
                {
                    name: "prod",
                    direct: false,
                    upstream: ["dev"],
                    autoPromote: false,
                    verify: false,
                    charts: ["monolith", "monolith-public"],
                },
            ],
        },
        {
            name: "full monolith in dev, auto-promotion into prod",
            cfg: stackConfig("dev"),
            rows: [
                {
                    name: "dev",
                    direct: true,
                    upstream: [],
                    autoPromote: true,
                    verify: true,
                    charts: ["monolith", "monolith-public"],
                },
                {
                    name: "prod",
                    direct: false,
                    upstream: ["dev"],
                    autoPromote: true,
                    verify: false,
                    charts: ["monolith", "monolith-public"],
                },
            ],
        },
        {
            name: "prod-only increment: Kargo owns the write, no dev stage",
            cfg: stackConfig("prod", { pipeline: { mode: "prod-only" } }),
            rows: [
                {
                    name: "prod",
                    direct: true,
                    upstream: [],
                    autoPromote: false,
                    verify: false,
                    charts: ["monolith", "monolith-public"],
                },
            ],
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const rows = buildStageTable(c.cfg).map((r) => ({
                name: r.name,
                direct: r.direct,
                upstream: [...r.upstream],
                autoPromote: r.autoPromote,
                verify: r.verify,
                charts: r.charts.map((ch) => ch.name),
            }));
            assert.deepEqual(rows, c.rows);
        });
    }

    it("selects the dev charts from the dev scope", () => {
        assert.deepEqual(
            selectDevCharts(stackConfig("prod")).map((c) => c.name),
            ["monolith-public"],
        );
        assert.deepEqual(
            selectDevCharts(stackConfig("dev")).map((c) => c.name),
            ["monolith", "monolith-public"],
        );
    });
});

describe("stages", () => {
    it("prod never requests Freight directly, and requests every chart only through dev", () => {
        for (const stack of ["dev", "prod"] as const) {
            const cfg = stackConfig(stack);
            const prod = buildStage(cfg, buildStageTable(cfg)[1]);
            for (const req of prod.spec.requestedFreight) {
                assert.equal(req.sources.direct, undefined, stack);
                assert.deepEqual(req.sources.stages, ["dev"], stack);
            }
            assert.equal(prod.spec.verification, undefined);
        }
    });

    it("a chart outside the dev scope is not requested by dev, so only a manual approval can take it to prod", () => {
        const cfg = stackConfig("prod");
        const [dev, prod] = buildStageTable(cfg).map((r) => buildStage(cfg, r));
        assert.deepEqual(
            dev.spec.requestedFreight.map((r) => r.origin.name),
            ["monolith-public"],
        );
        assert.deepEqual(
            prod.spec.requestedFreight.map((r) => r.origin.name),
            ["monolith", "monolith-public"],
        );
        assert.deepEqual(prod.spec.requestedFreight[0].sources, { stages: ["dev"], requiredSoakTime: "30m" });
    });

    it("each stage runs one task per chart it deploys, passing its own Application", () => {
        const cfg = stackConfig("dev");
        const dev = buildStage(cfg, buildStageTable(cfg)[0]);
        const promotions = dev.spec.promotionTemplate?.spec.steps?.filter((s) =>
            s.task?.name.startsWith("promote-"),
        );
        assert.deepEqual(promotions, [
            {
                task: { name: "promote-monolith" },
                as: "promote_monolith",
                vars: [{ name: "app", value: "monolith-dev" }],
            },
            {
                task: { name: "promote-monolith-public" },
                as: "promote_monolith_public",
                vars: [{ name: "app", value: "monolith-public-dev" }],
            },
        ]);
    });

    // Kargo's Stage webhook (pkg/webhook/kubernetes/stage/webhook.go, validatePromotionStepTaskRefs) refuses
    // a step that references a task and has an `if` or a `config`: no layout may put one there.
    const layouts = [
        { name: "per-chart (stack prod)", cfg: stackConfig("prod") },
        { name: "shared (stack dev)", cfg: stackConfig("dev") },
        {
            name: "per-chart, full dev scope",
            cfg: stackConfig("dev", { pipeline: { warehouseLayout: "per-chart" } }),
        },
    ];
    for (const l of layouts) {
        it(`${l.name}: no Stage step that calls a task has an if or a config (the Stage webhook refuses it)`, () => {
            for (const row of buildStageTable(l.cfg)) {
                const steps = buildStage(l.cfg, row).spec.promotionTemplate?.spec.steps ?? [];
                const offending = steps.filter((s) => s.task && ("if" in s || "config" in s));
                assert.deepEqual(offending, [], row.name);
            }
        });
    }

    it("per-chart Warehouses: a promotion runs only the task of the chart whose Freight it carries", () => {
        const cfg = stackConfig("prod");
        const prod = buildStage(cfg, buildStageTable(cfg)[1]);
        // Kargo's Stage webhook refuses `if` on a step that calls a task (validatePromotionStepTaskRefs).
        assert.ok(prod.spec.promotionTemplate?.spec.steps?.every((s) => s.if === undefined));
        for (const chart of cfg.charts) {
            const task = buildPromotionTask(cfg, chart);
            const expected =
                "${{ success() && ctx.targetFreight.origin.name == " + JSON.stringify(chart.name) + " }}";
            assert.ok(
                task.spec.steps.every((s) => s.if === expected),
                chart.name,
            );
        }
    });

    it("a shared Warehouse: every promotion carries every chart, so every task runs unconditionally", () => {
        const cfg = stackConfig("dev");
        const prod = buildStage(cfg, buildStageTable(cfg)[1]);
        assert.ok(prod.spec.promotionTemplate?.spec.steps?.every((s) => s.if === undefined));
    });

    it("dev verification passes only declared args, all strings", () => {
        const cfg = stackConfig("prod");
        const dev = buildStage(cfg, buildStageTable(cfg)[0]);
        const declared = new Map(
            buildAnalysisTemplates(cfg).map((t) => [t.metadata.name, (t.spec.args ?? []).map((a) => a.name)]),
        );
        assert.deepEqual(dev.spec.verification?.analysisTemplates, [
            { name: "smoke" },
            { name: "visual-regression" },
        ]);
        for (const arg of dev.spec.verification?.args ?? []) {
            assert.equal(typeof arg.value, "string");
            for (const [template, names] of declared)
                assert.ok(names.includes(arg.name), `${arg.name} not declared in ${template}`);
        }
        assert.deepEqual(buildVerificationArgs(cfg), [
            { name: "base-url-monolith-public", value: "https://dev.acme.dev" },
            {
                name: "version-monolith-public",
                value: '${{ quote(chartFrom("oci://ghcr.io/acme/charts/monolith-public")?.Version ?? "") }}',
            },
        ]);
    });

    // Issue 18 #6: one health and one version check per dev chart, each on its own dev hostname.
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: a health and a version metric per dev chart, on the hostname that serves it`, () => {
            const cfg =
                stack === "dev"
                    ? stackConfig("dev")
                    : stackConfig("prod", {
                          pipeline: { devCharts: "all" },
                          verification: BOTH_CHARTS_VERIFIED,
                      });
            const hosts = cfg.verification.chartHostnames;
            const [smoke] = buildAnalysisTemplates(cfg);
            assert.deepEqual(
                (smoke.spec.metrics ?? []).map((m) => m.name),
                ["health-monolith", "version-monolith", "health-monolith-public", "version-monolith-public"],
            );
            const args = new Map(buildVerificationArgs(cfg).map((a) => [a.name, a.value]));
            for (const chart of cfg.charts) {
                assert.equal(args.get(`base-url-${chart.name}`), `https://${hosts[chart.name]}`);
                assert.equal(
                    args.get(`version-${chart.name}`),
                    "${{ quote(chartFrom(" + JSON.stringify(chart.repoURL) + ')?.Version ?? "") }}',
                );
                const version = (smoke.spec.metrics ?? []).find((m) => m.name === `version-${chart.name}`);
                assert.equal(
                    version?.successCondition,
                    `"{{ args.version-${chart.name} }}" == "" || result == "{{ args.version-${chart.name} }}"`,
                );
                assert.equal(
                    (version?.provider as { web: { url: string } }).web.url,
                    `{{ args.base-url-${chart.name} }}/version`,
                );
            }
        });
    }

    it("drops the visual regression template when it is disabled", () => {
        const cfg = stackConfig("prod", { verification: { visualRegression: { enabled: false } } });
        assert.deepEqual(
            buildAnalysisTemplates(cfg).map((t) => t.metadata.name),
            ["smoke"],
        );
    });
});

describe("warehouses", () => {
    it("per-chart: one Warehouse per chart, OCI subscription without name", () => {
        const cfg = stackConfig("prod");
        const ws = buildWarehouses(cfg);
        assert.deepEqual(
            ws.map((w) => w.metadata.name),
            ["monolith", "monolith-public"],
        );
        assert.deepEqual(ws[0].spec.subscriptions, [
            {
                chart: {
                    repoURL: "oci://ghcr.io/acme/charts/monolith",
                    semverConstraint: ">=0.182.0 <1.0.0",
                    discoveryLimit: 20,
                },
            },
        ]);
    });

    it("shared: one Warehouse named after the project subscribing to every chart", () => {
        const ws = buildWarehouses(stackConfig("dev"));
        assert.deepEqual(
            ws.map((w) => w.metadata.name),
            ["monolith-rehearsal"],
        );
        assert.equal(ws[0].spec.subscriptions.length, 2);
    });
});

describe("promotion task", () => {
    const cfg = stackConfig("prod");
    const chart = cfg.charts[0];

    it("clones over HTTPS, writes targetRevision, commits, pushes and syncs, in that order", () => {
        assert.deepEqual(
            buildPromotionSteps(cfg, chart).map((s) => s.uses),
            ["git-clone", "yaml-update", "git-commit", "git-push", "argocd-update"],
        );
        const [clone] = buildPromotionSteps(cfg, chart);
        assert.match(str(at(clone.config, "repoURL")), /^https:\/\//);
    });

    it("writes the stage's deploy file with the exact Warehouse repoURL in chartFrom()", () => {
        const update = buildPromotionSteps(cfg, chart)[1];
        assert.equal(at(update.config, "path"), "./repo-monolith/deploy/${{ ctx.stage }}/monolith.yaml");
        assert.deepEqual(at(update.config, "updates"), [
            {
                key: "spec.source.targetRevision",
                value: '${{ chartFrom("oci://ghcr.io/acme/charts/monolith").Version }}',
            },
        ]);
        assert.equal(chartVersionExpression(chart).includes(JSON.stringify(cfg.charts[0].repoURL)), true);
        assert.equal(deployFile(cfg.gitops.deployDir, "dev", chart), "deploy/dev/monolith.yaml");
    });

    it("argocd-update targets the stage's Application with its Helm-type source, the version as desiredRevision", () => {
        // Kargo's applyArgoCDSourceUpdate applies an update only to a source whose repoURL and chart are
        // exactly the update's; the Application's source is <registry>/<path> + chart, not the oci:// URL.
        const sync = buildPromotionSteps(cfg, chart)[4];
        assert.deepEqual(at(sync.config, "apps"), [
            {
                name: "${{ vars.app }}",
                namespace: "argocd",
                sources: [
                    {
                        repoURL: "ghcr.io/acme/charts",
                        chart: "monolith",
                        desiredRevision: '${{ chartFrom("oci://ghcr.io/acme/charts/monolith").Version }}',
                        updateTargetRevision: true,
                    },
                ],
            },
        ]);
        const app = buildApplication(cfg, "prod", chart);
        const source = at(sync.config, "apps", 0, "sources", 0);
        assert.equal(at(source, "repoURL"), app.spec.source?.repoURL);
        assert.equal(at(source, "chart"), app.spec.source?.chart);
    });

    it("per-chart layout: every step of a chart's task runs only for that chart's Freight, and only after success", () => {
        for (const c of cfg.charts) {
            const conditions = buildPromotionSteps(cfg, c).map((s) => s.if);
            assert.deepEqual(
                conditions,
                Array(5).fill(
                    "${{ success() && ctx.targetFreight.origin.name == " + JSON.stringify(c.name) + " }}",
                ),
            );
        }
    });

    // A Promotion's Freight collection holds the stage's current Freight plus the target: chartFrom() of
    // another chart may be nil (never received: `.Version` fails) or stale. Every step that evaluates
    // chartFrom(X) must therefore run only when the target Freight comes from X's own Warehouse.
    it("per-chart layout: a step evaluates chartFrom() only of the chart whose Warehouse the target Freight is from", () => {
        let checked = 0;
        for (const c of cfg.charts) {
            for (const step of buildPromotionSteps(cfg, c)) {
                const repos = [...JSON.stringify(step.config).matchAll(/chartFrom\(\\"([^\\]+)\\"\)/g)].map(
                    (m) => m[1],
                );
                for (const repo of repos) {
                    const owner = cfg.charts.find((x) => x.repoURL === repo);
                    assert.ok(owner, repo);
                    assert.ok(
                        String(step.if).includes(
                            "ctx.targetFreight.origin.name == " + JSON.stringify(owner.name),
                        ),
                        `${c.name} ${step.uses}: chartFrom(${repo}) without its origin condition`,
                    );
                    checked++;
                }
            }
        }
        // yaml-update, git-commit and argocd-update of each chart.
        assert.equal(checked, 3 * cfg.charts.length);
    });

    it("shared layout: task steps carry no if, so Kargo's default skip-after-failure applies", () => {
        const shared = stackConfig("dev");
        for (const c of shared.charts) {
            assert.ok(buildPromotionSteps(shared, c).every((s) => !("if" in s)));
        }
    });

    it("clones each chart into its own directory, so a stage's tasks never collide in one workspace", () => {
        const paths = cfg.charts.map((c) =>
            buildPromotionSteps(cfg, c).map(
                (s) => at(s.config, "path") ?? at(s.config, "checkout", 0, "path"),
            ),
        );
        assert.deepEqual(paths[0].slice(0, 4), [
            "./repo-monolith",
            "./repo-monolith/deploy/${{ ctx.stage }}/monolith.yaml",
            "./repo-monolith",
            "./repo-monolith",
        ]);
        assert.notEqual(paths[0][0], paths[1][0]);
    });

    it("is a PromotionTask requiring the app var", () => {
        const task = buildPromotionTask(cfg, chart);
        assert.equal(task.kind, "PromotionTask");
        assert.deepEqual(task.spec.vars, [{ name: "app" }]);
    });
});

describe("applications and project", () => {
    it("a chart Application pins an exact initial version with a Helm-type OCI source and authorizes exactly its stage", () => {
        const cfg = stackConfig("prod");
        const app = buildApplication(cfg, "dev", cfg.charts[1]);
        assert.equal(app.metadata.name, "monolith-public-dev");
        assert.equal(app.metadata.annotations?.["kargo.akuity.io/authorized-stage"], "monolith-release:dev");
        // Argo CD reports a Helm source's version as its sync revision (a native oci:// source: a digest).
        assert.deepEqual(app.spec.source, {
            repoURL: "ghcr.io/acme/charts",
            chart: "monolith-public",
            targetRevision: "0.41.0",
        });
        assert.equal(app.spec.destination.namespace, "monolith-public-dev");
        assert.equal(app.spec.syncPolicy?.automated, undefined);
    });

    it("names the ProjectConfig like the project, dev auto-promotes, prod per config, GitHub receiver", () => {
        const objs = buildPipelineObjects(stackConfig("prod"));
        assert.equal(objs.projectConfig.metadata.name, "monolith-release");
        assert.equal(objs.projectConfig.metadata.namespace, "monolith-release");
        assert.deepEqual(objs.projectConfig.spec?.promotionPolicies, [
            { stageSelector: { name: "dev" }, autoPromotionEnabled: true },
            { stageSelector: { name: "prod" }, autoPromotionEnabled: false },
        ]);
        assert.deepEqual(objs.projectConfig.spec?.webhookReceivers, [
            { name: "github", github: { secretRef: { name: "github-webhook" } } },
        ]);
        assert.equal(objs.namespace.metadata.labels?.["kargo.akuity.io/project"], "true");
        assert.equal(objs.webhookSecret?.metadata.labels?.["kargo.akuity.io/cred-type"], "generic");
    });

    it("prod-only declares no AnalysisTemplates and no dev deploy files", () => {
        const cfg = stackConfig("prod", { pipeline: { mode: "prod-only" } });
        assert.equal(buildPipelineObjects(cfg).templates.length, 0);
        assert.deepEqual(
            buildGitopsObjects(cfg).deployFiles.map((f) => f.path),
            ["deploy/prod/monolith.yaml", "deploy/prod/monolith-public.yaml"],
        );
    });
});

describe("promotion task in the deploy-key opt-in", () => {
    it("clones the SSH form of the GitOps repo, so Kargo matches the deploy key's credential", () => {
        const base = stackConfig("prod");
        const cfg = {
            ...base,
            gitCredential: {
                ...base.gitCredential,
                mode: "deploy-key" as const,
                deployKey: { vaultUuid: "abcdefghijklmnopqrstuvwxyz", itemTitle: "k", title: "t" },
            },
        };
        const clone = buildPromotionSteps(cfg, cfg.charts[0])[0];
        assert.equal(at(clone.config, "repoURL"), "ssh://git@github.com/acme/platform.git");
    });
});
