/**
 * Issue 18 item 4: what pulumi-kubernetes skips in preview (an unknown kind) is read as a prerequisite:
 * the 1Password operator's CRD before every OnePasswordItem, CloudNativePG, the snapshot API and a prod
 * Cluster fit for cold snapshots before the dev data plane. The pure checks case by case, then the program.
 */
import assert from "node:assert/strict";
import {
    buildPlatformPrerequisites,
    checkProdCluster,
    ONEPASSWORD_ITEM_TYPE,
    type ProdClusterView,
} from "../../../components/platform/prerequisites";
import type { StackConfig } from "../../../components/config";
import { DevDataPlane } from "../../../components/devData/devDataPlane";
import { OFFLINE_CLUSTER_STATES } from "../../../offline/runtime/cluster";
import type { RunResult } from "../../../offline/runtime/mockRuntime";
import { loadStackFile, runStack } from "../../../offline/runtime/synth";
import { stackConfig } from "../../support/config";
import { synthesizeStack } from "../../support/stacks";

const names = (reads: readonly { name: string }[]) => reads.map((r) => r.name);
const WHERE = "Cluster monolith/monolith-db (devData.prod): ";
const GOOD: ProdClusterView = {
    spec: { instances: 3, backup: { volumeSnapshot: { className: "csi-rbd" } } },
};

describe("platform prerequisites: what is read", () => {
    it("dev (clone in dev): the 1Password CRD, CloudNativePG's and the snapshot API's CRDs and prod's Cluster", () => {
        const p = buildPlatformPrerequisites(stackConfig("dev"), true);
        assert.deepEqual(names(p.onepassword), ["onepassworditems.onepassword.com"]);
        assert.deepEqual(names(p.devData), [
            "clusters.postgresql.cnpg.io",
            "backups.postgresql.cnpg.io",
            "volumesnapshots.snapshot.storage.k8s.io",
            "volumesnapshotcontents.snapshot.storage.k8s.io",
            "volumesnapshotclasses.snapshot.storage.k8s.io",
            "monolith-db",
        ]);
    });
    it("cadence schedule reads the same CRDs: the refresher creates every Backup, no ScheduledBackup is declared", () => {
        const cfg = stackConfig("dev", { devData: { refresh: { cadence: "schedule" } } });
        const p = buildPlatformPrerequisites(cfg, true);
        assert.deepEqual(
            names(p.devData),
            names(buildPlatformPrerequisites(stackConfig("dev"), true).devData),
        );
        assert.ok(!names(p.devData).includes("scheduledbackups.postgresql.cnpg.io"));
    });
    it("prod (no clone): the 1Password CRD only", () => {
        const p = buildPlatformPrerequisites(stackConfig("prod"), false);
        assert.deepEqual(names(p.onepassword), ["onepassworditems.onepassword.com"]);
        assert.deepEqual(p.devData, []);
    });
    it("bump-only without the registry credential declares no OnePasswordItem and reads nothing", () => {
        const cfg = stackConfig("prod", {
            pipeline: { mode: "bump-only", warehouseLayout: "shared" },
            chartRelease: { githubApp: { appId: 3 } },
            registryCredential: { enabled: false },
        });
        assert.deepEqual(buildPlatformPrerequisites(cfg, false), { onepassword: [], devData: [] });
    });
});

describe("platform prerequisites: which stacks declare the data plane", () => {
    const cases: [string, StackConfig, boolean][] = [
        ["dev (devCharts all)", stackConfig("dev"), true],
        ["prod (devCharts without monolith)", stackConfig("prod"), false],
        [
            "dev in bump-only",
            stackConfig("dev", {
                pipeline: { mode: "bump-only", warehouseLayout: "shared" },
                chartRelease: { githubApp: { appId: 3 } },
            }),
            false,
        ],
    ];
    for (const [what, cfg, declared] of cases) {
        it(`${what}: ${declared ? "declares" : "does not declare"} it`, () =>
            assert.equal(DevDataPlane.isDeclared(cfg), declared));
    }
});

describe("platform prerequisites: prod's Cluster", () => {
    const cfg = stackConfig("dev");
    const cases: [string, ProdClusterView, string | undefined][] = [
        ["3 instances and a named snapshot class", GOOD, undefined],
        [
            "one instance (a cold snapshot would fence the primary)",
            { spec: { ...GOOD.spec, instances: 1 } },
            "spec.instances is 1; a cold snapshot fences its target and CloudNativePG falls back to the primary without a standby; allowed: 2 or more",
        ],
        [
            "no backup section",
            { spec: { instances: 3 } },
            "spec.backup.volumeSnapshot.className is null; the clone's snapshot Backups need prod's VolumeSnapshotClass by name; allowed: the class of prod's CSI driver",
        ],
        [
            "an empty class name (the cluster default, which may not exist)",
            { spec: { instances: 2, backup: { volumeSnapshot: { className: "" } } } },
            "spec.backup.volumeSnapshot.className is \"\"; the clone's snapshot Backups need prod's VolumeSnapshotClass by name; allowed: the class of prod's CSI driver",
        ],
    ];
    for (const [what, cluster, message] of cases) {
        it(`${message ? "refuses" : "accepts"} ${what}`, () =>
            assert.equal(checkProdCluster(cluster, cfg), message && WHERE + message));
    }
    it("lists both problems of a Cluster that has neither", () => {
        const problem = checkProdCluster({ spec: {} }, cfg) ?? "";
        assert.match(problem, /spec.instances is null;.*; spec.backup.volumeSnapshot.className is null;/);
    });
});

describe("platform prerequisites: the program", () => {
    let run: RunResult;
    before(async () => (run = await synthesizeStack("dev")));
    const urnOf = (pred: (r: RunResult["resources"][number]) => boolean) => run.resources.find(pred)?.urn;

    it("every OnePasswordItem waits for the operator's CRD", () => {
        const crd = urnOf((r) => r.read && r.name.endsWith("onepassworditems.onepassword.com"));
        assert.ok(crd);
        const items = run.resources.filter((r) => r.type === ONEPASSWORD_ITEM_TYPE && !r.read);
        assert.ok(items.length >= 3);
        for (const item of items) assert.ok(item.dependencies.includes(crd), `${item.name} does not wait`);
    });
    it("every object of the dev data plane waits for prod's Cluster, its snapshot class and CNPG's CRD", () => {
        const needed = [
            urnOf((r) => r.read && r.type === "kubernetes:postgresql.cnpg.io/v1:Cluster"),
            urnOf((r) => r.read && r.type === "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass"),
            urnOf((r) => r.read && r.name.endsWith("clusters.postgresql.cnpg.io")),
        ];
        assert.ok(needed.every(Boolean));
        const plane = run.resources.filter((r) => !r.read && r.urn.includes("DevDataPlane$"));
        assert.ok(plane.length > 10);
        for (const r of plane) {
            for (const u of needed) assert.ok(r.dependencies.includes(u as string), `${r.name} misses ${u}`);
        }
    });
    it("fails the run with the check's message when prod's Cluster has one instance", async () => {
        const states = {
            ...OFFLINE_CLUSTER_STATES,
            "kubernetes:postgresql.cnpg.io/v1:Cluster": () => ({
                spec: { instances: 1, backup: { volumeSnapshot: { className: "csi-rbd" } } },
            }),
        };
        await assert.rejects(
            runStack("dev", loadStackFile("dev"), false, states),
            /Cluster monolith\/monolith-db \(devData.prod\): spec.instances is 1;/,
        );
    });
});
