import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isStrictSemver, parseChartYaml } from "../src/chart";
import { formatFailure } from "../src/cli";
import { ChartReleaseError, EXIT } from "../src/errors";
import { GitError, runGit, runGitBuffer } from "../src/git";
import { buildPlainHttpHint } from "../src/oci";
import { runCli } from "./helpers/cli";
import { CHART_YAML, createChartRepo, makeTempDir } from "./helpers/git-fixture";
import { ensureRegistry } from "./helpers/registry";

/** Every failure ends in exactly one line on stderr, nothing on stdout, no stack frame. */
function assertOneLine(result: { stdout: string; stderr: string }): void {
    assert.equal(result.stdout, "");
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /\n\s+at |\.ts:\d+/);
}

describe("failures end in one line and a documented exit code (real git)", function () {
    this.timeout(120_000);
    let root: string;
    let repoDir: string;
    before(() => {
        root = makeTempDir("errors");
        repoDir = path.join(root, "repo");
        createChartRepo(repoDir);
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it("git exiting before it reads its input is a GitError, never an unhandled EPIPE (issue 19 item 10)", async () => {
        const elsewhere = path.join(root, "no-repo-epipe");
        mkdirSync(elsewhere, { recursive: true });
        // Far more than a pipe holds: git dies (not a repository) while the input is still being written.
        const input = "HEAD^{commit}\n".repeat(400_000);
        for (const run of [
            () => runGitBuffer(elsewhere, ["cat-file", "--batch"], input),
            () => runGit(elsewhere, ["cat-file", "--batch"], { input }),
        ]) {
            await assert.rejects(run(), (error: unknown) => error instanceof GitError && error.code === 128);
        }
    });

    it("dev, next and release in a repository without commits: exit 3", async () => {
        const empty = path.join(root, "empty");
        mkdirSync(empty);
        execFileSync("git", ["init", "--quiet", empty]);
        for (const argv of [["dev"], ["next"], ["release", "--registry", "oci://127.0.0.1:9/c"]]) {
            const result = await runCli([...argv, "--repo", empty], "/");
            assert.equal(result.code, EXIT.invalidInput, `${argv[0]}: ${result.stderr}`);
            assert.match(result.stderr, /the repository has no commits|no Chart.yaml/);
            assertOneLine(result);
        }
    });

    const outside = [
        {
            argv: ["next", "--chart", "../elsewhere"],
            message: /--chart \.\.\/elsewhere: outside the repository/,
        },
        { argv: ["next", "--chart", "/tmp"], message: /--chart \/tmp: outside the repository/ },
        { argv: ["next", "--chart", "chart/../../x"], message: /--chart chart\/\.\.\/\.\.\/x: outside/ },
        {
            argv: ["release", "--registry", "oci://127.0.0.1:9/c", "--chart", "../x"],
            message: /--chart \.\.\/x: outside the repository/,
        },
        {
            argv: ["next", "--path", "../src/**"],
            message: /--path "\.\.\/src\/\*\*": expected a glob relative/,
        },
        {
            argv: [
                "release",
                "--registry",
                "oci://127.0.0.1:9/c",
                "--stack-config",
                "Pulumi.yaml",
                "--deploy-file",
                "../deploy.yaml",
            ],
            message: /--deploy-file \.\.\/deploy\.yaml: outside the repository/,
        },
    ];
    for (const row of outside) {
        it(`${row.argv.slice(0, 1).join(" ")} ${row.argv.slice(-2).join(" ")}: exit 2, one line`, async () => {
            const result = await runCli(row.argv, repoDir);
            assert.equal(result.code, EXIT.usage, result.stderr);
            assert.match(result.stderr, row.message);
            assert.doesNotMatch(result.stderr, /\n\s+at /);
        });
    }

    it("an absolute --chart inside the repository is the same chart", async () => {
        // The cwd is this test's own scratch folder, which holds the repository but is none itself (not /tmp,
        // shared with every other process). Run a few times: git exiting before its input was written once
        // killed the CLI with an unhandled EPIPE now and then.
        for (let run = 0; run < 5; run++) {
            const result = await runCli(["next", "--json", "--chart", path.join(repoDir, "chart")], root);
            assert.equal(result.code, EXIT.invalidInput, result.stderr); // --repo defaults to the cwd
            assert.doesNotMatch(result.stderr, /EPIPE|\n\s+at /);
        }
        const inside = await runCli(["next", "--json", "--chart", path.join(repoDir, "chart/")], repoDir);
        assert.equal(inside.code, 0, inside.stderr);
        assert.equal((JSON.parse(inside.stdout) as { current: string }).current, "0.0.0");
    });

    const looseVersions = [' " 0.1.0"', " v0.1.0", " 01.2.3", ' "1.2"', " 1.2.3-01", " '0.1.0 '", " 1.2.3.4"];
    for (const value of looseVersions) {
        it(`Chart.yaml version:${value} is refused by next (exit 3)`, async () => {
            const dir = path.join(root, `loose-${looseVersions.indexOf(value)}`);
            const repo = createChartRepo(dir);
            writeFileSync(
                path.join(dir, "chart/Chart.yaml"),
                CHART_YAML.replace('version: "0.0.0" # keep the quotes', `version:${value}`),
            );
            repo.commitAll("chore: loose version");
            const result = await runCli(["next"], dir);
            assert.equal(result.code, EXIT.invalidInput, result.stderr);
            assert.match(
                result.stderr,
                /chart\/Chart.yaml: malformed Chart.yaml: version .* is not a SemVer 2 string/,
            );
            assertOneLine(result);
        });
    }

    it("a registry that answers plain HTTP to TLS gets a --plain-http hint (exit 6, nothing committed)", async () => {
        const address = await ensureRegistry();
        const dir = path.join(root, "tls");
        const repo = createChartRepo(dir);
        repo.commit("fix: a", ["chart/values.yaml"]);
        // The dry run fetches and checks the branch as --push does, so the clone needs its origin.
        execFileSync("git", ["clone", "--quiet", "--bare", dir, `${dir}.git`]);
        repo.git("remote", "add", "origin", `${dir}.git`);
        const head = repo.head();
        const result = await runCli(["release", "--registry", `oci://${address}/tls`], dir);
        assert.equal(result.code, EXIT.registry, result.stderr);
        assert.match(result.stderr, /answers plain HTTP, not TLS: .*pass --plain-http/);
        assertOneLine(result);
        assert.equal(repo.head(), head);
    });
});

describe("strict SemVer as Helm's StrictNewVersion reads it", () => {
    const accepted = [
        "0.0.0",
        "1.2.3",
        "10.20.30",
        "1.2.3-rc.1",
        "1.2.3-0.3.7",
        "1.0.0-x-y.z",
        "1.2.3+build.05",
        "1.2.3-rc.1+b",
    ];
    const refused = [
        " 0.1.0",
        "0.1.0 ",
        "v0.1.0",
        "=1.2.3",
        "01.2.3",
        "1.02.3",
        "1.2.03",
        "1.2",
        "1",
        "1.2.3.4",
        "1.2.3-01",
        "1.2.3-",
        "1.2.3+",
        "1.2.3-rc..1",
        "1.2.3-rc_1",
        "",
    ];
    for (const version of accepted)
        it(`accepts ${JSON.stringify(version)}`, () => assert.ok(isStrictSemver(version)));
    for (const version of refused) {
        it(`refuses ${JSON.stringify(version)}`, () => {
            assert.equal(isStrictSemver(version), false);
            assert.throws(
                () => parseChartYaml(`name: a\nversion: ${JSON.stringify(version)}\n`, "Chart.yaml"),
                (error: unknown) =>
                    error instanceof ChartReleaseError && error.exitCode === EXIT.invalidInput,
            );
        });
    }
});

describe("formatFailure: an internal error is one line, the stack only with CHART_RELEASE_DEBUG=1", () => {
    const errors = [
        new TypeError("Cannot read properties of undefined (reading 'sha')"),
        new GitError(["log", "HEAD"], "fatal: bad object HEAD\nsecond line of git's message", 128),
        "a thrown string",
    ];
    for (const error of errors) {
        it(String(error).slice(0, 40), () => {
            const lines = formatFailure(error, {});
            assert.equal(lines.length, 1);
            assert.match(
                lines[0],
                /^chart-release: internal error: .*CHART_RELEASE_DEBUG=1 prints the stack trace\)$/,
            );
            assert.doesNotMatch(lines[0], /\n/);
            const debug = formatFailure(error, { CHART_RELEASE_DEBUG: "1" });
            if (error instanceof Error) assert.match(debug[1], /\n\s+at /);
        });
    }
    it("a ChartReleaseError spread over lines is folded into one", () => {
        const lines = formatFailure(
            new ChartReleaseError("cannot fetch main:\n fatal: x\n", EXIT.remote),
            {},
        );
        assert.deepEqual(lines, ["chart-release: cannot fetch main: fatal: x"]);
    });
    it("the hint only follows a TLS failure against an https URL", () => {
        assert.match(
            buildPlainHttpHint("https://h/v2/", "tls_validate_record_header:wrong version number"),
            /--plain-http/,
        );
        assert.match(buildPlainHttpHint("https://h/v2/", "packet length too long"), /--plain-http/);
        assert.equal(buildPlainHttpHint("http://h/v2/", "wrong version number"), "");
        assert.equal(buildPlainHttpHint("https://h/v2/", "connect ECONNREFUSED 127.0.0.1:9"), "");
    });
});
