import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { EXIT } from "../src/errors";
import { runCli } from "./helpers/cli";
import { makeTempDir } from "./helpers/git-fixture";
import { gitIn } from "./helpers/origin";
import { ensureRegistry } from "./helpers/registry";
import { assertReleaseInvariants, setupReleaseCase } from "./helpers/release-setup";

describe("--resume publishes only what the remote branch has, verified remotely (real git, real registry)", function () {
    this.timeout(180_000);
    let root: string;
    let address: string;
    before(async () => {
        address = await ensureRegistry();
        root = makeTempDir("resume");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    let counter = 0;
    function prepare() {
        const setup = setupReleaseCase(root, `resume-${++counter}`, address);
        const work = setup.clone("work");
        const fix = work.commit("fix: merged", ["chart/values.yaml"]);
        work.git("push", "--quiet", "origin", "HEAD:main");
        return { ...setup, work, fix, before: gitIn(setup.origin, "rev-parse", "main") };
    }

    it("never publishes a tag an interrupted push left local; a fresh clone releases the version once", async () => {
        const s = prepare();
        const killed = await runCli([...s.args, "--push"], s.work.dir, {
            CHART_RELEASE_FAULT: "before-push",
        });
        assert.notEqual(killed.code, 0);
        assert.equal(s.work.git("tag", "--list").trim(), "mychart-0.1.1", "tag made locally");
        assert.equal(gitIn(s.origin, "tag", "--list"), "", "but never pushed");

        // Same clone, HEAD still on the unpushed release commit: refused as a commit origin lacks.
        const sameClone = await runCli([...s.args, "--push", "--resume"], s.work.dir);
        assert.equal(sameClone.code, EXIT.notReleaseBranch, sameClone.stderr);
        assert.match(sameClone.stderr, /chore\(release\): mychart 0\.1\.1/);
        assert.deepEqual(await s.registry.listTags(s.repository), []);

        // Same clone reset to origin/main, the stray tag still here: resume does not publish from it.
        s.work.git("reset", "--quiet", "--hard", "origin/main");
        const stray = await runCli([...s.args, "--push", "--resume"], s.work.dir);
        assert.equal(stray.code, EXIT.versionExists, stray.stderr);
        assert.match(
            stray.stderr,
            /tag mychart-0.1.1 already exists in this clone .* leftover of an interrupted release/,
        );
        assert.deepEqual(await s.registry.listTags(s.repository), []);
        assert.equal(gitIn(s.origin, "rev-parse", "main"), s.before);

        const fresh = s.clone("fresh");
        const resumed = await runCli([...s.args, "--push", "--resume", "--json"], fresh.dir);
        assert.equal(resumed.code, 0, resumed.stderr);
        assert.match(resumed.stderr, /resume: no tag mychart-0.1.0 on origin/);
        assert.equal((JSON.parse(resumed.stdout) as { version: string }).version, "0.1.1");
        await assertReleaseInvariants(s, [s.fix], { resumed: true });
        assert.deepEqual(await s.registry.listTags(s.repository), ["0.1.1"]);
    });

    const strayTags = [
        {
            name: "a tag on a side branch",
            arrange: (s: ReturnType<typeof prepare>) => {
                s.work.git("checkout", "--quiet", "-b", "side");
                s.work.commit("fix: side work", ["chart/templates/side.yaml"]);
                s.work.git("tag", "-a", "-m", "stray", "mychart-0.1.0");
                s.work.git("push", "--quiet", "origin", "side", "refs/tags/mychart-0.1.0");
            },
        },
        {
            name: "a lightweight tag on an orphan commit",
            arrange: (s: ReturnType<typeof prepare>) => {
                s.work.git("checkout", "--quiet", "--orphan", "orphan");
                s.work.commitAll("chore: orphan");
                s.work.git("tag", "mychart-0.1.0");
                s.work.git("push", "--quiet", "origin", "refs/tags/mychart-0.1.0");
            },
        },
    ];
    for (const row of strayTags) {
        it(`refuses to publish ${row.name} whose commit is not on origin/main (exit 12), dry run too`, async () => {
            const s = prepare();
            row.arrange(s);
            const fresh = s.clone("fresh");
            for (const extra of [["--push"], []]) {
                const result = await runCli([...s.args, ...extra, "--resume"], fresh.dir);
                assert.equal(result.code, EXIT.unverifiedRelease, result.stderr);
                assert.match(
                    result.stderr,
                    /tag mychart-0.1.0 on origin points at [0-9a-f]{12}, which is not on origin\/main/,
                );
                assert.deepEqual(await s.registry.listTags(s.repository), []);
                assert.equal(gitIn(s.origin, "rev-parse", "main"), s.before);
            }
        });
    }

    const unverifiable = [
        {
            name: "the remote is gone (dry run: ls-remote fails)",
            url: "/nonexistent/origin.git",
            extra: [] as string[],
        },
        {
            name: "the remote is gone (--push: fetch fails)",
            url: "/nonexistent/origin.git",
            extra: ["--push"],
        },
        { name: "the remote has no such branch", url: null, extra: ["--branch", "no-such-branch"] },
    ];
    for (const row of unverifiable) {
        it(`a failure to verify is an error, not skipped: ${row.name} (exit 11)`, async () => {
            const s = prepare();
            const fresh = s.clone("fresh");
            if (row.url !== null) fresh.git("remote", "set-url", "origin", row.url);
            const result = await runCli([...s.args, ...row.extra, "--resume"], fresh.dir);
            assert.equal(result.code, EXIT.remote, result.stderr);
            assert.match(result.stderr, /cannot (verify|fetch)|has no branch no-such-branch/);
            assert.equal(result.stderr.trim().split("\n").length, 1);
            assert.deepEqual(await s.registry.listTags(s.repository), []);
        });
    }
});
