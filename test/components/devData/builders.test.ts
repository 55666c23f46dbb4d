import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCloneCluster, buildSnapshotBackup } from "../../../components/devData/clone";
import {
    buildDenyProdEgressPolicy,
    buildRefresherRbac,
    selectProdNamespaces,
} from "../../../components/devData/isolation";
import { CLONE_FIELD_MANAGER, REFRESH_TASK_NAME, isClonePlanned } from "../../../components/devData/names";
import { buildDevDataPlan, listDevDataObjects } from "../../../components/devData/plan";
import {
    BACKUP_NAME_PLACEHOLDER,
    buildDataApplication,
    buildDevStagePreSteps,
    buildRefreshConfigMap,
    buildRefreshCronJob,
    buildRefreshTask,
    buildSeedJob,
    buildSeedJobTimeouts,
    readRefreshScript,
} from "../../../components/devData/refresher";
import { parseDurationSeconds } from "../../../components/devData/timing";
import { buildStage, buildStageTable } from "../../../components/pipeline/stages";
import type { StackConfig } from "../../../components/config";
import { readImageMajor } from "../../../components/config/devDataChecks";
import { at, list } from "../../support/read";
import { configOf, loadSchemas } from "./helpers";

const withClone = (): StackConfig => configOf("dev");
const onSchedule = (): StackConfig => configOf("dev", { devData: { refresh: { cadence: "schedule" } } });

describe("dev data plane builders", () => {
    describe("the clone Cluster", () => {
        it("is one instance without a PDB, prod's image, configured storage and resources, from the bound snapshot", () => {
            const cfg = withClone();
            const c = buildCloneCluster(cfg);
            assert.equal(c.metadata.namespace, "monolith-dev");
            assert.equal(c.spec.instances, 1);
            assert.equal(c.spec.enablePDB, false);
            assert.equal(c.spec.imageName, cfg.devData.prod.imageName);
            assert.equal(readImageMajor(c.spec.imageName ?? ""), cfg.devData.prod.postgresMajor);
            assert.deepEqual(c.spec.storage, { storageClass: "longhorn-snapshot", size: "10Gi" });
            assert.deepEqual(c.spec.resources, {
                requests: { cpu: "50m", memory: "256Mi" },
                limits: { cpu: "500m", memory: "256Mi" },
            });
            assert.deepEqual(c.spec.bootstrap?.recovery?.volumeSnapshots, {
                storage: {
                    name: "monolith-db-dev-source",
                    kind: "VolumeSnapshot",
                    apiGroup: "snapshot.storage.k8s.io",
                },
            });
        });

        it("holds no prod credential: own app secret, no superuser, prod's roles left as they are", () => {
            const c = buildCloneCluster(withClone());
            assert.deepEqual(c.spec.bootstrap?.recovery?.secret, { name: "monolith-db-dev-app-credentials" });
            assert.equal(c.spec.enableSuperuserAccess, false);
            // CloudNativePG's role reconciler would ALTER every declared role to the declared attributes and
            // memberships; the refresher clears verifiers instead (refresh.sh step 6, postgres.test.ts).
            assert.equal(c.spec.managed, undefined);
            for (const key of ["backup", "externalClusters", "replica", "superuserSecret"] as const) {
                assert.equal(c.spec[key], undefined, `${key} would connect the clone to prod`);
            }
        });

        it("is awaited Ready by Pulumi as long as a refresh may take, and applied under the refresher's field manager", () => {
            const c = buildCloneCluster(withClone());
            assert.deepEqual(
                Object.fromEntries(
                    Object.entries(c.metadata.annotations ?? {}).filter(([k]) => k.startsWith("pulumi.com/")),
                ),
                {
                    "pulumi.com/waitFor": "condition=Ready",
                    // refresh.timeout 30m + 5m Job grace + 10m outer margin
                    "pulumi.com/timeoutSeconds": "2700",
                    "pulumi.com/patchFieldManager": CLONE_FIELD_MANAGER,
                    "pulumi.com/patchForce": "true",
                },
            );
        });

        const refusals: { name: string; patch: (cfg: StackConfig) => StackConfig; message: RegExp }[] = [
            {
                name: "more than one instance",
                patch: (cfg) => ({
                    ...cfg,
                    devData: { ...cfg.devData, clone: { ...cfg.devData.clone, instances: 2 as never } },
                }),
                message:
                    /^Error: devData\.clone\.instances must be 1 \(got 2\): ADR 009 caps the clone at one instance$/,
            },
            {
                name: "no storage class",
                patch: (cfg) => ({
                    ...cfg,
                    devData: { ...cfg.devData, clone: { ...cfg.devData.clone, storageClass: undefined } },
                }),
                message:
                    /^Error: devData\.clone\.storageClass is required to provision the clone: a snapshot-capable StorageClass$/,
            },
        ];
        for (const r of refusals) {
            it(`refuses ${r.name} even when handed an unvalidated config`, () => {
                assert.throws(
                    () => buildCloneCluster(r.patch(withClone())),
                    (err: Error) => r.message.test(String(err)),
                );
            });
        }
    });

    describe("snapshots of prod", () => {
        it("are explicit volumeSnapshot Backups, cold, from a standby, in prod's namespace", () => {
            const cfg = withClone();
            for (const b of [buildSnapshotBackup(cfg, "x"), buildSnapshotBackup(onSchedule(), "y")]) {
                assert.equal(b.metadata.namespace, "monolith");
                assert.deepEqual(
                    {
                        cluster: b.spec.cluster,
                        method: b.spec.method,
                        online: b.spec.online,
                        target: b.spec.target,
                    },
                    {
                        cluster: { name: "monolith-db" },
                        method: "volumeSnapshot",
                        online: false,
                        target: "prefer-standby",
                    },
                );
            }
        });

        it("are never declared by the stack: the refresher creates each after checking prod (either cadence)", () => {
            for (const c of [withClone(), onSchedule()]) {
                const kinds = listDevDataObjects(buildDevDataPlan(c)).map((o) => o.kind);
                assert.ok(!kinds.includes("Backup") && !kinds.includes("ScheduledBackup"), kinds.join(", "));
            }
        });
    });

    describe("validation against the pinned CRDs", () => {
        const objects: { name: string; build: () => unknown }[] = [
            { name: "Cluster (clone)", build: () => buildCloneCluster(withClone()) },
            { name: "Application (refresh hook)", build: () => buildDataApplication(withClone()) },
            {
                name: "PromotionTask (refresh, step config checked)",
                build: () => buildRefreshTask(withClone()),
            },
            {
                name: "Stage dev (refresh first, then the chart tasks)",
                build: () =>
                    buildStage(
                        withClone(),
                        buildStageTable(withClone(), buildDevStagePreSteps(withClone()))[0],
                    ),
            },
            {
                name: "Backup template the refresher fills in",
                build: () => JSON.parse(buildRefreshConfigMap(withClone()).data?.["backup.json"] ?? ""),
            },
        ];
        for (const o of objects) {
            it(`${o.name} is valid`, async () => {
                const registry = await loadSchemas();
                assert.deepEqual(registry.validateObject(o.build() as never), []);
            });
        }

        it("rejects a clone the CRD would reject (instances 0), so the check is real", async () => {
            const registry = await loadSchemas();
            const c = buildCloneCluster(withClone());
            const issues = registry.validateObject({ ...c, spec: { ...c.spec, instances: 0 } } as never);
            assert.deepEqual(
                issues.map((i) => i.path),
                ["/spec/instances"],
            );
        });
    });

    describe("refresh", () => {
        it("on promotion: the dev Stage runs the refresh task before any chart task", () => {
            const cfg = withClone();
            const steps = buildStage(cfg, buildStageTable(cfg, buildDevStagePreSteps(cfg))[0]).spec
                .promotionTemplate?.spec.steps;
            assert.deepEqual(
                steps?.map((s) => s.task?.name),
                [REFRESH_TASK_NAME, "promote-monolith", "promote-monolith-public"],
            );
            const prod = buildStage(cfg, buildStageTable(cfg, buildDevStagePreSteps(cfg))[1]).spec
                .promotionTemplate?.spec.steps;
            assert.ok(
                prod?.every((s) => s.task?.name !== REFRESH_TASK_NAME),
                "prod never refreshes the clone",
            );
        });

        it("on promotion: the task syncs the hook Application and waits past the hook Job's deadline", () => {
            const task = buildRefreshTask(withClone());
            assert.deepEqual(task.spec.steps, [
                {
                    uses: "argocd-update",
                    as: "refresh",
                    config: { apps: [{ name: "monolith-data-dev", namespace: "argocd" }] },
                    // Kargo counts from the step's start: 30m script + 5m Job grace + 10m margin.
                    retry: { timeout: "45m" },
                },
            ]);
            const app = buildDataApplication(withClone());
            assert.equal(
                app.metadata.annotations?.["kargo.akuity.io/authorized-stage"],
                "monolith-rehearsal:dev",
            );
            assert.equal(app.spec.syncPolicy?.automated, undefined, "the hook runs only when Kargo syncs");
            const hook = at(app.spec.source?.helm?.valuesObject, "resources", 0);
            assert.equal(at(hook, "metadata", "annotations", "argocd.argoproj.io/hook"), "Sync");
            const env = list(at(hook, "spec", "template", "spec", "containers", 0, "env"));
            assert.equal(
                at(
                    env.find((e) => at(e, "name") === "MODE"),
                    "value",
                ),
                "on-demand",
            );
        });

        it("on a schedule: a CronJob at the schedule's minute, no hook, no extra promotion step", () => {
            const cfg = onSchedule();
            const cron = buildRefreshCronJob(cfg);
            assert.equal(cron.spec?.schedule, "30 5 * * 1-5");
            assert.equal(cron.spec?.concurrencyPolicy, "Forbid");
            assert.deepEqual(buildDevStagePreSteps(cfg), []);
            const kinds = listDevDataObjects(buildDevDataPlan(cfg)).map((o) => o.kind);
            assert.ok(kinds.includes("CronJob"));
            assert.ok(
                !kinds.includes("Application") &&
                    !kinds.includes("PromotionTask") &&
                    !kinds.includes("Backup"),
            );
        });

        it("ships the exact manifests the stack declares, and a script that parses as sh", () => {
            const cfg = withClone();
            const data = buildRefreshConfigMap(cfg).data as Record<string, string>;
            assert.deepEqual(JSON.parse(data["cluster.json"]), buildCloneCluster(cfg));
            assert.equal(JSON.parse(data["backup.json"]).metadata.name, BACKUP_NAME_PLACEHOLDER);
            assert.equal(data["refresh.sh"], readRefreshScript());
            const file = join(tmpdir(), `refresh-${process.pid}.sh`);
            writeFileSync(file, data["refresh.sh"]);
            execFileSync("sh", ["-n", file]);
        });

        for (const cadence of ["on-promotion", "schedule"] as const) {
            it(`seeds with a Job Pulumi replaces when it failed (cadence ${cadence})`, () => {
                const job = buildSeedJob(configOf("dev", { devData: { refresh: { cadence } } }));
                const env = new Map(
                    job.spec?.template.spec?.containers[0].env?.map((e) => [e.name, e.value]),
                );
                assert.equal(env.get("MODE"), "seed");
                assert.equal(job.metadata.annotations?.["pulumi.com/replaceUnready"], "true");
            });
        }

        it("runs least-privileged with bounded memory and a deadline past the refresh timeout", () => {
            const job = buildSeedJob(withClone());
            const pod = job.spec?.template.spec;
            assert.equal(pod?.securityContext?.runAsNonRoot, true);
            assert.equal(pod?.containers[0].securityContext?.readOnlyRootFilesystem, true);
            assert.deepEqual(pod?.containers[0].resources?.limits, { cpu: "500m", memory: "96Mi" });
            assert.equal(job.spec?.backoffLimit, 0);
            assert.equal(job.spec?.activeDeadlineSeconds, 30 * 60 + 300);
        });

        // pulumi-kubernetes awaits a Job 10 minutes by default (await/job.go DefaultJobTimeoutMins); the seed
        // Job's customTimeouts are timing.ts's outer clock, the same as its pulumi.com/timeoutSeconds.
        const awaits: [string, number, string, string][] = [
            ["45m", 3000, "1h", "3600"],
            ["30m", 2100, "45m", "2700"],
            ["1h30m", 5700, "1h45m", "6300"],
        ];
        for (const [timeout, deadline, awaited, annotation] of awaits) {
            it(`awaits the seed Job ${awaited} when a refresh may take ${timeout} (deadline ${deadline}s)`, () => {
                const cfg = configOf("dev", { devData: { refresh: { timeout } } });
                const job = buildSeedJob(cfg);
                assert.equal(job.spec?.activeDeadlineSeconds, deadline);
                assert.deepEqual(buildSeedJobTimeouts(cfg), { create: awaited, update: awaited });
                assert.equal(job.metadata.annotations?.["pulumi.com/timeoutSeconds"], annotation);
                assert.ok(parseDurationSeconds(awaited) > deadline);
            });
        }
    });

    describe("isolation", () => {
        it("denies egress to every prod namespace and cuts the pod CIDRs out of the open rule", () => {
            const cfg = withClone();
            assert.deepEqual(selectProdNamespaces(cfg), ["argocd", "kargo", "monolith", "monolith-public"]);
            const policy = buildDenyProdEgressPolicy(cfg);
            assert.deepEqual(policy.spec?.podSelector, {});
            assert.deepEqual(
                policy.spec?.egress?.[0].to?.[0].namespaceSelector?.matchExpressions?.[0].operator,
                "NotIn",
            );
            assert.deepEqual(policy.spec?.egress?.[1].to?.[0].ipBlock, {
                cidr: "0.0.0.0/0",
                except: ["10.42.0.0/16"],
            });
        });

        // Issue 18 item 17: the namespace rule stops pod traffic only; prod's ingress and load-balancer
        // addresses are reachable by IP unless the "anywhere" rule leaves them out too.
        const entries: [string, string[], object[]][] = [
            [
                "prod's ingress address (IPv4)",
                ["203.0.113.10/32"],
                [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.42.0.0/16", "203.0.113.10/32"] } }],
            ],
            [
                "an IPv6 load-balancer address, in a rule of its own family",
                ["2001:db8::10/128"],
                [
                    { ipBlock: { cidr: "0.0.0.0/0", except: ["10.42.0.0/16"] } },
                    { ipBlock: { cidr: "::/0", except: ["2001:db8::10/128"] } },
                ],
            ],
        ];
        for (const [what, cidrs, rules] of entries) {
            it(`cuts ${what} out of the open egress rule`, () => {
                const cfg = configOf("dev", {
                    devData: { isolation: { podCidrs: ["10.42.0.0/16"], denyEgressToCidrs: cidrs } },
                });
                const egress = buildDenyProdEgressPolicy(cfg).spec?.egress ?? [];
                assert.deepEqual(
                    egress.slice(1).map((e) => e.to?.[0]),
                    rules,
                );
            });
        }

        it("lets the refresher only read prod's Cluster by name, never a Secret, a PVC or a pod there", () => {
            const prodRules = buildRefresherRbac(withClone())
                .filter((o) => o.metadata.namespace === "monolith")
                .flatMap((o) => (o.kind === "Role" ? (o.rules ?? []) : []));
            const resources = prodRules.flatMap((r) => r.resources ?? []);
            assert.deepEqual(resources.sort(), ["backups", "clusters", "volumesnapshots"]);
            assert.deepEqual(
                prodRules.find((r) => r.resources?.includes("clusters")),
                {
                    apiGroups: ["postgresql.cnpg.io"],
                    resources: ["clusters"],
                    resourceNames: ["monolith-db"],
                    verbs: ["get"],
                },
            );
        });

        it("grants no deletecollection (each delete goes through the admission policy one object at a time)", () => {
            const verbs = buildRefresherRbac(withClone()).flatMap((o) =>
                o.kind === "Role" || o.kind === "ClusterRole" ? (o.rules ?? []).flatMap((r) => r.verbs) : [],
            );
            assert.ok(!verbs.includes("deletecollection") && !verbs.includes("*"), verbs.join(", "));
        });
    });

    describe("scope (ADR open question 3)", () => {
        const scopes: { name: string; patch: Record<string, unknown>; clone: boolean }[] = [
            {
                // Per-chart: a shared Warehouse needs every chart in dev (config refuses a partial scope).
                name: "monolith-public in dev: no clone",
                patch: { pipeline: { devCharts: ["monolith-public"], warehouseLayout: "per-chart" } },
                clone: false,
            },
            {
                name: "prod-only: no dev stage, no clone",
                patch: { pipeline: { mode: "prod-only" } },
                clone: false,
            },
            { name: "the full monolith in dev: a clone", patch: {}, clone: true },
        ];
        for (const s of scopes) {
            it(s.name, () => {
                const cfg = configOf("dev", s.patch);
                assert.equal(isClonePlanned(cfg), s.clone);
                const objects = listDevDataObjects(buildDevDataPlan(cfg));
                assert.equal(objects.length > 0, s.clone);
                assert.equal(buildDevStagePreSteps(cfg).length > 0, s.clone);
            });
        }
    });
});
