import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
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
            formatUtcStamp(resolveBuildDate({ SOURCE_DATE_EPOCH: String(MAX_SOURCE_DATE_EPOCH) }, new Date())),
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

describe("the last release", function () {
    let dir: string;
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("is the release commit, unless a later commit edited the version line by hand", async () => {
        dir = makeTempDir("base");
        const repo = createChartRepo(dir);
        repo.commit("feat: before the release", ["chart/values.yaml"]);
        const release = commitVersion(repo, "1.4.0", "trailer");
        const fix = repo.commit("fix: after the release", ["chart/values.yaml"]);
        const first = JSON.parse((await runCli(["next", "--json"], dir)).stdout) as {
            next: string;
            commits: { sha: string }[];
        };
        assert.equal(first.next, "1.4.1");
        assert.deepEqual(
            first.commits.map((c) => c.sha),
            [fix],
        );
        assert.notEqual(release, fix);

        const manual = commitVersion(repo, "1.5.0");
        const perf = repo.commit("perf: after the manual bump", ["chart/templates/deployment.yaml"]);
        const second = JSON.parse((await runCli(["next", "--json"], dir)).stdout) as {
            next: string;
            commits: { sha: string }[];
        };
        assert.equal(second.next, "1.5.1");
        assert.deepEqual(
            second.commits.map((c) => c.sha),
            [perf],
        );
        assert.notEqual(manual, perf);

        commitVersion(repo, "1.6.0", "tagged");
        const feat = repo.commit("feat: after the tagged release", ["chart/values.yaml"]);
        const third = JSON.parse((await runCli(["next", "--json"], dir)).stdout) as {
            next: string;
            commits: { sha: string }[];
        };
        assert.equal(third.next, "1.7.0");
        assert.deepEqual(
            third.commits.map((c) => c.sha),
            [feat],
        );
    });
});
