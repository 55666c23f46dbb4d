import assert from "node:assert/strict";
import { readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseCliArgs } from "../src/args";
import { computeDevVersion, formatUtcStamp, MAX_SOURCE_DATE_EPOCH, resolveBuildDate } from "../src/dev";
import { ChartReleaseError, EXIT } from "../src/errors";
import { runCli } from "./helpers/cli";
import { commitVersion, createChartRepo, makeTempDir, type GitFixture } from "./helpers/git-fixture";

describe("usage errors name the flag", () => {
    const table = [
        { argv: [], message: /^no command given$/ },
        { argv: ["frobnicate"], message: /unknown command "frobnicate"/ },
        { argv: ["next", "--bogus"], message: /next: Unknown option '--bogus'/ },
        { argv: ["next", "--since"], message: /--since/ },
        {
            argv: ["next", "--breaking-pre1", "sometimes"],
            message: /--breaking-pre1 "sometimes": expected "minor" or "major"/,
        },
        { argv: ["check-pr", "--head", "HEAD"], message: /check-pr: --base is required/ },
        { argv: ["check-pr", "--base", "main"], message: /check-pr: --head is required/ },
        { argv: ["release"], message: /release: --registry is required/ },
        {
            argv: ["release", "--registry", "https://ghcr.io/x"],
            message: /--registry "https:\/\/ghcr.io\/x": expected oci:\/\/HOST/,
        },
        {
            argv: ["release", "--registry", "oci://h/p", "--max-attempts", "0"],
            message: /--max-attempts "0": expected an integer >= 1/,
        },
        { argv: ["dev", "--chart="], message: /dev: --chart must not be empty/ },
        { argv: ["next", "extra"], message: /next: Unexpected argument 'extra'/ },
    ];
    for (const row of table) {
        it(row.argv.join(" "), () => {
            assert.throws(
                () => parseCliArgs(row.argv, "/work"),
                (error: unknown) =>
                    error instanceof ChartReleaseError &&
                    error.exitCode === EXIT.usage &&
                    row.message.test(error.message),
            );
        });
    }

    it("applies the documented defaults", () => {
        assert.deepEqual(parseCliArgs(["release", "--registry", "oci://127.0.0.1:5000/charts/"], "/w"), {
            command: "release",
            repo: "/w",
            chart: "chart",
            paths: [],
            since: undefined,
            pre1BreakingBumpsMinor: true,
            registry: "oci://127.0.0.1:5000/charts",
            push: false,
            plainHttp: false,
            remote: "origin",
            branch: "main",
            maxAttempts: 10,
            retryDelayMs: 500,
            resume: false,
            allowOlder: false,
            json: false,
            stackConfig: undefined,
            deployFiles: [],
        });
    });

    it("the bin exits 2 and prints the usage", async () => {
        const result = await runCli(["next", "--nope"], process.cwd());
        assert.equal(result.code, EXIT.usage);
        assert.match(result.stderr, /chart-release: next: Unknown option '--nope'/);
        assert.match(result.stderr, /usage: chart-release next \[--repo DIR\]/);
    });
});

describe("bare chart-release", () => {
    it("exits 2 with the usage line, not 0 with the help (issue 19, messages)", async () => {
        const result = await runCli([], "/");
        assert.equal(result.code, EXIT.usage);
        assert.equal(result.stdout, "");
        assert.equal(
            result.stderr,
            'chart-release: no command given\nusage: chart-release <command> [options]; see "chart-release --help"\n',
        );
        const help = await runCli(["--help"], "/");
        assert.equal(help.code, EXIT.ok);
        assert.match(help.stdout, /^usage: chart-release <command> \[options\]/);
    });
});

describe("dev version", () => {
    it("formats 0.0.0-dev.<UTC yyyymmddHHMMSS>.g<sha>", () => {
        const date = new Date(Date.UTC(2026, 10, 26, 7, 5, 9));
        assert.equal(formatUtcStamp(date), "20261126070509");
        assert.equal(computeDevVersion(date, "1a2b3c4"), "0.0.0-dev.20261126070509.g1a2b3c4");
        assert.throws(() => computeDevVersion(date, "HEAD"), /not a short sha/);
    });

    it("honours SOURCE_DATE_EPOCH", () => {
        const now = new Date();
        assert.equal(
            resolveBuildDate({ SOURCE_DATE_EPOCH: "1700000000" }, now).toISOString(),
            "2023-11-14T22:13:20.000Z",
        );
        assert.equal(resolveBuildDate({}, now), now);
    });

    it("SOURCE_DATE_EPOCH up to 9999-12-31T23:59:59Z is honoured to the second", () => {
        assert.equal(
            formatUtcStamp(
                resolveBuildDate({ SOURCE_DATE_EPOCH: String(MAX_SOURCE_DATE_EPOCH) }, new Date()),
            ),
            "99991231235959",
        );
        assert.equal(resolveBuildDate({ SOURCE_DATE_EPOCH: "0" }, new Date()).getTime(), 0);
    });

    const malformedEpochs = ["abc", "-5", "1.5", "", " 17", "1e9", "253402300800", "99999999999999999999"];
    for (const epoch of malformedEpochs) {
        it(`SOURCE_DATE_EPOCH=${JSON.stringify(epoch)} is refused: exit 2, one line naming the variable`, async () => {
            const dir = makeTempDir("dev-epoch");
            try {
                createChartRepo(dir);
                const result = await runCli(["dev", "--repo", dir], "/", { SOURCE_DATE_EPOCH: epoch });
                assert.equal(result.code, EXIT.usage, result.stderr);
                assert.equal(result.stdout, "");
                assert.match(
                    result.stderr,
                    new RegExp(
                        `^chart-release: SOURCE_DATE_EPOCH ${JSON.stringify(epoch).replace(/[.+]/g, "\\$&")}: ` +
                            "expected whole seconds since 1970",
                    ),
                );
                assert.doesNotMatch(result.stderr, /\n\s+at |internal error/);
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    }

    it("the bin prints the version of HEAD", async () => {
        const dir = makeTempDir("dev");
        try {
            const repo = createChartRepo(dir);
            const result = await runCli(["dev", "--repo", dir], "/", { SOURCE_DATE_EPOCH: "1700000000" });
            assert.equal(result.code, 0, result.stderr);
            assert.equal(result.stdout, `0.0.0-dev.20231114221320.g${repo.head().slice(0, 7)}\n`);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("next via the bin", function () {
    let dir: string;
    let repo: GitFixture;
    before(() => {
        dir = makeTempDir("next");
        repo = createChartRepo(dir);
        commitVersion(repo, "0.4.2");
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('with no commit at all since the release, says so (not "0 commit(s) … none is a feat")', async () => {
        const result = await runCli(["next"], dir);
        assert.equal(result.code, 0);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /^no release: no commit since [0-9a-f]{40} touches the chart's paths\n$/);
    });

    it("prints nothing and exits 0 for a history with no conventional commits, and says why", async () => {
        repo.commit("Update deployment", ["chart/templates/deployment.yaml"]);
        repo.commit("WIP", ["chart/values.yaml"]);
        const result = await runCli(["next"], dir);
        assert.equal(result.code, 0);
        assert.equal(result.stdout, "");
        assert.match(
            result.stderr,
            /no release: 2 commit\(s\) since [0-9a-f]{40} touch the chart's paths, none is a feat/,
        );
    });

    it("counts --path globs as part of the chart and prints --json", async () => {
        const outside = repo.commit("feat: new endpoint", ["src/api/handler.go"]);
        assert.equal((await runCli(["next"], dir)).stdout, "");
        const result = await runCli(["next", "--path", "src/api/**", "--json"], dir);
        assert.equal(result.code, 0, result.stderr);
        const json = JSON.parse(result.stdout) as Record<string, unknown>;
        assert.equal(json.current, "0.4.2");
        assert.equal(json.next, "0.5.0");
        assert.equal(json.bump, "minor");
        assert.deepEqual((json.commits as unknown[])[0], {
            sha: outside,
            type: "feat",
            breaking: false,
            subject: "new endpoint",
        });
        assert.equal((json.commits as unknown[]).length, 3);
    });

    it("a breaking change below 1.0.0 bumps the minor unless --breaking-pre1 major", async () => {
        repo.commit("fix!: rename values", ["chart/values.yaml"]);
        assert.equal((await runCli(["next"], dir)).stdout, "0.5.0\n");
        assert.equal((await runCli(["next", "--breaking-pre1", "major"], dir)).stdout, "1.0.0\n");
    });

    it("--since REF counts from REF; an unknown REF is an error naming the flag", async () => {
        const head = repo.head();
        repo.commit("fix: probe", ["chart/templates/deployment.yaml"]);
        assert.equal((await runCli(["next", "--since", head], dir)).stdout, "0.4.3\n");
        const bad = await runCli(["next", "--since", "no-such-tag"], dir);
        assert.equal(bad.code, EXIT.invalidInput);
        assert.match(bad.stderr, /--since no-such-tag: no such commit/);
    });

    it("a malformed Chart.yaml is reported with the file and exit 3", async () => {
        const other = makeTempDir("malformed");
        try {
            const broken = createChartRepo(other);
            writeFileSync(path.join(other, "chart/Chart.yaml"), "name: mychart\nversion: [1.0\n");
            broken.commitAll("fix: break it");
            const result = await runCli(["next", "--repo", other], "/");
            assert.equal(result.code, EXIT.invalidInput);
            assert.match(result.stderr, /chart\/Chart.yaml: malformed YAML/);
        } finally {
            rmSync(other, { recursive: true, force: true });
        }
    });

    it("a missing chart folder or a non-repository is exit 3 naming the flag", async () => {
        const noChart = await runCli(["next", "--chart", "charts/nope"], dir);
        assert.equal(noChart.code, EXIT.invalidInput);
        assert.match(noChart.stderr, /--chart charts\/nope: no Chart.yaml/);
        const notRepo = makeTempDir("norepo");
        const result = await runCli(["next", "--repo", notRepo], "/");
        rmSync(notRepo, { recursive: true, force: true });
        assert.equal(result.code, EXIT.invalidInput);
        assert.match(result.stderr, /--repo .*: not a git work tree/);
    });
});

interface NextJson {
    current: string;
    next: string | null;
    reason: string | null;
    commits: { sha: string; subject: string }[];
}

async function readNext(dir: string, chart = "chart"): Promise<NextJson> {
    const result = await runCli(["next", "--json", "--chart", chart], dir);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as NextJson;
}

/** Set Chart.yaml's version by hand on main, as an admin push would: no trailer, no tag. */
function setVersionByHand(repo: GitFixture, version: string, file = "chart/Chart.yaml"): string {
    const text = readFileSync(path.join(repo.dir, file), "utf8").replace(
        /^version: .*$/m,
        `version: "${version}"`,
    );
    repo.write(file, text);
    return repo.commitAll(`chore: set the chart version to ${version} by hand`);
}

describe("the last release is what a release wrote, never a hand edit (issue 19 items 4 to 7, 20)", function () {
    let root: string;
    let counter = 0;
    before(() => {
        root = makeTempDir("base");
    });
    after(() => rmSync(root, { recursive: true, force: true }));
    const fresh = () => createChartRepo(path.join(root, `case-${++counter}`));

    const handEdits: {
        name: string;
        released: string;
        mark: "trailer" | "tagged";
        before: string[];
        hand: string;
        after: string[];
        next: string;
        reason: string;
    }[] = [
        {
            name: "a feat merged before a lower hand edit is released (item 4)",
            released: "0.1.0",
            mark: "tagged",
            before: ["feat: merged before the edit"],
            hand: "0.1.5",
            after: [],
            next: "0.2.0",
            reason: "commits",
        },
        {
            name: "a fix pending under the exit-4 advice is in the hand-set version (item 5)",
            released: "0.2.0",
            mark: "tagged",
            before: ["fix: pending"],
            hand: "0.3.0",
            after: [],
            next: "0.3.0",
            reason: "set-by-hand",
        },
        {
            name: "a hand edit above what the commits call for is released as written",
            released: "1.4.0",
            mark: "trailer",
            before: ["fix: after the release"],
            hand: "1.5.0",
            after: ["perf: after the hand edit"],
            next: "1.5.0",
            reason: "set-by-hand",
        },
        {
            name: "a hand edit with no releasing commit is still released (never a silent gap)",
            released: "0.4.0",
            mark: "tagged",
            before: ["docs: notes"],
            hand: "0.5.0",
            after: [],
            next: "0.5.0",
            reason: "set-by-hand",
        },
        {
            name: "a breaking change after a hand edit bumps the hand-set version",
            released: "1.0.0",
            mark: "tagged",
            before: [],
            hand: "1.0.3",
            after: ["feat!: drop a value"],
            next: "2.0.0",
            reason: "commits",
        },
    ];
    for (const row of handEdits) {
        it(row.name, async () => {
            const repo = fresh();
            commitVersion(repo, row.released, row.mark);
            const counted = row.before.map((m, i) => repo.commit(m, [`chart/templates/b${i}.yaml`]));
            counted.push(setVersionByHand(repo, row.hand));
            counted.push(...row.after.map((m, i) => repo.commit(m, [`chart/templates/a${i}.yaml`])));
            const result = await readNext(repo.dir);
            assert.equal(result.current, row.hand);
            assert.equal(result.next, row.next);
            assert.equal(result.reason, row.reason);
            // Every commit since the release counts, the ones before the hand edit included.
            assert.deepEqual(result.commits.map((c) => c.sha).sort(), counted.sort());
        });
    }

    it("a hand edit below the last release is refused, naming both versions (exit 3)", async () => {
        const repo = fresh();
        commitVersion(repo, "0.3.0", "tagged");
        setVersionByHand(repo, "0.2.9");
        const result = await runCli(["next"], repo.dir);
        assert.equal(result.code, EXIT.invalidInput);
        assert.match(
            result.stderr,
            /chart\/Chart.yaml: version 0.2.9 is below 0.3.0, which chart-release released in [0-9a-f]{12}/,
        );
    });

    for (const mark of ["tagged", "trailer", "plain"] as const) {
        it(`renaming the chart folder is no version change: a feat before it counts (item 6, ${mark} release)`, async () => {
            const repo = fresh();
            commitVersion(repo, "0.1.1", mark);
            const feat = repo.commit("feat: before the move", ["chart/templates/f.yaml"]);
            repo.git("mv", "chart", "charts-moved");
            const moved = repo.commitAll("refactor: move the chart folder");
            const fix = repo.commit("fix: after the move", ["charts-moved/values.yaml"]);
            const result = await readNext(repo.dir, "charts-moved");
            assert.equal(result.current, "0.1.1");
            assert.equal(result.next, "0.2.0");
            assert.deepEqual(result.commits.map((c) => c.sha).sort(), [feat, moved, fix].sort());
        });
    }

    it("renamed twice since the release: both moves are followed", async () => {
        const repo = fresh();
        commitVersion(repo, "0.1.1", "tagged");
        const feat = repo.commit("feat: in the first folder", ["chart/templates/f.yaml"]);
        repo.git("mv", "chart", "second");
        repo.commitAll("refactor: first move");
        const fix = repo.commit("fix: in the second folder", ["second/values.yaml"]);
        repo.git("mv", "second", "third");
        repo.commitAll("refactor: second move");
        const result = await readNext(repo.dir, "third");
        assert.equal(result.next, "0.2.0");
        assert.ok(result.commits.some((c) => c.sha === feat));
        assert.ok(result.commits.some((c) => c.sha === fix));
    });

    const newCharts: { name: string; after: string[]; next: string }[] = [
        { name: "alone", after: [], next: "0.1.0" },
        { name: "with a fix before its first release", after: ["fix: tune it"], next: "0.1.0" },
        { name: "with a breaking change before its first release", after: ["feat!: rework"], next: "0.1.0" },
    ];
    for (const row of newCharts) {
        it(`a chart added with feat: add … is published first at the version it was added with (item 7, ${row.name})`, async () => {
            const repo = fresh();
            repo.write("charts/other/Chart.yaml", "apiVersion: v2\nname: other\nversion: 0.1.0\n");
            repo.write("charts/other/values.yaml", "a: 1\n");
            repo.commitAll("feat: add the other chart");
            for (const message of row.after) repo.commit(message, ["charts/other/values.yaml"]);
            const result = await readNext(repo.dir, "charts/other");
            assert.equal(result.next, row.next);
            assert.equal(result.reason, "first-version");
        });
    }

    for (const tagged of [true, false]) {
        it(`after its first release (an empty release commit${tagged ? " and its tag" : ""}) a new chart bumps as usual`, async () => {
            const repo = fresh();
            repo.write("charts/other/Chart.yaml", "apiVersion: v2\nname: other\nversion: 0.1.0\n");
            repo.commitAll("feat: add the other chart");
            repo.gitInput(
                "chore(release): other 0.1.0\n\n[skip ci]\n\nChart-Release: other 0.1.0\n",
                "commit",
                "--quiet",
                "--allow-empty",
                "-F",
                "-",
            );
            if (tagged) repo.git("tag", "-a", "-m", "other 0.1.0", "other-0.1.0");
            assert.equal((await readNext(repo.dir, "charts/other")).next, null);
            repo.commit("fix: after the first release", ["charts/other/values.yaml"]);
            const result = await readNext(repo.dir, "charts/other");
            assert.equal(result.next, "0.1.1");
            assert.equal(result.reason, "commits");
        });
    }

    it("a chart folder given as a symlink counts the commits of its target (item 20)", async () => {
        const repo = fresh();
        commitVersion(repo, "0.4.0", "tagged");
        const feat = repo.commit("feat: in the target", ["chart/templates/f.yaml"]);
        symlinkSync("chart", path.join(repo.dir, "link"));
        symlinkSync(path.join(repo.dir, "chart"), path.join(repo.dir, "abs-link"));
        for (const chart of ["link", "abs-link", path.join(repo.dir, "link")]) {
            const result = await readNext(repo.dir, chart);
            assert.equal(result.next, "0.5.0", chart);
            assert.deepEqual(
                result.commits.map((c) => c.sha),
                [feat],
            );
        }
    });

    it("a symlink that leads out of the repository is refused (exit 2)", async () => {
        const repo = fresh();
        symlinkSync(root, path.join(repo.dir, "out"));
        const result = await runCli(["next", "--chart", "out"], repo.dir);
        assert.equal(result.code, EXIT.usage);
        assert.match(result.stderr, /--chart .*: outside the repository/);
    });
});
