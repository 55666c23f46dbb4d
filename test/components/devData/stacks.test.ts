import { strict as assert } from "node:assert";
import { selectCommittedFiles, selectKubernetesObjects } from "../../../offline/runtime/synth";
import { STAGE_LABEL } from "../../../components/core/objects";
import { at, ofKind } from "../../support/read";
import { loadSchemas, synthesize } from "./helpers";

/** Both real stack files through the real program: dev (monolith in dev, clone) and prod (public, none). */
const expectations = [
    { stack: "dev", clone: true, devApps: ["monolith-dev", "monolith-public-dev"] },
    { stack: "prod", clone: false, devApps: ["monolith-public-dev"] },
] as const;

for (const e of expectations) {
    describe(`dev data plane in stack ${e.stack} (offline synth)`, () => {
        it(
            e.clone
                ? "declares the clone and the refresh task, and no Backup (the refresher takes each one)"
                : "declares no clone at all",
            async () => {
                const run = await synthesize(e.stack);
                const objects = selectKubernetesObjects(run.resources).map((o) => o.object);
                const cnpg = objects.filter((o) => o.apiVersion.startsWith("postgresql.cnpg.io/"));
                if (e.clone) {
                    assert.deepEqual(
                        cnpg.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`),
                        ["Cluster monolith-dev/monolith-db-dev"],
                    );
                    assert.ok(
                        objects.some(
                            (o) => o.kind === "PromotionTask" && o.metadata.name === "refresh-dev-data",
                        ),
                    );
                    assert.equal(run.outputs.devClone, "monolith-dev/monolith-db-dev");
                } else {
                    assert.deepEqual(cnpg, []);
                    assert.ok(
                        !objects.some(
                            (o) => o.metadata.namespace === "monolith-dev" || o.kind === "NetworkPolicy",
                        ),
                    );
                    assert.equal(run.outputs.devCloneProvisioned, false);
                }
            },
        );

        it("declares CNPG objects that are valid against the pinned CRDs", async () => {
            const run = await synthesize(e.stack);
            const registry = await loadSchemas();
            const cnpg = selectKubernetesObjects(run.resources).filter((o) =>
                o.object.apiVersion.startsWith("postgresql.cnpg.io/"),
            );
            assert.deepEqual(
                cnpg.flatMap((o) => registry.validateObject(o.object)),
                [],
            );
        });

        it("runs every dev-stage workload with PR_ENV=true, in the Application's own values", async () => {
            const run = await synthesize(e.stack);
            // The dev Applications are the deploy files' content (git owns them once bootstrapped).
            const apps = ofKind(
                selectCommittedFiles(run.resources).map((f) => f.object),
                "Application",
            ).filter((o) => o.metadata.labels?.[STAGE_LABEL] === "dev");
            assert.deepEqual(apps.map((a) => a.metadata.name).sort(), [...e.devApps].sort());
            for (const app of apps) {
                assert.deepEqual(
                    at(app.spec.source?.helm?.valuesObject, "env"),
                    { PR_ENV: "true" },
                    app.metadata.name,
                );
            }
        });

        it("leaves prod workloads unmuted", async () => {
            const run = await synthesize(e.stack);
            const prodApps = ofKind(
                selectCommittedFiles(run.resources).map((f) => f.object),
                "Application",
            ).filter((o) => o.metadata.labels?.[STAGE_LABEL] === "prod");
            assert.ok(prodApps.length >= 2);
            for (const app of prodApps)
                assert.equal(at(app.spec.source?.helm?.valuesObject, "env", "PR_ENV"), undefined);
        });
    });
}

describe("dev data plane wiring (stack dev)", () => {
    it("points the cloned chart's dev Application at the clone, never at prod's database", async () => {
        const run = await synthesize("dev");
        const app = ofKind(
            selectCommittedFiles(run.resources).map((f) => f.object),
            "Application",
        ).find((o) => o.metadata.name === "monolith-dev");
        assert.deepEqual(at(app?.spec.source?.helm?.valuesObject, "database"), {
            host: "monolith-db-dev-rw.monolith-dev.svc.cluster.local",
            port: 5432,
            name: "app",
            existingSecret: "monolith-db-dev-app-credentials",
        });
    });

    it("creates the clone beside the seed Job (each waits for the other's work), both after RBAC and policy", async () => {
        const run = await synthesize("dev");
        const byName = new Map(run.resources.map((r) => [r.name, r]));
        const cluster = byName.get("dev-data-cluster-monolith-dev-monolith-db-dev");
        const seed = byName.get("dev-data-job-monolith-dev-monolith-db-dev-refresh-seed");
        assert.ok(cluster && seed, "clone and seed Job are declared");
        assert.equal(seed.type, "kubernetes:batch/v1:Job", "a typed Job, so pulumi up waits for it");
        // The seed waits for the clone to be Ready and the clone for the seed's snapshot: ordering either
        // after the other would deadlock Pulumi's wait for the clone (pulumi.com/waitFor).
        assert.ok(!cluster.dependencies.includes(seed.urn));
        assert.ok(!seed.dependencies.includes(cluster.urn));
        for (const r of [seed, cluster]) {
            const deps = r.dependencies.map((u) => u.split("::").pop());
            for (const dep of [
                "dev-data-networkpolicy-monolith-dev-deny-egress-to-prod",
                "dev-data-configmap-monolith-dev-monolith-db-dev-refresh",
                "dev-data-role-monolith-monolith-db-dev-refresh",
            ]) {
                assert.ok(deps.includes(dep), `${r.name} waits for ${dep}`);
            }
        }
        const task = run.resources.find((r) =>
            r.name.endsWith("promotiontask-monolith-rehearsal-refresh-dev-data"),
        );
        assert.ok(task, "the refresh task is declared");
        assert.ok(
            task.dependencies.includes(seed.urn) && task.dependencies.includes(cluster.urn),
            "no refresh can start before the seed is done",
        );
    });
});
