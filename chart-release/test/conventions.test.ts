import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { formatAnnotation, formatCheckPrOutcome, type VersionEdit } from "../src/check-pr";
import { EXIT } from "../src/errors";
import { COMMANDS, ENVIRONMENT, EXIT_HELP, FLAGS, type Command, type ExitName } from "../src/flags";
import { formatCommandHelp, formatFlag, formatMainHelp } from "../src/help";
import { runCli } from "./helpers/cli";
import {
    CHART_YAML,
    commitVersion,
    createChartRepo,
    makeTempDir,
    type GitFixture,
} from "./helpers/git-fixture";

const SRC = path.join(__dirname, "..", "src");
const commands = Object.keys(COMMANDS) as Command[];

/** Every environment variable the source reads (`env.NAME`, `env["NAME"]`), found in the code itself. */
function environmentReadBySource(): Set<string> {
    const names = new Set<string>();
    for (const file of readdirSync(SRC).filter((f) => f.endsWith(".ts"))) {
        const text = readFileSync(path.join(SRC, file), "utf8");
        for (const match of text.matchAll(
            /\benv\??\.([A-Z][A-Z0-9_]+)|\benv\[["']([A-Z][A-Z0-9_]+)["']\]/g,
        )) {
            names.add(match[1] ?? match[2]);
        }
    }
    return names;
}

describe("help is generated from the one flag definition", () => {
    for (const command of commands) {
        it(`${command} --help lists every flag, variable and exit code of ${command}`, async () => {
            const result = await runCli([command, "--help"], process.cwd());
            assert.equal(result.code, 0, result.stderr);
            assert.equal(result.stdout, `${formatCommandHelp(command)}\n`);
            for (const flag of COMMANDS[command].flags)
                assert.ok(result.stdout.includes(formatFlag(flag)), flag);
            for (const name of COMMANDS[command].env)
                assert.match(result.stdout, new RegExp(`^  ${name}\\b`, "m"));
            for (const exit of COMMANDS[command].exits as readonly ExitName[]) {
                assert.match(result.stdout, new RegExp(`^  ${EXIT[exit]}  `, "m"), exit);
            }
        });
    }

    it("every flag belongs to some command, and -h works like --help", async () => {
        const used = new Set(commands.flatMap((c) => [...COMMANDS[c].flags]));
        assert.deepEqual([...used].sort(), Object.keys(FLAGS).sort());
        assert.equal((await runCli(["next", "-h"], process.cwd())).stdout, `${formatCommandHelp("next")}\n`);
        assert.equal(
            (await runCli(["help", "release"], process.cwd())).stdout,
            `${formatCommandHelp("release")}\n`,
        );
    });

    it("every environment variable the code reads is documented, and none that it does not", () => {
        const read = environmentReadBySource();
        assert.deepEqual([...read].sort(), Object.keys(ENVIRONMENT).sort());
        const listed = new Set(commands.flatMap((c) => [...COMMANDS[c].env]));
        assert.deepEqual([...listed].sort(), [...read].sort());
    });

    it("--help lists every command and every exit code", async () => {
        const result = await runCli(["--help"], process.cwd());
        assert.equal(result.code, 0);
        assert.equal(result.stdout, `${formatMainHelp()}\n`);
        for (const command of commands) assert.match(result.stdout, new RegExp(`^  ${command}\\s`, "m"));
        for (const name of Object.keys(EXIT_HELP) as ExitName[]) {
            assert.match(result.stdout, new RegExp(`^  ${EXIT[name]}  `, "m"));
        }
    });

    it("--version prints the package version", async () => {
        const manifest = JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as {
            version: string;
        };
        const result = await runCli(["--version"], process.cwd());
        assert.deepEqual(result, { code: 0, stdout: `${manifest.version}\n`, stderr: "" });
    });

    it("a usage error names the flag and shows the command's synopsis", async () => {
        const result = await runCli(["check-pr", "--base"], process.cwd());
        assert.equal(result.code, EXIT.usage);
        assert.match(result.stderr, /chart-release: check-pr: Option '--base <value>' argument missing/);
        assert.match(result.stderr, /usage: chart-release check-pr .*--base REF --head REF/);
        assert.match(result.stderr, /see "chart-release check-pr --help"/);
    });
});

describe("--json on every command (through the bin)", function () {
    let dir: string;
    let repo: GitFixture;
    before(() => {
        dir = makeTempDir("json");
        repo = createChartRepo(dir);
        commitVersion(repo, "1.0.0", "tagged");
        repo.commit("fix: a value", ["chart/values.yaml"]);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const parse = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

    it("next", async () => {
        const result = await runCli(["next", "--json"], dir);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(parse(result.stdout).next, "1.0.1");
    });

    it("dev", async () => {
        const result = await runCli(["dev", "--json"], dir, { SOURCE_DATE_EPOCH: "1700000000" });
        assert.deepEqual(parse(result.stdout), {
            version: `0.0.0-dev.20231114221320.g${repo.head().slice(0, 7)}`,
        });
    });

    it("check-pr, passing and failing", async () => {
        const ok = await runCli(["check-pr", "--base", "HEAD~1", "--head", "HEAD", "--json"], dir);
        assert.equal(ok.code, 0, ok.stderr);
        assert.deepEqual(parse(ok.stdout), { ok: true, base: "HEAD~1", head: "HEAD", edits: [] });
        repo.git("checkout", "--quiet", "-b", "bump");
        repo.write("chart/Chart.yaml", CHART_YAML.replace('"0.0.0"', '"9.9.9"'));
        repo.commitAll("fix: bump by hand");
        repo.git("checkout", "--quiet", "main");
        const bad = await runCli(["check-pr", "--base", "main", "--head", "bump", "--json"], dir);
        assert.equal(bad.code, EXIT.failed);
        const report = parse(bad.stdout) as { ok: boolean; edits: VersionEdit[] };
        assert.equal(report.ok, false);
        assert.deepEqual(
            report.edits.map((e) => [e.file, e.line, e.rule]),
            [["chart/Chart.yaml", 7, "chart-version"]],
        );
    });

    it("release (this repository has no origin: the error is a JSON document)", async () => {
        const result = await runCli(
            ["release", "--registry", "oci://127.0.0.1:9/charts", "--plain-http", "--json"],
            dir,
        );
        assert.notEqual(result.code, 0);
        const report = parse(result.stdout);
        assert.equal(report.exitCode, result.code, result.stderr);
        assert.equal(typeof report.error, "string");
    });

    it("an error under --json is a JSON document too", async () => {
        const result = await runCli(["next", "--json", "--since", "no-such-ref"], dir);
        assert.equal(result.code, EXIT.invalidInput);
        assert.deepEqual(parse(result.stdout), {
            error: `--since no-such-ref: no such commit in ${dir}`,
            exitCode: EXIT.invalidInput,
        });
    });
});

describe("check-pr in GitHub Actions annotates the offending lines", () => {
    const edit: VersionEdit = {
        file: "charts/a,b/Chart.yaml",
        line: 7,
        change: "added",
        text: 'version: "0.0.1" # 100%',
        rule: "chart-version",
    };

    it("formats ::error with file and line, escaping as @actions/core does", () => {
        assert.equal(
            formatAnnotation(edit),
            "::error file=charts/a%2Cb/Chart.yaml,line=7,title=chart-release check-pr::" +
                'charts/a,b/Chart.yaml:7: PR changes the chart `version:`: version: "0.0.1" # 100%25',
        );
        // A removed line has an old-file number the PR's head lacks: the file is annotated, without a line.
        assert.match(
            formatAnnotation({ ...edit, change: "removed" }),
            /^::error file=charts\/a%2Cb\/Chart.yaml,title=/,
        );
    });

    it("prints annotations on stdout only in Actions, and never into --json", () => {
        const args = { repo: "/r", base: "main", head: "HEAD", deployGlobs: [] };
        assert.deepEqual(formatCheckPrOutcome(args, [edit]).stdout, []);
        assert.deepEqual(formatCheckPrOutcome({ ...args, annotations: true }, [edit]).stdout, [
            formatAnnotation(edit),
        ]);
        const json = formatCheckPrOutcome({ ...args, annotations: true, json: true }, [edit]);
        assert.equal(json.stdout.length, 1);
        assert.doesNotThrow(() => JSON.parse(json.stdout[0]));
        assert.equal(json.exitCode, EXIT.failed);
    });

    it("the bin annotates when GITHUB_ACTIONS=true", async () => {
        const dir = makeTempDir("annotate");
        try {
            const repo = createChartRepo(dir);
            repo.git("checkout", "--quiet", "-b", "pr");
            repo.write("chart/Chart.yaml", CHART_YAML.replace('"0.0.0"', '"0.0.1"'));
            repo.commitAll("fix: edit the version");
            const argv = ["check-pr", "--base", "main", "--head", "pr"];
            const inActions = await runCli(argv, dir, { GITHUB_ACTIONS: "true" });
            assert.equal(inActions.code, EXIT.failed);
            assert.match(
                inActions.stdout,
                /^::error file=chart\/Chart.yaml,line=7,title=chart-release check-pr::/m,
            );
            const local = await runCli(argv, dir, { GITHUB_ACTIONS: "" });
            assert.equal(local.stdout, "");
            assert.match(local.stderr, /chart\/Chart.yaml:7: PR changes the chart `version:`/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
