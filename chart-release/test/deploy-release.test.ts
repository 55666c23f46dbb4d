import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import { EXIT } from "../src/errors";
import { runCli } from "./helpers/cli";
import { makeTempDir, type GitFixture } from "./helpers/git-fixture";
import { gitIn } from "./helpers/origin";
import { ensureRegistry } from "./helpers/registry";
import { APPLICATION, assertReleaseInvariants, installHook, setupReleaseCase } from "./helpers/release-setup";

const PROD = "deploy/prod/monolith.yaml";
const PUBLIC = "deploy/prod/public.yaml";
const DEPLOY_ARGS = ["--stack-config", "Pulumi.prod.yaml", "--deploy-file", PROD, "--deploy-file", PUBLIC];

function stackFile(mode: string | null): string {
    const line = mode === null ? "" : `    mode: ${mode}\n`;
    return `config:\n  release-pipeline:pipeline:\n${line}    project: monolith\n`;
}

/** targetRevision (and Chart.yaml's version) as origin's main has them. */
function readVersionsOnMain(origin: string): { chart: string; prod: string; public: string } {
    const pick = (file: string, pattern: RegExp) =>
        pattern.exec(gitIn(origin, "show", `main:${file}`))?.[1] ?? "";
    return {
        chart: pick("chart/Chart.yaml", /^version: "([^"]+)"/m),
        prod: pick(PROD, /targetRevision: "([^"]+)"/),
        public: pick(PUBLIC, /targetRevision: "([^"]+)"/),
    };
}

describe("mode bump-only: the release commit writes the deploy files' targetRevision (real git, real registry)", function () {
    this.timeout(240_000);
    let root: string;
    let address: string;
    before(async () => {
        address = await ensureRegistry();
        root = makeTempDir("deploy");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    let counter = 0;
    /** Origin with two deploy files at 0.1.0, a stack file in `mode`, a fix and a feat merged. */
    function prepare(mode: string | null = "bump-only", edit?: (w: GitFixture) => void) {
        const setup = setupReleaseCase(root, `deploy-${++counter}`, address);
        const work = setup.clone("work");
        work.write(PROD, APPLICATION);
        work.write(PUBLIC, APPLICATION.replace("name: monolith #", "name: monolith-public #"));
        work.write("Pulumi.prod.yaml", stackFile(mode));
        edit?.(work);
        work.commitAll("chore: deploy files");
        const merged = [
            work.commit("fix: merged", ["chart/values.yaml"]),
            work.commit("feat: merged", ["chart/templates/f.yaml"]),
        ];
        work.git("push", "--quiet", "origin", "HEAD:main");
        return { ...setup, work, merged, before: gitIn(setup.origin, "rev-parse", "main") };
    }

    it("one release commit sets Chart.yaml and both deploy files, tagged and published once", async () => {
        const s = prepare();
        const result = await runCli([...s.args, ...DEPLOY_ARGS, "--push", "--json"], s.work.dir);
        assert.equal(result.code, 0, result.stderr);
        const report = JSON.parse(result.stdout) as { version: string; commit: string };
        assert.equal(report.version, "0.2.0");
        assert.equal(gitIn(s.origin, "rev-parse", "main").trim(), report.commit);
        assert.equal(gitIn(s.origin, "rev-parse", "mychart-0.2.0^{commit}").trim(), report.commit);
        assert.deepEqual(
            gitIn(s.origin, "show", "--name-only", "--format=", "main").trim().split("\n").sort(),
            ["chart/Chart.yaml", PROD, PUBLIC],
        );
        assert.equal(gitIn(s.origin, "show", `main:${PROD}`), APPLICATION.replace('"0.1.0"', '"0.2.0"'));
        assert.deepEqual(readVersionsOnMain(s.origin), { chart: "0.2.0", prod: "0.2.0", public: "0.2.0" });
        assert.match(
            gitIn(s.origin, "log", "-1", "--format=%B", "main"),
            /Sets spec.source.targetRevision to 0.2.0 in/,
        );
        assert.deepEqual(await s.registry.listTags(s.repository), ["0.2.0"]);
        await assertReleaseInvariants(s, s.merged, { resumed: true });

        // check-pr still refuses a PR that edits targetRevision by hand.
        s.work.git("pull", "--quiet", "origin", "main");
        s.work.git("checkout", "--quiet", "-b", "pr");
        s.work.write(PROD, APPLICATION.replace('"0.1.0"', '"0.2.1"'));
        s.work.commitAll("fix: bump prod by hand");
        const pr = await runCli(["check-pr", "--base", "main", "--head", "pr"], s.work.dir);
        assert.equal(pr.code, EXIT.failed, pr.stdout);
        assert.match(pr.stderr, /deploy\/prod\/monolith.yaml:12: PR changes `targetRevision:`/);
    });

    const refusedModes = [
        {
            name: "full",
            mode: "full",
            args: DEPLOY_ARGS,
            message: /sets `release-pipeline:pipeline → mode` to "full", where Kargo writes/,
        },
        {
            name: "prod-only",
            mode: "prod-only",
            args: DEPLOY_ARGS,
            message: /to "prod-only", where Kargo writes/,
        },
        {
            name: "mode missing (default full)",
            mode: null,
            args: DEPLOY_ARGS,
            message: /so the stack default "full" applies/,
        },
        {
            name: "bump-only without --deploy-file",
            mode: "bump-only",
            args: ["--stack-config", "Pulumi.prod.yaml"],
            message: /pass --deploy-file/,
        },
        {
            name: "--deploy-file without --stack-config",
            mode: "bump-only",
            args: ["--deploy-file", PROD],
            message: /--deploy-file needs --stack-config/,
        },
    ];
    for (const row of refusedModes) {
        it(`refuses ${row.name}: exit 2, nothing written, pushed or published`, async () => {
            const s = prepare(row.mode);
            const result = await runCli([...s.args, ...row.args, "--push"], s.work.dir);
            assert.equal(result.code, EXIT.usage, result.stderr);
            assert.match(result.stderr, row.message);
            assert.equal(gitIn(s.origin, "rev-parse", "main"), s.before);
            assert.equal(gitIn(s.origin, "tag", "--list"), "");
            assert.deepEqual(await s.registry.listTags(s.repository), []);
            assert.equal(s.work.git("status", "--porcelain"), "");
        });
    }

    const badFiles = [
        {
            name: "without spec.source.targetRevision",
            content: "spec:\n  source:\n    chart: mychart\n",
            message: /deploy\/prod\/public.yaml: has no spec.source.targetRevision/,
        },
        {
            name: "with several sources",
            content:
                "spec:\n  sources:\n    - chart: a\n      targetRevision: 0.1.0\n    - chart: b\n      targetRevision: 0.1.0\n",
            message: /has 2 sources under spec.sources/,
        },
    ];
    for (const row of badFiles) {
        it(`refuses a deploy file ${row.name}: exit 3, nothing pushed`, async () => {
            const s = prepare("bump-only", (w) => w.write(PUBLIC, row.content));
            for (const extra of [["--push"], []]) {
                const result = await runCli([...s.args, ...DEPLOY_ARGS, ...extra], s.work.dir);
                assert.equal(result.code, EXIT.invalidInput, result.stderr);
                assert.match(result.stderr, row.message);
            }
            assert.equal(gitIn(s.origin, "rev-parse", "main"), s.before);
            assert.deepEqual(await s.registry.listTags(s.repository), []);
            assert.equal(
                s.work.git("status", "--porcelain"),
                "",
                "the chart's Chart.yaml was not written either",
            );
        });
    }

    it("a lost race drops the commit, refetches and recomputes: deploy files follow the new version", async () => {
        const s = prepare();
        const other = s.clone("other");
        // Before our first push lands, someone merges a breaking change: that push is rejected.
        installHook(
            s.work.dir,
            "pre-push",
            `#!/bin/sh
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX
marker="${path.join(s.dir, "merged-once")}"
[ -e "$marker" ] && exit 0
touch "$marker"
cd "${other.dir}" && git pull --quiet --rebase origin main &&
  echo "# breaking" >> chart/values.yaml && git add -A &&
  git commit --quiet -m "feat!: rename values" && git push --quiet origin HEAD:main
`,
        );
        const result = await runCli(
            [...s.args, ...DEPLOY_ARGS, "--push", "--json", "--breaking-pre1", "major"],
            s.work.dir,
        );
        assert.equal(result.code, 0, result.stderr);
        const report = JSON.parse(result.stdout) as { version: string; attempts: number };
        assert.equal(report.attempts, 2, "one rejected push, one that landed");
        assert.equal(report.version, "1.0.0", "recomputed with the breaking change merged meanwhile");
        assert.deepEqual(readVersionsOnMain(s.origin), { chart: "1.0.0", prod: "1.0.0", public: "1.0.0" });
        const subjects = gitIn(s.origin, "log", "--format=%s", "main").split("\n");
        assert.deepEqual(subjects.slice(0, 2), ["chore(release): mychart 1.0.0", "feat!: rename values"]);
        const releases = gitIn(s.origin, "log", "--format=%H", "--grep=^Chart-Release: mychart", "main");
        assert.equal(
            releases.trim().split("\n").length,
            1,
            "one release commit: the rejected one left no trace",
        );
        assert.deepEqual(await s.registry.listTags(s.repository), ["1.0.0"]);
        await assertReleaseInvariants(s, s.merged, { resumed: true });
    });

    for (const fault of ["before-push", "after-push", "before-manifest"]) {
        it(`killed at ${fault}, --resume from a fresh clone keeps Chart.yaml, deploy files and registry in step`, async () => {
            const s = prepare();
            const killed = await runCli([...s.args, ...DEPLOY_ARGS, "--push"], s.work.dir, {
                CHART_RELEASE_FAULT: fault,
            });
            assert.notEqual(killed.code, 0);
            const fresh = s.clone("fresh");
            const resumed = await runCli([...s.args, ...DEPLOY_ARGS, "--push", "--resume"], fresh.dir);
            assert.equal(resumed.code, 0, resumed.stderr);
            assert.deepEqual(readVersionsOnMain(s.origin), {
                chart: "0.2.0",
                prod: "0.2.0",
                public: "0.2.0",
            });
            assert.deepEqual(await s.registry.listTags(s.repository), ["0.2.0"]);
            await assertReleaseInvariants(s, s.merged, { resumed: true });
        });
    }
});
