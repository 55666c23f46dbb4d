import { strict as assert } from "node:assert";
import {
    loadStackFile,
    orderByDependencies,
    renderManifests,
    renderResourcesJson,
    selectCommittedFiles,
    selectKubernetesObjects,
    STACKS,
    admitObjects,
    validateObjects,
} from "../offline/runtime/synth";
import { RunError } from "@pulumi/pulumi";
import { ConfigError, readRawConfig, validateStackConfig } from "../components/config";
import { runPolicyPack, validateResourceRecords } from "../offline/policy/policyRunner";
import { buildPolicyConfigForStack } from "../offline/policy/policyStackConfig";
import { loadBuiltins, loadRegistry } from "./support/registry";
import { at, ofKind, str } from "./support/read";
import { synthesizeStack, synthesizeWith } from "./support/stacks";

for (const stack of STACKS) {
    describe(`stack ${stack} (offline, mock runtime)`, () => {
        it("declares only objects that are valid against the pinned CRDs, Kargo and Kubernetes schemas", async () => {
            const run = await synthesizeStack(stack);
            const registry = await loadRegistry();
            const objects = selectKubernetesObjects(run.resources);
            assert.ok(objects.length > 10);
            assert.deepEqual(validateObjects(objects, registry, await loadBuiltins()), []);
            // The deploy files' Applications reach the cluster through the app-of-apps: valid too.
            const files = selectCommittedFiles(run.resources);
            assert.ok(files.length >= 3);
            assert.deepEqual(validateObjects(files, registry), []);
        });

        const admitted = async () => {
            const run = await synthesizeStack(stack);
            assert.deepEqual(admitObjects(selectKubernetesObjects(run.resources)), []);
        };
        const title =
            "declares only objects the admission webhooks accept (Kargo 1.11.2, CloudNativePG 1.30)";
        // Issue 9 defect 1 (prod's per-chart layout once put `if:` on Stage steps that call a task) is fixed:
        // both stacks are admitted.
        it(title, admitted);

        it("runs the full pipeline: Warehouse → dev (verified) → prod", async () => {
            const run = await synthesizeStack(stack);
            const stages = ofKind(
                selectKubernetesObjects(run.resources).map((o) => o.object),
                "Stage",
            );
            assert.deepEqual(
                stages.map((s) => s.metadata.name),
                ["dev", "prod"],
            );
            assert.ok(stages[0].spec.requestedFreight.every((f) => f.sources.direct === true));
            assert.ok(
                stages[1].spec.requestedFreight.every(
                    (f) => f.sources.stages?.[0] === "dev" && !f.sources.direct,
                ),
            );
            assert.ok((stages[0].spec.verification?.analysisTemplates?.length ?? 0) >= 1);
        });

        // Issue 9 defect 5: yaml-update fails on a missing file or key (Kargo pkg/yaml), and a stack that
        // declared the Application too would be a second owner of what Kargo moves.
        it("bootstraps, once and never again, a deploy file holding the Application for every stage and chart Kargo writes", async () => {
            const run = await synthesizeStack(stack);
            const objects = selectKubernetesObjects(run.resources).map((o) => o.object);
            const tasks = new Map(
                ofKind(objects, "PromotionTask").map((t) => [t.metadata.name, t.spec.steps]),
            );
            const files = new Map(selectCommittedFiles(run.resources).map((f) => [f.path, f]));
            const promotions = ofKind(objects, "Stage").flatMap((stage) =>
                (stage.spec.promotionTemplate?.spec.steps ?? [])
                    .filter((step) => String(step.task?.name).startsWith("promote-"))
                    .map((step) => ({
                        stage: stage.metadata.name,
                        task: str(step.task?.name),
                        app: str(step.vars?.find((v) => v.name === "app")?.value),
                    })),
            );
            assert.ok(promotions.length >= 3);
            for (const { stage, task, app: appName } of promotions) {
                const steps = tasks.get(task) ?? [];
                const update = steps.find((s) => s.uses === "yaml-update");
                // The path the step writes, with ctx.stage resolved, relative to the repository root.
                const path = str(at(update?.config, "path"))
                    .replace("${{ ctx.stage }}", stage)
                    .replace(/^\.\/repo-[^/]+\//, "");
                const file = files.get(path);
                assert.ok(file, `${stage}: ${task} writes ${path}, which the stack does not create`);
                const [app] = ofKind([file.object], "Application");
                assert.ok(app, path);
                assert.equal(app.metadata.name, appName);
                assert.match(str(app.spec.source?.targetRevision), /^\d+\.\d+\.\d+$/);
                assert.deepEqual(file.record.options.ignoreChanges, ["content"], path);
                assert.equal(file.record.inputs.overwriteOnCreate, false, path);
                // Issue 9 defect 2: argocd-update matches the Helm source exactly (repoURL and chart).
                const sync = at(
                    steps.find((s) => s.uses === "argocd-update")?.config,
                    "apps",
                    0,
                    "sources",
                    0,
                );
                assert.equal(at(sync, "repoURL"), app.spec.source?.repoURL, path);
                assert.equal(at(sync, "chart"), app.spec.source?.chart, path);
                assert.doesNotMatch(str(app.spec.source?.repoURL), /^oci:\/\//, path);
            }
            // git is the Applications' only owner: the stack declares none of them itself.
            const declared = ofKind(objects, "Application").map((o) => o.metadata.name);
            for (const { app } of promotions) {
                assert.ok(!declared.includes(app), `the stack declares ${app} itself`);
            }
        });

        // Issue 9 defect 1: Kargo's Stage webhook (validatePromotionStepTaskRefs) refuses these.
        it("no Stage step that calls a task has an if or a config", async () => {
            const run = await synthesizeStack(stack);
            const offending = ofKind(
                selectKubernetesObjects(run.resources).map((o) => o.object),
                "Stage",
            )
                .flatMap((stage) => stage.spec.promotionTemplate?.spec.steps ?? [])
                .filter((step) => step.task && ("if" in step || "config" in step));
            assert.deepEqual(offending, []);
        });

        it("declares one app-of-apps per stage that never prunes or self-heals, and the OCI repository Secret", async () => {
            const run = await synthesizeStack(stack);
            const objects = selectKubernetesObjects(run.resources).map((o) => o.object);
            const roots = ofKind(objects, "Application").filter(
                (o) => o.metadata.labels?.["app.kubernetes.io/component"] === "app-of-apps",
            );
            assert.deepEqual(
                roots.map((a) => [a.metadata.name, a.spec.source?.path, a.spec.syncPolicy?.automated]),
                ["dev", "prod"].map((s) => [`deploy-${s}`, `deploy/${s}`, { prune: false, selfHeal: false }]),
            );
            const repos = ofKind(objects, "Secret").filter(
                (o) => o.metadata.labels?.["argocd.argoproj.io/secret-type"] === "repository",
            );
            assert.equal(repos.length, 1);
            assert.deepEqual(Object.keys(repos[0].stringData ?? {}).sort(), [
                "enableOCI",
                "name",
                "type",
                "url",
            ]);
        });

        it("orders manifests so every object follows its namespace and dependencies", async () => {
            const run = await synthesizeStack(stack);
            const ordered = orderByDependencies(selectKubernetesObjects(run.resources), run.resources);
            const position = new Map(ordered.map((o, i) => [o.record.urn, i]));
            for (const o of ordered) {
                for (const dep of o.record.dependencies) {
                    if (position.has(dep))
                        assert.ok(
                            position.get(dep)! < position.get(o.record.urn)!,
                            `${o.record.name} before ${dep}`,
                        );
                }
            }
            const stage = ordered.findIndex((o) => o.object.kind === "Stage");
            const project = ordered.findIndex((o) => o.object.kind === "Project");
            assert.ok(project < stage);
            assert.equal(renderManifests(ordered).split("\n---\n").length >= ordered.length - 1, true);
        });
    });
}

describe("the prod-only increment (offline, mock runtime)", () => {
    it("declares one prod stage fed by the Warehouse, valid against the CRDs, with no verification objects", async () => {
        const prod = loadStackFile("prod").config["release-pipeline:pipeline"];
        const pipeline = { ...JSON.parse(prod), mode: "prod-only" };
        const run = await synthesizeWith("prod", { pipeline });
        const objects = selectKubernetesObjects(run.resources);
        assert.deepEqual(validateObjects(objects, await loadRegistry()), []);
        const stages = ofKind(
            objects.map((o) => o.object),
            "Stage",
        );
        assert.deepEqual(
            stages.map((s) => s.metadata.name),
            ["prod"],
        );
        assert.ok(stages[0].spec.requestedFreight.every((f) => f.sources.direct === true));
        assert.equal(objects.filter((o) => o.object.kind === "AnalysisTemplate").length, 0);
        const writes = stages[0].spec.promotionTemplate?.spec.steps?.map((s) => s.task?.name);
        assert.deepEqual(writes, ["promote-monolith", "promote-monolith-public"]);

        // Through the real policy pack with the stack-derived config: reported, not blocking.
        const cfg = validateStackConfig(readRawConfig(loadStackFile("prod", undefined, { pipeline }).config));
        const records = validateResourceRecords(JSON.parse(renderResourcesJson(run.resources)));
        const violations = await runPolicyPack(records, { config: buildPolicyConfigForStack(cfg) });
        assert.deepEqual(
            violations.filter((v) => v.enforcementLevel === "mandatory"),
            [],
        );
        assert.ok(violations.some((v) => v.policy === "gated-prod" && v.enforcementLevel === "advisory"));
    }).timeout(120_000);
});

describe("invalid stack config (offline, mock runtime)", () => {
    it("stops the program before any resource is declared, naming key, value and what is allowed", async () => {
        await assert.rejects(
            synthesizeWith("prod", {
                // The whole kargo section is replaced: without apiHost a receiver would be a second problem.
                kargo: { chartVersion: "v1.11.2" },
                webhook: { receiver: "none" },
            }),
            (err: Error) => {
                assert.ok(
                    RunError.isInstance(err),
                    "a RunError: Pulumi prints its message without a stack trace",
                );
                assert.match(
                    err.message,
                    /^invalid stack configuration:\n {2}- release-pipeline:kargo\.chartVersion: got "v1\.11\.2"; expected an exact semantic version such as 1\.11\.2 \(no leading 'v', no range\)$/,
                );
                return true;
            },
        );
    });
});

describe("charts named differently from the ADR's (offline, mock runtime)", () => {
    const prod = loadStackFile("prod").config;
    const section = (key: string) => JSON.parse(prod[`release-pipeline:${key}`]) as Record<string, unknown>;
    const [monolith, monolithPublic] = JSON.parse(prod["release-pipeline:charts"]) as Record<
        string,
        unknown
    >[];
    const charts = [
        { ...monolith, name: "api", repoURL: "oci://ghcr.io/acme/charts/api", namespace: "api" },
        { ...monolithPublic, name: "web", repoURL: "oci://ghcr.io/acme/charts/web", namespace: "web" },
    ];
    const devData = section("devData");
    const withNames = (devCharts: unknown) => ({
        charts,
        pipeline: { ...section("pipeline"), devCharts },
        devData: { ...devData, prod: { ...(devData.prod as object), chart: "api" } },
    });

    it("synthesizes a stack whose charts are api and web, dev running web only", async () => {
        const run = await synthesizeWith("prod", withNames(["web"]));
        const objects = selectKubernetesObjects(run.resources).map((o) => o.object);
        assert.deepEqual(validateObjects(selectKubernetesObjects(run.resources), await loadRegistry()), []);
        const [dev, prodStage] = ofKind(objects, "Stage");
        assert.deepEqual(
            dev.spec.promotionTemplate?.spec.steps?.map((s) => s.task?.name),
            ["promote-web"],
        );
        assert.deepEqual(
            prodStage.spec.requestedFreight.map((f) => f.origin.name),
            ["api", "web"],
        );
        // The charts' Applications are their deploy files (git's once bootstrapped).
        assert.deepEqual(
            ofKind(
                selectCommittedFiles(run.resources).map((f) => f.object),
                "Application",
            )
                .map((a) => a.metadata.name)
                .sort(),
            ["api", "web", "web-dev"],
        );
        assert.equal(run.outputs.devCloneProvisioned, false);
    }).timeout(120_000);

    const refusals: { name: string; devCharts: unknown; problem: string }[] = [
        {
            name: "a name that is not a declared chart",
            devCharts: ["web", "monolith-public"],
            problem:
                'release-pipeline:pipeline.devCharts[1]: got "monolith-public"; names no declared chart; allowed: all, or names among the declared charts (api, web)',
        },
        {
            name: "a chart named twice",
            devCharts: ["web", "web"],
            problem:
                'release-pipeline:pipeline.devCharts[1]: got "web"; duplicates pipeline.devCharts[0]; name each chart once',
        },
        {
            name: "an empty list",
            devCharts: [],
            problem: "release-pipeline:pipeline.devCharts: got []; expected all or at least one chart name",
        },
    ];
    for (const r of refusals) {
        it(`refuses ${r.name} in pipeline.devCharts, naming the declared charts`, () => {
            const config = loadStackFile("prod", undefined, withNames(r.devCharts)).config;
            assert.throws(
                () => validateStackConfig(readRawConfig(config)),
                (err: ConfigError) => {
                    assert.deepEqual(err.problems, [r.problem]);
                    return true;
                },
            );
        });
    }
});
