/**
 * refresh.sh run for real (sh, jq, sed) against a fake kubectl that plays the API server and the CNPG and
 * snapshot controllers (./fakeCluster.ts), with the exact environment and manifests the stack's Job
 * builders produce.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
    buildRefreshCronJob,
    buildRefreshHookJob,
    buildSeedJob,
} from "../../../components/devData/refresher";
import { CLONE_FIELD_MANAGER } from "../../../components/devData/names";
import { at } from "../../support/read";
import {
    backupsIn,
    createSandbox,
    execs,
    hasJq,
    kube,
    names,
    objects,
    one,
    prodCluster,
    pulumiCreatesClone,
    run,
    setState,
    sleep,
} from "./fakeCluster";
import { configOf } from "./helpers";

describe("refresh.sh against a fake cluster", function () {
    before(function () {
        if (!hasJq) this.skip();
    });

    const cfg = configOf("dev");
    const seedJob = buildSeedJob(cfg);
    const hookJob = buildRefreshHookJob(cfg);
    const owned = "release-pipeline.acme.dev/dev-clone-source";
    const backupName = /^monolith\/monolith-db-dev-clone-\d{14}$/;

    it("seed: takes its own Backup, binds it (Retain), waits for Pulumi's clone and clears its verifiers", () => {
        const box = createSandbox();
        kube(box, prodCluster());
        pulumiCreatesClone(box); // created by Pulumi beside the seed Job; CNPG waits for the snapshot
        const r = run(box, seedJob);
        assert.equal(r.status, 0, r.stderr);
        const [backup] = backupsIn(box);
        assert.match(backup, backupName);
        const name = backup.split("/")[1];
        assert.match(
            r.stdout,
            new RegExp(`bound monolith-dev/monolith-db-dev-source to the snapshot of ${backup}`),
        );
        assert.match(r.stdout, /Backup monolith-db-dev-clone-\d{14} fenced monolith-db-2/);

        const content = one(box, (o) => o.metadata.name === `monolith-dev-monolith-db-dev-${name}`);
        assert.deepEqual(content.spec, {
            deletionPolicy: "Retain",
            driver: "driver.longhorn.io",
            source: { snapshotHandle: `handle-${name}` },
            volumeSnapshotRef: { name: "monolith-db-dev-source", namespace: "monolith-dev" },
            volumeSnapshotClassName: "longhorn",
        });
        const source = one(
            box,
            (o) => o.kind === "VolumeSnapshot" && o.metadata.namespace === "monolith-dev",
        );
        assert.equal(source.metadata.name, "monolith-db-dev-source");
        assert.equal(source.metadata.labels?.["cnpg.io/backupName"], name);
        assert.equal(source.metadata.labels?.[owned], "monolith-dev.monolith-db-dev");
        assert.deepEqual(source.metadata.annotations, {
            "cnpg.io/pvcRole": "PG_DATA",
            "release-pipeline.acme.dev/source-backup": name,
        });

        const secret = one(box, (o) => o.kind === "Secret");
        assert.equal(secret.metadata.namespace, "monolith-dev");
        assert.equal(secret.type, "kubernetes.io/basic-auth");
        assert.equal(secret.stringData?.username, "app");
        assert.match(secret.stringData?.password ?? "", /^[A-Za-z0-9]{32}$/);
        // The seeded clone loses prod's verifiers before `pulumi up` returns, not at the first refresh.
        assert.deepEqual(
            execs(box).map((e) => e.pod),
            ["monolith-db-dev-1"],
        );
        const log = readFileSync(join(box.dir, "kubectl.log"), "utf8");
        assert.doesNotMatch(
            log,
            /clusters\.postgresql\.cnpg\.io monolith-db-dev --ignore-not-found|apply/,
            "never deletes or creates Pulumi's Cluster",
        );

        const again = run(box, seedJob);
        assert.equal(again.status, 0, again.stderr);
        assert.match(again.stdout, /already seeded/);
        assert.equal(backupsIn(box).length, 1, "no second snapshot of prod");
        assert.equal(execs(box).length, 2, "clears again: idempotent");
    });

    it("seed: a failed Backup is not sticky, the next run takes a new one", async () => {
        const box = createSandbox();
        kube(box, prodCluster());
        pulumiCreatesClone(box);
        setState(box, { backupPhase: "failed" });
        const failed = run(box, seedJob);
        assert.equal(failed.status, 1);
        assert.match(
            failed.stderr,
            /refresh FAILED: Backup monolith\/monolith-db-dev-clone-\d{14} failed: snapshot class not found/,
        );
        await sleep(1100); // Backup names carry the second they were requested
        setState(box, { backupPhase: "completed" });
        const retried = run(box, seedJob);
        assert.equal(retried.status, 0, retried.stderr);
        const [first, second] = backupsIn(box);
        assert.ok(first && second && first !== second, `two Backups: ${backupsIn(box).join(", ")}`);
        assert.equal(
            one(box, (o) => o.metadata.name === "monolith-db-dev-source").metadata.labels?.[
                "cnpg.io/backupName"
            ],
            second.split("/")[1],
        );
    });

    it("on promotion: new cold Backup, clone recreated under Pulumi's field manager, old Backups and snapshots pruned", async () => {
        const box = createSandbox();
        kube(box, prodCluster());
        pulumiCreatesClone(box);
        assert.equal(run(box, seedJob).status, 0);
        const password = one(box, (o) => o.kind === "Secret").stringData?.password;

        const backups: string[] = [];
        for (let i = 0; i < 3; i++) {
            await sleep(1100); // Backup names carry the second they were requested
            const r = run(box, hookJob);
            assert.equal(r.status, 0, r.stderr);
            const source = one(box, (o) => o.metadata.name === "monolith-db-dev-source");
            backups.push(source.metadata.annotations?.["release-pipeline.acme.dev/source-backup"] ?? "");
            assert.match(
                r.stdout,
                /clone monolith-dev\/monolith-db-dev is Ready, restored from monolith\/monolith-db-dev-clone-\d{14}/,
            );
        }
        const created = one(box, (o) => o.kind === "Backup" && o.metadata.name === backups[2]);
        assert.deepEqual(
            { method: created.spec?.method, online: created.spec?.online, target: created.spec?.target },
            { method: "volumeSnapshot", online: false, target: "prefer-standby" },
        );
        // keepBackups 2: the current and the previous one; the seed's went with the first refreshes.
        assert.deepEqual(backupsIn(box), [`monolith/${backups[1]}`, `monolith/${backups[2]}`]);
        assert.deepEqual(
            names(box, "VolumeSnapshot")
                .filter((n) => n.startsWith("monolith/"))
                .sort(),
            [`monolith/${backups[1]}`, `monolith/${backups[2]}`],
            "every pruned Backup's VolumeSnapshot went with it (found by cnpg.io/backupName)",
        );
        const clone = one(box, (o) => o.kind === "Cluster" && o.metadata.namespace === "monolith-dev");
        // Pulumi applies as the same manager (annotation), so its next change finds every field its own.
        assert.deepEqual(clone.metadata.managedFields, [
            { manager: CLONE_FIELD_MANAGER, operation: "Apply" },
        ]);
        assert.equal(clone.metadata.annotations?.["pulumi.com/patchFieldManager"], CLONE_FIELD_MANAGER);
        assert.deepEqual(names(box, "PersistentVolumeClaim"), ["monolith-dev/monolith-db-dev-1"]);
        // One dev-side content at a time: the previous binding is gone.
        assert.deepEqual(
            objects(box)
                .filter((o) => o.kind === "VolumeSnapshotContent" && o.metadata.labels?.[owned])
                .map((o) => at(o.spec, "source", "snapshotHandle")),
            [`handle-${backups[2]}`],
        );
        assert.equal(one(box, (o) => o.kind === "Secret").stringData?.password, password);
        // After every restore, in the clone's own pod: every password verifier but the owner's is cleared.
        assert.equal(execs(box).length, 4);
        for (const e of execs(box)) {
            assert.equal(e.pod, "monolith-db-dev-1");
            assert.deepEqual(e.command.slice(0, 7), [
                "psql",
                "-v",
                "ON_ERROR_STOP=1",
                "-qAt",
                "-d",
                "postgres",
                "-c",
            ]);
            assert.match(e.command[7], /WHERE rolpassword IS NOT NULL AND rolname <> 'app' LOOP/);
            assert.match(e.command[7], /EXECUTE format\('ALTER ROLE %I PASSWORD NULL', r\.rolname\)/);
            assert.match(e.command[7], /^DO \$\$DECLARE/);
        }
        const log = readFileSync(join(box.dir, "kubectl.log"), "utf8");
        assert.doesNotMatch(
            log,
            /get secret \S+ -n monolith\b|-n monolith get secret/,
            "never reads a prod Secret",
        );
    });

    const refusals: { name: string; prod?: object; state?: Record<string, unknown>; message: RegExp }[] = [
        {
            name: "prod with one Ready instance",
            prod: prodCluster({ readyInstances: 1 }),
            message:
                /refresh FAILED: no snapshot taken: prod's Cluster monolith\/monolith-db has 1 Ready instance\(s\) of 2, so no Ready standby; CloudNativePG would fence the primary/,
        },
        {
            name: "prod with no status yet",
            prod: { ...prodCluster(), status: {} },
            message: /has 0 Ready instance\(s\) of 2, so no Ready standby/,
        },
        {
            name: "prod in a switchover",
            prod: prodCluster({ readyInstances: 3, targetPrimary: "monolith-db-2" }),
            message:
                /has a switchover is under way \(currentPrimary "monolith-db-1", targetPrimary "monolith-db-2"\); CloudNativePG would fence the primary/,
        },
        {
            name: "prod not healthy (a rolling update)",
            prod: prodCluster({ phase: "Upgrading cluster" }),
            message: /has phase is "Upgrading cluster", not "Cluster in healthy state"/,
        },
        {
            name: "no prod Cluster at all",
            message: /refresh FAILED: cannot read prod's Cluster monolith\/monolith-db/,
        },
        {
            name: "a failed Backup",
            prod: prodCluster(),
            state: { backupPhase: "failed" },
            message:
                /refresh FAILED: Backup monolith\/monolith-db-dev-clone-\d{14} failed: snapshot class not found/,
        },
        {
            name: "a prod cluster with a separate WAL volume",
            prod: prodCluster(),
            state: { walStorage: true },
            message:
                /refresh FAILED: Backup monolith-db-dev-clone-\d{14} has snapshots besides PG_DATA .*PG_WAL.*; the clone supports a PGDATA-only prod cluster/,
        },
        {
            name: "a snapshot larger than the clone's volume",
            prod: prodCluster(),
            state: { restoreSize: 10 * 1024 ** 3 + 1 },
            message:
                /refresh FAILED: the snapshot of monolith\/monolith-db-dev-clone-\d{14} needs 10737418241 bytes, more than devData\.clone\.size \(10737418240 bytes\); nothing in monolith-dev was touched/,
        },
        {
            name: "no restoreSize and a prod volume larger than the clone's",
            prod: prodCluster({}, { storage: { size: "12Gi" } }),
            state: { restoreSize: null },
            message: /needs 12884901888 bytes, more than devData\.clone\.size \(10737418240 bytes\)/,
        },
        {
            name: "no restoreSize and no readable prod volume size",
            prod: prodCluster({}, { storage: {} }),
            state: { restoreSize: null },
            message: /reports no restoreSize and prod's Cluster no readable storage size/,
        },
    ];
    for (const f of refusals) {
        it(`refuses ${f.name} and leaves the old clone as it was`, () => {
            const box = createSandbox();
            if (f.prod) kube(box, f.prod);
            pulumiCreatesClone(box);
            setState(box, f.state ?? {});
            const r = run(box, hookJob);
            assert.equal(r.status, 1, r.stdout);
            assert.match(r.stderr, f.message);
            const clone = one(box, (o) => o.kind === "Cluster" && o.metadata.namespace === "monolith-dev");
            assert.deepEqual(
                clone.metadata.managedFields,
                [{ manager: "kubectl-create", operation: "Update" }],
                "the old clone keeps running",
            );
            assert.deepEqual(
                names(box, "VolumeSnapshotContent").filter((n) => n.startsWith("monolith-dev-")),
                [],
            );
            if (!f.state) assert.deepEqual(backupsIn(box), [], "no snapshot of prod was even requested");
        });
    }

    it("warns when CloudNativePG fenced the primary after all (a standby lost between check and election)", () => {
        const box = createSandbox();
        kube(box, prodCluster());
        pulumiCreatesClone(box);
        setState(box, { fencedPod: "monolith-db-1" });
        const r = run(box, hookJob);
        assert.equal(r.status, 0, r.stderr);
        assert.match(
            r.stderr,
            /WARNING: CloudNativePG fenced prod's primary monolith-db-1 for this snapshot \(its standby stopped being Ready after the check\)/,
        );
        const quiet = createSandbox();
        kube(quiet, prodCluster());
        pulumiCreatesClone(quiet);
        assert.doesNotMatch(run(quiet, hookJob).stderr, /WARNING/);
    });

    it("accepts a snapshot without restoreSize when prod's volume fits the clone", () => {
        const box = createSandbox();
        kube(
            box,
            prodCluster({}, { storage: { pvcTemplate: { resources: { requests: { storage: "8Gi" } } } } }),
        );
        pulumiCreatesClone(box);
        setState(box, { restoreSize: null });
        const r = run(box, hookJob);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /needs 8589934592 of the clone's 10737418240 bytes/);
    });

    it("on a schedule: the CronJob's run takes its own Backup after the same checks", () => {
        const scheduled = configOf("dev", { devData: { refresh: { cadence: "schedule" } } });
        const box = createSandbox(scheduled);
        kube(box, prodCluster());
        pulumiCreatesClone(box);
        const r = run(box, { spec: buildRefreshCronJob(scheduled).spec?.jobTemplate.spec });
        assert.equal(r.status, 0, r.stderr);
        const [backup] = backupsIn(box);
        assert.match(backup, backupName);
        assert.equal(
            one(box, (o) => o.metadata.name === "monolith-db-dev-source").metadata.labels?.[
                "cnpg.io/backupName"
            ],
            backup.split("/")[1],
        );
        const refused = createSandbox(scheduled);
        kube(refused, prodCluster({ readyInstances: 1 }));
        assert.equal(run(refused, { spec: buildRefreshCronJob(scheduled).spec?.jobTemplate.spec }).status, 1);
        assert.deepEqual(backupsIn(refused), []);
    });
});
