import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { EXIT } from "../src/errors";
import { isShallowByFile } from "../src/safety";
import { runCli } from "./helpers/cli";
import { GitFixture, makeTempDir } from "./helpers/git-fixture";
import { gitIn } from "./helpers/origin";
import { ensureRegistry } from "./helpers/registry";
import { setupReleaseCase } from "./helpers/release-setup";

const DEPLOY = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: monolith
spec:
  source:
    repoURL: oci://ghcr.io/acme/charts
    chart: mychart
    targetRevision: 0.1.0
`;

describe("release safety: dirty trees, shallow clones, the release branch (real git, real registry)", function () {
    this.timeout(180_000);
    let root: string;
    let address: string;
    before(async () => {
        address = await ensureRegistry();
        root = makeTempDir("safety");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    let counter = 0;
    /** An origin with one merged fix, and a working clone of it. */
    function prepare() {
        const setup = setupReleaseCase(root, `safety-${++counter}`, address);
        const work = setup.clone("work");
        work.write("deploy/prod/monolith.yaml", DEPLOY);
        work.write("Pulumi.prod.yaml", "config:\n  release-pipeline:pipeline:\n    mode: bump-only\n");
        work.commitAll("chore: deploy file and stack config");
        const fix = work.commit("fix: a merged fix", ["chart/values.yaml"]);
        work.git("push", "--quiet", "origin", "HEAD:main");
        return { ...setup, work, fix, before: gitIn(setup.origin, "rev-parse", "main") };
    }

    async function assertNothingChanged(s: ReturnType<typeof prepare>) {
        assert.equal(gitIn(s.origin, "rev-parse", "main"), s.before, "origin main unchanged");
        assert.equal(gitIn(s.origin, "tag", "--list"), "", "no tag pushed");
        assert.deepEqual(await s.registry.listTags(s.repository), [], "nothing published");
    }

    describe("a dirty work tree is refused with exit 8, the dry run too", () => {
        const deployArgs = [
            "--stack-config",
            "Pulumi.prod.yaml",
            "--deploy-file",
            "deploy/prod/monolith.yaml",
        ];
        const table = [
            {
                name: "an unstaged edit of a chart template (push)",
                dirty: (w: GitFixture) =>
                    appendFileSync(path.join(w.dir, "chart/templates/deployment.yaml"), "x\n"),
                file: "chart/templates/deployment.yaml",
                extra: ["--push"],
            },
            {
                name: "a staged edit of Chart.yaml (push)",
                dirty: (w: GitFixture) => {
                    appendFileSync(path.join(w.dir, "chart/Chart.yaml"), "# staged\n");
                    w.git("add", "chart/Chart.yaml");
                },
                file: "chart/Chart.yaml",
                extra: ["--push"],
            },
            {
                name: "an untracked file in the chart (dry run)",
                dirty: (w: GitFixture) => w.write("chart/templates/new.yaml", "kind: ConfigMap\n"),
                file: "chart/templates/new.yaml",
                extra: [],
            },
            {
                name: "an edit under a --path glob (push)",
                dirty: (w: GitFixture) => appendFileSync(path.join(w.dir, "src/main.go"), "// edit\n"),
                file: "src/main.go",
                extra: ["--push", "--path", "src/**"],
            },
            {
                name: "an edit of the deploy file the release writes (push)",
                dirty: (w: GitFixture) =>
                    appendFileSync(path.join(w.dir, "deploy/prod/monolith.yaml"), "# local\n"),
                file: "deploy/prod/monolith.yaml",
                extra: ["--push", ...deployArgs],
            },
        ];
        for (const row of table) {
            it(row.name, async () => {
                const s = prepare();
                row.dirty(s.work);
                const headBefore = s.work.head();
                const result = await runCli([...s.args, ...row.extra], s.work.dir);
                assert.equal(result.code, EXIT.dirtyTree, result.stderr);
                assert.match(
                    result.stderr,
                    new RegExp(`uncommitted changes under the release's paths: .*${row.file}`),
                );
                assert.equal(result.stderr.trim().split("\n").length, 1, "one line");
                await assertNothingChanged(s);
                assert.equal(s.work.head(), headBefore);
                assert.notEqual(s.work.git("status", "--porcelain", "--", row.file), "", "the edit is kept");
            });
        }

        it("an edit outside the release's paths does not block, and stays out of the release commit", async () => {
            const s = prepare();
            appendFileSync(path.join(s.work.dir, "README.md"), "local notes\n");
            const result = await runCli([...s.args, "--push"], s.work.dir);
            assert.equal(result.code, 0, result.stderr);
            assert.equal(
                gitIn(s.origin, "show", "--name-only", "--format=", "main").trim(),
                "chart/Chart.yaml",
            );
            assert.match(readFileSync(path.join(s.work.dir, "README.md"), "utf8"), /local notes/);
            assert.deepEqual(await s.registry.listTags(s.repository), ["0.1.1"]);
        });
    });

    describe("a shallow clone is refused with exit 9, naming the fix", () => {
        let s: ReturnType<typeof prepare>;
        let shallow: string;
        before(() => {
            s = prepare();
            // More history than one commit: with --depth 1 the cut-off would look like the last release.
            s.work.commit("feat: another", ["chart/templates/b.yaml"]);
            s.work.git("push", "--quiet", "origin", "HEAD:main");
            shallow = path.join(s.dir, "shallow");
            execFileSync("git", ["clone", "--quiet", "--depth", "1", `file://${s.origin}`, shallow]);
            execFileSync("git", ["-C", shallow, "config", "user.name", "ci"]);
            execFileSync("git", ["-C", shallow, "config", "user.email", "ci@example.invalid"]);
        });
        const commands = [
            ["next"],
            ["next", "--since", "HEAD"],
            ["check-pr", "--base", "origin/main", "--head", "HEAD"],
            ["release-dry-run"],
            ["release-push"],
        ];
        for (const command of commands) {
            it(command.join(" "), async () => {
                const argv =
                    command[0] === "release-dry-run"
                        ? s.args
                        : command[0] === "release-push"
                          ? [...s.args, "--push"]
                          : command;
                const before = gitIn(s.origin, "rev-parse", "main");
                const result = await runCli(argv, shallow);
                assert.equal(result.code, EXIT.shallow, result.stderr);
                assert.match(result.stderr, /is a shallow clone/);
                assert.match(result.stderr, /git fetch --unshallow/);
                assert.match(result.stderr, /fetch-depth: 0/);
                assert.equal(result.stdout, "");
                assert.equal(gitIn(s.origin, "rev-parse", "main"), before);
                assert.deepEqual(await s.registry.listTags(s.repository), []);
            });
        }
        it("a worktree and a subfolder of the shallow clone are shallow too, read without git (exit 9)", async () => {
            const worktree = path.join(s.dir, "shallow-worktree");
            execFileSync("git", ["-C", shallow, "worktree", "add", "--quiet", "--detach", worktree]);
            assert.equal(isShallowByFile(worktree), true);
            assert.equal(isShallowByFile(path.join(shallow, "chart")), true);
            assert.equal(isShallowByFile(s.clone("deep").dir), false);
            assert.equal(
                isShallowByFile(worktree, { GIT_DIR: "x" }),
                null,
                "git decides when GIT_DIR is set",
            );
            for (const [cwd, chart] of [
                [worktree, "chart"],
                [path.join(shallow, "chart"), "."],
            ]) {
                const result = await runCli(["next", "--chart", chart], cwd);
                assert.equal(result.code, EXIT.shallow, result.stderr);
            }
        });

        it("after `git fetch --unshallow` the same clone answers", async () => {
            const copy = path.join(s.dir, "unshallowed");
            execFileSync("git", ["clone", "--quiet", "--depth", "1", `file://${s.origin}`, copy]);
            execFileSync("git", ["-C", copy, "fetch", "--quiet", "--unshallow"]);
            const result = await runCli(["next"], copy);
            assert.equal(result.code, 0, result.stderr);
            assert.equal(result.stdout, "0.2.0\n");
        });
    });

    describe("release --push runs only on the release branch as fetched (exit 10)", () => {
        const refusals = [
            {
                name: "a local commit on main that origin lacks",
                arrange: (w: GitFixture) => w.commit("feat: never reviewed", ["chart/templates/x.yaml"]),
                message:
                    /HEAD has 1 commit\(s\) that origin\/main does not \([0-9a-f]+ feat: never reviewed\)/,
                extra: [] as string[],
            },
            {
                name: "another branch at the same commit",
                arrange: (w: GitFixture) => w.git("checkout", "--quiet", "-b", "feature"),
                message: /release --push runs on main, but HEAD is on branch feature/,
                extra: [],
            },
            {
                name: "another branch with commits of its own",
                arrange: (w: GitFixture) => {
                    w.git("checkout", "--quiet", "-b", "topic");
                    w.commit("feat: topic work", ["chart/templates/t.yaml"]);
                },
                message: /HEAD is on branch topic: it would push topic's commits to origin\/main/,
                extra: [],
            },
            {
                name: "--branch release while HEAD is on main",
                arrange: (w: GitFixture) => {
                    w.git("push", "--quiet", "origin", "HEAD:refs/heads/release");
                },
                message: /release --push runs on release, but HEAD is on branch main/,
                extra: ["--branch", "release"],
            },
            {
                name: "a detached HEAD with a commit origin lacks",
                arrange: (w: GitFixture) => {
                    w.git("checkout", "--quiet", "--detach");
                    w.commit("fix: detached work", ["chart/values.yaml"]);
                },
                message: /HEAD has 1 commit\(s\) that origin\/main does not/,
                extra: [],
            },
        ];
        for (const row of refusals) {
            it(`refuses ${row.name}, keeping the local commits`, async () => {
                const s = prepare();
                row.arrange(s.work);
                const headBefore = s.work.head();
                const result = await runCli([...s.args, "--push", ...row.extra], s.work.dir);
                assert.equal(result.code, EXIT.notReleaseBranch, result.stderr);
                assert.match(result.stderr, row.message);
                assert.equal(result.stderr.trim().split("\n").length, 1);
                await assertNothingChanged(s);
                assert.equal(s.work.head(), headBefore, "no local commit lost");
            });
        }

        it("accepts a detached HEAD at origin/main and a main that is behind (fast-forwarded)", async () => {
            const s = prepare();
            s.work.git("checkout", "--quiet", "--detach", "origin/main");
            const detached = await runCli([...s.args, "--push", "--json"], s.work.dir);
            assert.equal(detached.code, 0, detached.stderr);
            assert.equal((JSON.parse(detached.stdout) as { version: string }).version, "0.1.1");

            const behind = s.clone("behind");
            behind.git("reset", "--quiet", "--hard", "HEAD~2");
            const other = s.clone("other");
            const feat = other.commit("feat: more", ["chart/templates/m.yaml"]);
            other.git("push", "--quiet", "origin", "HEAD:main");
            const result = await runCli([...s.args, "--push", "--json"], behind.dir);
            assert.equal(result.code, 0, result.stderr);
            const report = JSON.parse(result.stdout) as { version: string; commits: string[] };
            assert.equal(report.version, "0.2.0");
            assert.deepEqual(report.commits, [feat]);
            assert.deepEqual((await s.registry.listTags(s.repository)).sort(), ["0.1.1", "0.2.0"]);
        });
    });
});
