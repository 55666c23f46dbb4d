import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { runCli } from "./helpers/cli";
import { makeTempDir } from "./helpers/git-fixture";
import { gitIn } from "./helpers/origin";
import { ensureRegistry } from "./helpers/registry";
import { assertReleaseInvariants, installHook, setupReleaseCase } from "./helpers/release-setup";

/**
 * A pre-push hook that SIGKILLs the release process (git push's parent, after checking it is chart-release)
 * while git push is running, then lets the push fail or go through without it: "killed during the push".
 */
function killDuringPushHook(pushLands: boolean): string {
    return `#!/bin/sh
release_pid=$(awk '{print $4}' /proc/$PPID/stat)
if tr '\\0' ' ' < /proc/$release_pid/cmdline | grep -q chart-release; then
    kill -9 "$release_pid"
    sleep 0.3
fi
exit ${pushLands ? 0 : 1}
`;
}

interface Phase {
    name: string;
    env?: string;
    hook?: boolean;
    /** Whether the release commit and tag are on origin after the kill. */
    pushed: boolean | "either";
}

const PHASES: Phase[] = [
    { name: "before the commit", env: "before-commit", pushed: false },
    { name: "after the commit, before the push", env: "before-push", pushed: false },
    { name: "during the push (the push aborted)", hook: false, pushed: false },
    { name: "during the push (the push landed after the kill)", hook: true, pushed: "either" },
    { name: "after the push, before the blob upload", env: "after-push", pushed: true },
    { name: "between the two blob uploads", env: "after-config-blob", pushed: true },
    { name: "after the blobs, before the manifest", env: "before-manifest", pushed: true },
    { name: "during the manifest upload", env: "during-manifest", pushed: true },
];

describe("fault injection: release --push killed at each phase, then --resume from a fresh clone", function () {
    this.timeout(240_000);
    let root: string;
    let address: string;
    before(async () => {
        address = await ensureRegistry();
        root = makeTempDir("fault");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    for (const [index, phase] of PHASES.entries()) {
        it(`killed ${phase.name}: never a chart without its commit on main, nothing lost, published once`, async () => {
            const s = setupReleaseCase(root, `fault-${index}`, address);
            const work = s.clone("work");
            const fix = work.commit("fix: merged before the release", ["chart/values.yaml"]);
            const feat = work.commit("feat: merged too", ["chart/templates/f.yaml"]);
            work.git("push", "--quiet", "origin", "HEAD:main");
            if (phase.hook !== undefined) installHook(work.dir, "pre-push", killDuringPushHook(phase.hook));

            const env = phase.env === undefined ? {} : { CHART_RELEASE_FAULT: phase.env };
            const killed = await runCli([...s.args, "--push"], work.dir, env);
            assert.notEqual(killed.code, 0, "the release process was killed");
            assert.doesNotMatch(killed.stdout, /released/);
            await new Promise((resolve) => setTimeout(resolve, 500)); // an orphaned git push finishes
            const tagged = gitIn(s.origin, "tag", "--list").trim();
            if (phase.pushed !== "either") assert.equal(tagged, phase.pushed ? "mychart-0.2.0" : "");
            // Even mid-failure: whatever is published has its commit on main.
            await assertReleaseInvariants(s, [fix, feat], { resumed: false });
            if (phase.pushed === true) assert.deepEqual(await s.registry.listTags(s.repository), []);

            const fresh = s.clone("fresh");
            const resumed = await runCli([...s.args, "--push", "--resume"], fresh.dir);
            assert.equal(resumed.code, 0, resumed.stderr);
            await assertReleaseInvariants(s, [fix, feat], { resumed: true });
            assert.deepEqual(await s.registry.listTags(s.repository), ["0.2.0"]);
            assert.equal(gitIn(s.origin, "tag", "--list").trim(), "mychart-0.2.0");
            const releases = gitIn(
                s.origin,
                "log",
                "--format=%H",
                "--grep=^Chart-Release: mychart 0.2.0$",
                "main",
            );
            assert.equal(releases.trim().split("\n").length, 1, "exactly one release commit for 0.2.0");

            // Running again changes nothing: no second publish, no second release.
            const again = await runCli([...s.args, "--push", "--resume"], s.clone("again").dir);
            assert.equal(again.code, 0, again.stderr);
            assert.match(again.stdout, /nothing to release: mychart 0.2.0 covers HEAD/);
            await assertReleaseInvariants(s, [fix, feat], { resumed: true });
        });
    }
});
