/**
 * The clean-up block of docs/runbooks.md, run as written against the fake cluster after a seed and a
 * refresh: it must find prod's VolumeSnapshots by cnpg.io/backupName, since CloudNativePG does not copy the
 * Backup's labels to them.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { buildRefreshHookJob, buildSeedJob } from "../../../components/devData/refresher";
import {
    backupsIn,
    createSandbox,
    hasJq,
    kube,
    names,
    objects,
    prodCluster,
    pulumiCreatesClone,
    run,
    sleep,
} from "./fakeCluster";
import { configOf } from "./helpers";

describe("the runbook's clean-up (docs/runbooks.md) against the fake cluster", function () {
    before(function () {
        if (!hasJq) this.skip();
    });

    /** The one `sh` block of the runbook's Delete step. */
    function cleanupBlock(): string {
        const doc = readFileSync(resolve(__dirname, "..", "..", "..", "docs", "runbooks.md"), "utf8");
        const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
        const cleanup = blocks.filter((b) => b.includes("cnpg.io/backupName"));
        assert.equal(cleanup.length, 1, "one clean-up block");
        return cleanup[0];
    }

    it("deletes every Backup the refresher made, their VolumeSnapshots (by cnpg.io/backupName) and the dev contents, nothing else", async () => {
        const cfg = configOf("dev");
        const box = createSandbox(cfg);
        kube(box, prodCluster());
        pulumiCreatesClone(box);
        assert.equal(run(box, buildSeedJob(cfg)).status, 0);
        await sleep(1100);
        assert.equal(run(box, buildRefreshHookJob(cfg)).status, 0);
        // prod's own Backup and snapshot, which the clean-up must leave alone
        const nightly = {
            apiVersion: "postgresql.cnpg.io/v1",
            kind: "Backup",
            metadata: { name: "monolith-db-nightly", namespace: "monolith" },
            spec: { cluster: { name: "monolith-db" }, method: "volumeSnapshot" },
        };
        kube(box, nightly);
        assert.deepEqual(
            names(box, "VolumeSnapshot").filter((n) => n.startsWith("monolith/")).length,
            3,
            "two refresher snapshots and the nightly one",
        );
        const r = spawnSync("sh", ["-eu", "-c", cleanupBlock()], {
            env: { ...process.env, ...box.env },
            encoding: "utf8",
        });
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(backupsIn(box), ["monolith/monolith-db-nightly"]);
        assert.deepEqual(
            names(box, "VolumeSnapshot").filter((n) => n.startsWith("monolith/")),
            ["monolith/monolith-db-nightly"],
        );
        assert.deepEqual(
            objects(box).filter(
                (o) =>
                    o.kind === "VolumeSnapshotContent" &&
                    o.metadata.labels?.["release-pipeline.acme.dev/dev-clone-source"],
            ),
            [],
        );
    });
});
