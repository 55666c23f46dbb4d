/**
 * refresh.sh run for real (sh, jq, sed) against a fake kubectl that plays the API server and the CNPG and
 * snapshot controllers (fixtures/fake-kubectl.cjs), with the exact environment and manifests the stack's
 * Job builders produce.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
    buildRefreshConfigMap,
    buildRefreshHookJob,
    buildSeedJob,
} from "../../../components/devData/refresher";
import { buildSeedBackup, buildSnapshotBackup } from "../../../components/devData/clone";
import type { Job } from "../../../components/core/builtins";
import { at } from "../../support/read";
import { configOf } from "./helpers";

const FAKE = resolve(__dirname, "fixtures", "fake-kubectl.cjs");
const hasJq = spawnSync("jq", ["--version"]).status === 0;

/** An object in the fake cluster's state, by the fields these tests read. */
interface FakeObject {
    readonly kind: string;
    readonly type?: string;
    readonly metadata: {
        readonly name: string;
        readonly namespace?: string;
        readonly labels?: Record<string, string>;
        readonly annotations?: Record<string, string>;
    };
    readonly spec?: Record<string, unknown>;
    readonly stringData?: Record<string, string>;
}

/** A command the fake cluster recorded for `kubectl exec`. */
interface FakeExec {
    readonly pod: string;
    readonly command: string[];
}

interface Sandbox {
    readonly dir: string;
    readonly env: NodeJS.ProcessEnv;
}

function createSandbox(): Sandbox {
    const dir = mkdtempSync(join(tmpdir(), "refresh-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "kubectl"), `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" "$@"\n`);
    chmodSync(join(bin, "kubectl"), 0o755);
    const data = buildRefreshConfigMap(configOf("dev")).data ?? {};
    for (const [file, text] of Object.entries(data)) writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, "state.json"), JSON.stringify({ objects: [] }));
    writeFileSync(join(dir, "kubectl.log"), "");
    return {
        dir,
        env: {
            PATH: `${bin}:${process.env.PATH}`,
            FAKE_KUBE_STATE: join(dir, "state.json"),
            FAKE_KUBE_LOG: join(dir, "kubectl.log"),
            MANIFESTS: dir,
        },
    };
}

function jobEnv(job: Job): Record<string, string> {
    const container = job.spec?.template.spec?.containers[0];
    return Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value ?? ""]));
}

function run(box: Sandbox, job: Job, extra: Record<string, string> = {}) {
    const env = { ...jobEnv(job), HOME: box.dir, ...box.env, ...extra };
    const r = spawnSync("sh", [join(box.dir, "refresh.sh")], { env, encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function kube(box: Sandbox, obj: object): void {
    const r = spawnSync(process.execPath, [FAKE, "create", "-f", "-"], {
        env: { ...process.env, ...box.env },
        input: JSON.stringify(obj),
        encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
}

function objects(box: Sandbox): FakeObject[] {
    return JSON.parse(readFileSync(join(box.dir, "state.json"), "utf8")).objects;
}

/** The one object matching `pred`; fails the test when there is none. */
function one(box: Sandbox, pred: (o: FakeObject) => boolean): FakeObject {
    const found = objects(box).find(pred);
    assert.ok(found, "expected a matching object in the fake cluster");
    return found;
}

function setState(box: Sandbox, patch: Record<string, unknown>): void {
    const state = JSON.parse(readFileSync(join(box.dir, "state.json"), "utf8"));
    writeFileSync(join(box.dir, "state.json"), JSON.stringify({ ...state, ...patch }));
}

const names = (box: Sandbox, kind: string) =>
    objects(box)
        .filter((o) => o.kind === kind)
        .map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("refresh.sh against a fake cluster", function () {
    before(function () {
        if (!hasJq) this.skip();
    });

    const cfg = configOf("dev");
    const seedJob = buildSeedJob(cfg);
    const hookJob = buildRefreshHookJob(cfg);
    const owned = "release-pipeline.acme.dev/dev-clone-source";

    it("seed: binds the seed Backup's snapshot into the dev namespace (Retain) and never creates the Cluster", () => {
        const box = createSandbox();
        kube(box, buildSeedBackup(cfg));
        const r = run(box, seedJob);
        assert.equal(r.status, 0, r.stderr);
        assert.match(
            r.stdout,
            /seeded monolith-dev\/monolith-db-dev-source from monolith\/monolith-db-dev-clone-seed/,
        );

        const content = one(
            box,
            (o) => o.metadata.name === "monolith-dev-monolith-db-dev-monolith-db-dev-clone-seed",
        );
        assert.deepEqual(content.spec, {
            deletionPolicy: "Retain",
            driver: "driver.longhorn.io",
            source: { snapshotHandle: "handle-monolith-db-dev-clone-seed" },
            volumeSnapshotRef: { name: "monolith-db-dev-source", namespace: "monolith-dev" },
            volumeSnapshotClassName: "longhorn",
        });
        const source = one(
            box,
            (o) => o.kind === "VolumeSnapshot" && o.metadata.namespace === "monolith-dev",
        );
        assert.equal(source.metadata.name, "monolith-db-dev-source");
        assert.equal(source.metadata.labels?.["cnpg.io/backupName"], "monolith-db-dev-clone-seed");
        assert.equal(source.metadata.labels?.[owned], "monolith-dev.monolith-db-dev");
        assert.deepEqual(source.metadata.annotations, {
            "cnpg.io/pvcRole": "PG_DATA",
            "release-pipeline.acme.dev/source-backup": "monolith-db-dev-clone-seed",
        });

        const secret = one(box, (o) => o.kind === "Secret");
        assert.equal(secret.metadata.namespace, "monolith-dev");
        assert.equal(secret.type, "kubernetes.io/basic-auth");
        assert.equal(secret.stringData?.username, "app");
        assert.match(secret.stringData?.password ?? "", /^[A-Za-z0-9]{32}$/);
        assert.deepEqual(names(box, "Cluster"), [], "Pulumi creates the Cluster, not the seed");

        const again = run(box, seedJob);
        assert.equal(again.status, 0, again.stderr);
        assert.match(again.stdout, /already seeded/);
        assert.equal(objects(box).filter((o) => o.kind === "Backup").length, 1);
    });

    it("on promotion: new cold Backup, clone deleted and recreated from it, same password, old Backups pruned", async () => {
        const box = createSandbox();
        kube(box, buildSeedBackup(cfg));
        assert.equal(run(box, seedJob).status, 0);
        kube(box, JSON.parse(readFileSync(join(box.dir, "cluster.json"), "utf8"))); // what Pulumi creates
        const password = one(box, (o) => o.kind === "Secret").stringData?.password;

        const backups: string[] = [];
        for (let i = 0; i < 3; i++) {
            if (i > 0) await sleep(1100); // Backup names carry the second they were requested
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
        // keepBackups 2: the current and the previous one; the seed (Pulumi's) is never pruned.
        assert.deepEqual(names(box, "Backup").sort(), [
            `monolith/${backups[1]}`,
            `monolith/${backups[2]}`,
            "monolith/monolith-db-dev-clone-seed",
        ]);
        assert.ok(
            !names(box, "VolumeSnapshot").includes(`monolith/${backups[0]}`),
            "pruned with its snapshot",
        );
        assert.deepEqual(names(box, "Cluster"), ["monolith-dev/monolith-db-dev"]);
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
        const execs = JSON.parse(readFileSync(join(box.dir, "state.json"), "utf8")).execs as FakeExec[];
        assert.equal(execs.length, 3);
        for (const e of execs) {
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

    const failures: { name: string; state: Record<string, unknown>; message: RegExp }[] = [
        {
            name: "a failed Backup",
            state: { backupPhase: "failed" },
            message:
                /refresh FAILED: Backup monolith\/monolith-db-dev-clone-\d{14} failed: snapshot class not found/,
        },
        {
            name: "a prod cluster with a separate WAL volume",
            state: { walStorage: true },
            message:
                /refresh FAILED: Backup monolith-db-dev-clone-\d{14} has snapshots besides PG_DATA .*PG_WAL.*; the clone supports a PGDATA-only prod cluster/,
        },
    ];
    for (const f of failures) {
        it(`fails on ${f.name} before touching the clone`, () => {
            const box = createSandbox();
            kube(box, JSON.parse(readFileSync(join(box.dir, "cluster.json"), "utf8")));
            setState(box, f.state);
            const r = run(box, hookJob);
            assert.equal(r.status, 1);
            assert.match(r.stderr, f.message);
            assert.deepEqual(
                names(box, "Cluster"),
                ["monolith-dev/monolith-db-dev"],
                "the old clone keeps running",
            );
        });
    }

    it("on a schedule: binds the newest Backup of the ScheduledBackup", () => {
        const scheduled = configOf("dev", { devData: { refresh: { cadence: "schedule" } } });
        const box = createSandbox();
        for (const name of ["monolith-db-dev-clone-20260101030000", "monolith-db-dev-clone-20260102030000"]) {
            const b = buildSnapshotBackup(scheduled, name);
            kube(box, {
                ...b,
                metadata: { ...b.metadata, labels: { "cnpg.io/scheduled-backup": "monolith-db-dev-clone" } },
            });
        }
        const r = run(box, buildSeedJob(scheduled));
        assert.equal(r.status, 0, r.stderr);
        const source = one(box, (o) => o.metadata.name === "monolith-db-dev-source");
        assert.equal(source.metadata.labels?.["cnpg.io/backupName"], "monolith-db-dev-clone-20260102030000");
    });
});
