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
import { readRawConfig, validateStackConfig } from "../components/config";
import { runPolicyPack, validateResourceRecords } from "../offline/policy/policyRunner";
import { buildPolicyConfigForStack } from "../offline/policy/policyStackConfig";
import { loadBuiltins, loadRegistry } from "./support/registry";
import { synthesizeStack, synthesizeWith } from "./support/stacks";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
            const stages = selectKubernetesObjects(run.resources)
                .filter((o) => o.object.kind === "Stage")
                .map((o) => o.object as Any);
            assert.deepEqual(
                stages.map((s) => s.metadata.name),
                ["dev", "prod"],
            );
            assert.ok(stages[0].spec.requestedFreight.every((f: Any) => f.sources.direct === true));
            assert.ok(
                stages[1].spec.requestedFreight.every(
                    (f: Any) => f.sources.stages?.[0] === "dev" && !f.sources.direct,
                ),
            );
            assert.ok(stages[0].spec.verification.analysisTemplates.length >= 1);
        });

        // Issue 9 defect 5: yaml-update fails on a missing file or key (Kargo pkg/yaml), and a stack that
        // declared the Application too would be a second owner of what Kargo moves.
        it("bootstraps, once and never again, a deploy file holding the Application for every stage and chart Kargo writes", async () => {
            const run = await synthesizeStack(stack);
            const tasks = new Map(
                run.resources
                    .filter((r) => r.type === "kubernetes:kargo.akuity.io/v1alpha1:PromotionTask")
                    .map((r) => [(r.inputs as Any).metadata.name, (r.inputs as Any).spec.steps as Any[]]),
            );
            const files = new Map(selectCommittedFiles(run.resources).map((f) => [f.path, f]));
            const promotions = run.resources
                .filter((r) => r.type === "kubernetes:kargo.akuity.io/v1alpha1:Stage")
                .flatMap((r) =>
                    ((r.inputs as Any).spec.promotionTemplate.spec.steps as Any[])
                        .filter((step) => String(step.task?.name).startsWith("promote-"))
                        .map((step) => ({ stage: (r.inputs as Any).metadata.name, step })),
                );
            assert.ok(promotions.length >= 3);
            for (const { stage, step } of promotions) {
                const steps = tasks.get(step.task.name) ?? [];
                const update = steps.find((s) => s.uses === "yaml-update") as Any;
                // The path the step writes, with ctx.stage resolved, relative to the repository root.
                const path = String(update.config.path)
                    .replace("${{ ctx.stage }}", stage)
                    .replace(/^\.\/repo-[^/]+\//, "");
                const file = files.get(path);
                assert.ok(
                    file,
                    `${stage}: ${step.task.name} writes ${path}, which the stack does not create`,
                );
                const app = file.object as Any;
                assert.equal(app.metadata.name, step.vars.find((v: Any) => v.name === "app").value);
                assert.match(app.spec.source.targetRevision, /^\d+\.\d+\.\d+$/);
                assert.deepEqual(file.record.options.ignoreChanges, ["content"], path);
                assert.equal(file.record.inputs.overwriteOnCreate, false, path);
                // Issue 9 defect 2: argocd-update matches the Helm source exactly (repoURL and chart).
                const sync = (steps.find((s) => s.uses === "argocd-update") as Any).config.apps[0].sources[0];
                assert.equal(sync.repoURL, app.spec.source.repoURL, path);
                assert.equal(sync.chart, app.spec.source.chart, path);
                assert.doesNotMatch(app.spec.source.repoURL, /^oci:\/\//, path);
            }
            // git is the Applications' only owner: the stack declares none of them itself.
            const declared = selectKubernetesObjects(run.resources)
                .map((o) => o.object)
                .filter((o) => o.kind === "Application")
                .map((o) => o.metadata.name);
            for (const { step } of promotions) {
                const app = step.vars.find((v: Any) => v.name === "app").value;
                assert.ok(!declared.includes(app), `the stack declares ${app} itself`);
            }
        });

        // Issue 9 defect 1: Kargo's Stage webhook (validatePromotionStepTaskRefs) refuses these.
        it("no Stage step that calls a task has an if or a config", async () => {
            const run = await synthesizeStack(stack);
            const offending = run.resources
                .filter((r) => r.type === "kubernetes:kargo.akuity.io/v1alpha1:Stage")
                .flatMap((r) => (r.inputs as Any).spec.promotionTemplate.spec.steps as Any[])
                .filter((step) => step.task && ("if" in step || "config" in step));
            assert.deepEqual(offending, []);
        });

        it("declares one app-of-apps per stage that never prunes or self-heals, and the OCI repository Secret", async () => {
            const run = await synthesizeStack(stack);
            const objects = selectKubernetesObjects(run.resources).map((o) => o.object as Any);
            const roots = objects.filter(
                (o) =>
                    o.kind === "Application" &&
                    o.metadata.labels?.["app.kubernetes.io/component"] === "app-of-apps",
            );
            assert.deepEqual(
                roots.map((a) => [a.metadata.name, a.spec.source.path, a.spec.syncPolicy.automated]),
                ["dev", "prod"].map((s) => [`deploy-${s}`, `deploy/${s}`, { prune: false, selfHeal: false }]),
            );
            const repos = objects.filter(
                (o) =>
                    o.kind === "Secret" &&
                    o.metadata.labels?.["argocd.argoproj.io/secret-type"] === "repository",
            );
            assert.equal(repos.length, 1);
            assert.deepEqual(Object.keys(repos[0].stringData).sort(), ["enableOCI", "name", "type", "url"]);
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
        const stages = objects.filter((o) => o.object.kind === "Stage").map((o) => o.object as Any);
        assert.deepEqual(
            stages.map((s) => s.metadata.name),
            ["prod"],
        );
        assert.ok(stages[0].spec.requestedFreight.every((f: Any) => f.sources.direct === true));
        assert.equal(objects.filter((o) => o.object.kind === "AnalysisTemplate").length, 0);
        const writes = stages[0].spec.promotionTemplate.spec.steps.map((s: Any) => s.task.name);
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
