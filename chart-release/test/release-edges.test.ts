import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { EXIT } from "../src/errors";
import { readArchiveChartName } from "../src/preflight";
import { LAUNCHER, runCli } from "./helpers/cli";
import { CHART_YAML, makeTempDir, type GitFixture } from "./helpers/git-fixture";
import { gitIn } from "./helpers/origin";
import { ensureRegistry } from "./helpers/registry";
import { countManifestsEverTagged, installHook, setupReleaseCase } from "./helpers/release-setup";

describe("release: local git failures, identical runs, the remote's reasons (issue 19, real git and registry)", function () {
    this.timeout(180_000);
    let root: string;
    let address: string;
    before(async () => {
        address = await ensureRegistry();
        root = makeTempDir("edges");
    });
    after(() => rmSync(root, { recursive: true, force: true }));
    let counter = 0;
    function prepare() {
        const s = setupReleaseCase(root, `edge-${++counter}`, address);
        const work = s.clone("work");
        work.commit("fix: merged", ["chart/values.yaml"]);
        work.git("push", "--quiet", "origin", "HEAD:main");
        return { ...s, work, before: gitIn(s.origin, "rev-parse", "main") };
    }

    const refusing = `#!/bin/sh
[ "$1" = prepared ] || exit 0
if grep -q " refs/tags/"; then echo "tags are frozen here" >&2; exit 1; fi
`;
    const localFailures: {
        name: string;
        arrange(work: GitFixture): void;
        undo(work: GitFixture): void;
        step: RegExp;
    }[] = [
        {
            name: "commit.gpgsign with a failing gpg",
            arrange: (w) => w.git("config", "commit.gpgsign", "true"),
            undo: (w) => w.git("config", "--unset", "commit.gpgsign"),
            step: /git could not make the release commit in .*: error: gpg failed to sign the data/,
        },
        {
            name: "tag.gpgSign with a failing gpg (after the commit)",
            arrange: (w) => w.git("config", "tag.gpgSign", "true"),
            undo: (w) => w.git("config", "--unset", "tag.gpgSign"),
            step: /git could not tag the release commit in .*gpg failed to sign the data/,
        },
        {
            name: "a reference-transaction hook refusing the tag (after the commit)",
            arrange: (w) => installHook(w.dir, "reference-transaction", refusing),
            undo: (w) => rmSync(path.join(w.dir, ".git", "hooks", "reference-transaction")),
            step: /git could not tag the release commit in .*tags are frozen here/,
        },
    ];
    for (const row of localFailures) {
        it(`${row.name}: exit 13, commit, tag and edits undone, the next run releases (item 8)`, async () => {
            const s = prepare();
            const head = s.work.head();
            s.work.git("config", "gpg.program", "false");
            row.arrange(s.work);
            const failed = await runCli([...s.args, "--push"], s.work.dir);
            assert.equal(failed.code, EXIT.localGit, failed.stderr);
            assert.match(failed.stderr, row.step);
            assert.match(
                failed.stderr,
                /The release commit, tag and file edits were undone; nothing was pushed or published/,
            );
            assert.doesNotMatch(failed.stderr, /internal error|\n\s+at /);
            assert.equal(s.work.head(), head);
            assert.equal(s.work.git("status", "--porcelain"), "");
            assert.equal(s.work.git("tag", "--list"), "");
            assert.equal(gitIn(s.origin, "rev-parse", "main"), s.before);
            assert.deepEqual(await s.registry.listTags(s.repository), []);
            row.undo(s.work);
            const next = await runCli([...s.args, "--push"], s.work.dir);
            assert.equal(next.code, 0, next.stderr);
            assert.match(next.stdout, /released mychart 0.1.1/);
        });
    }

    it("two runs making the identical release commit in the same second: exactly one publishes (item 19)", async () => {
        const s = prepare();
        const other = s.clone("other");
        for (const clone of [s.work, other]) {
            clone.git("config", "user.name", "release bot");
            clone.git("config", "user.email", "bot@example.invalid");
        }
        const env = { GIT_AUTHOR_DATE: "2026-02-01T00:00:00Z", GIT_COMMITTER_DATE: "2026-02-01T00:00:00Z" };
        // The other run releases completely while this run sits between its commit and its push.
        const log = path.join(s.dir, "other.log");
        installHook(
            s.work.dir,
            "post-commit",
            `#!/bin/sh
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE GIT_PREFIX
cd ${JSON.stringify(other.dir)} && ${JSON.stringify(process.execPath)} ${JSON.stringify(LAUNCHER)} ${s.args.map((a) => JSON.stringify(a)).join(" ")} --push > ${JSON.stringify(log)} 2>&1
`,
        );
        const first = await runCli([...s.args, "--push"], s.work.dir, env);
        const otherLog = execFileSync("cat", [log], { encoding: "utf8" });
        assert.equal(first.code, 0, first.stderr);
        assert.match(otherLog, /released mychart 0.1.1/);
        assert.match(
            first.stdout,
            /nothing to release: another run released mychart 0.1.1 with the identical commit/,
        );
        assert.doesNotMatch(first.stdout, /^released/);
        assert.deepEqual(await s.registry.listTags(s.repository), ["0.1.1"]);
        assert.equal(countManifestsEverTagged(s.repository, "0.1.1"), 1);
    });

    it("a dry run in a clone behind origin reports what --push would release, moving nothing (item 18)", async () => {
        const s = prepare();
        const behind = s.work.head();
        const other = s.clone("other");
        other.commit("feat: merged elsewhere", ["chart/templates/other.yaml"]);
        other.git("push", "--quiet", "origin", "HEAD:main");
        const dry = await runCli(s.args, s.work.dir);
        assert.equal(dry.code, 0, dry.stderr);
        // HEAD alone has only the fix (0.1.1); --push fast-forwards first and releases the feat too.
        assert.match(dry.stdout, /would release mychart 0.2.0 \(minor\) covering 2 commit\(s\)/);
        assert.equal(s.work.head(), behind, "the dry run leaves HEAD where it was");
        assert.equal(s.work.git("status", "--porcelain"), "");
        const pushed = await runCli([...s.args, "--push"], s.work.dir);
        assert.equal(pushed.code, 0, pushed.stderr);
        assert.match(pushed.stdout, /released mychart 0.2.0 \(minor\)/);
    });

    it("a push refused by a branch rule shows the remote's reason lines (exit 11)", async () => {
        const s = prepare();
        const hook = path.join(s.origin, "hooks", "pre-receive");
        writeFileSync(
            hook,
            `#!/bin/sh
echo "error: GH013: Repository rule violations found for refs/heads/main." >&2
echo "- Changes must be made through a pull request." >&2
exit 1
`,
            { mode: 0o755 },
        );
        const result = await runCli([...s.args, "--push"], s.work.dir);
        assert.equal(result.code, EXIT.remote, result.stderr);
        assert.match(
            result.stderr,
            /push to origin failed and was not a lost race; nothing was published: remote: error: GH013: Repository rule violations found for refs\/heads\/main\. \| remote: - Changes must be made through a pull request\./,
        );
        assert.match(result.stderr, /\[remote rejected\]/);
        assert.equal(result.stderr.trim().split("\n").length, 1);
        assert.equal(s.work.git("tag", "--list"), "");
        assert.deepEqual(await s.registry.listTags(s.repository), []);
    });

    it("a dependency committed as an archive in charts/ is found by its Chart.yaml name (item 17)", async () => {
        const s = prepare();
        const build = path.join(s.dir, "build");
        mkdirSync(path.join(build, "postgresql"), { recursive: true });
        writeFileSync(
            path.join(build, "postgresql", "Chart.yaml"),
            "apiVersion: v2\nname: postgresql\nversion: 15.0.0\n",
        );
        const archive = execFileSync("tar", ["-czf", "-", "-C", build, "postgresql"]);
        assert.equal(readArchiveChartName(archive), "postgresql");
        assert.equal(readArchiveChartName(new Uint8Array([1, 2, 3])), null);
        writeFileSync(path.join(s.work.dir, "chart/charts/postgresql-15.0.0.tgz"), archive);
        s.work.write(
            "chart/Chart.yaml",
            CHART_YAML.replace('"0.0.0"', '"0.1.0"').replace(
                "dependencies:\n",
                "dependencies:\n  - name: postgresql\n    version: 15.0.0\n    repository: oci://registry-1.docker.io/bitnamicharts\n",
            ),
        );
        s.work.commitAll("feat: add postgresql");
        s.work.git("push", "--quiet", "origin", "HEAD:main");
        const result = await runCli([...s.args, "--push"], s.work.dir);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /released mychart 0.2.0/);
    });
});
