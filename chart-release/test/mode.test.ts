import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { EXIT } from "../src/errors";
import { runCli } from "./helpers/cli";
import { makeTempDir } from "./helpers/git-fixture";

/** A stack file as the shipped ones are written: the pipeline section among other config. */
function stackFile(mode: string | null): string {
    const modeLine = mode === null ? "" : `    mode: ${mode}\n`;
    return `config:\n  kubernetes:context: prod\n  release-pipeline:pipeline:\n${modeLine}    project: monolith-release\n`;
}

interface Row {
    name: string;
    /** The stack file's text; null: no file at all. */
    text: string | null;
    code: number;
    /** The versionSource --json prints (default chart-yaml). */
    versionSource?: string;
    /** The mode printed (text and --json) when code is 0. */
    mode?: string;
    /** What stderr must say: nothing for an explicit mode, the default's note, or the error. */
    stderr: RegExp | "";
}

const ROWS: Row[] = [
    { name: "bump-only", text: stackFile("bump-only"), code: EXIT.ok, mode: "bump-only", stderr: "" },
    { name: "prod-only", text: stackFile("prod-only"), code: EXIT.ok, mode: "prod-only", stderr: "" },
    { name: "full", text: stackFile("full"), code: EXIT.ok, mode: "full", stderr: "" },
    {
        name: "mode absent: the stack default full",
        text: stackFile(null),
        code: EXIT.ok,
        mode: "full",
        stderr: /has no `release-pipeline:pipeline → mode`, so the stack default "full" applies/,
    },
    {
        name: "no pipeline section: the stack default full",
        text: "config:\n  kubernetes:context: prod\n",
        code: EXIT.ok,
        mode: "full",
        stderr: /stack default "full" applies/,
    },
    {
        name: "an un-namespaced pipeline: key is the project's, as Pulumi and the synth read it (issue 19 item 13)",
        text: "config:\n  kubernetes:context: prod\n  pipeline:\n    mode: bump-only\n",
        code: EXIT.ok,
        mode: "bump-only",
        stderr: "",
    },
    {
        name: "one key spelled both ways is refused, as the synth refuses it (item 13)",
        text: "config:\n  pipeline:\n    mode: bump-only\n  release-pipeline:pipeline:\n    mode: full\n",
        code: EXIT.invalidInput,
        stderr: /^chart-release: --stack-config Pulumi\.prod\.yaml: config keys `pipeline` and `release-pipeline:pipeline` are one key \(Pulumi gives a key without a namespace the project's, release-pipeline\)/,
    },
    {
        name: "versionSource oci-tag, as Pulumi.dev.yaml declares it (--json says it)",
        text: "config:\n  release-pipeline:pipeline:\n    mode: full\n    versionSource: oci-tag\n",
        code: EXIT.ok,
        mode: "full",
        versionSource: "oci-tag",
        stderr: "",
    },
    {
        name: "a bad versionSource names the key, the value and what is allowed",
        text: "config:\n  release-pipeline:pipeline:\n    mode: full\n    versionSource: oci\n",
        code: EXIT.invalidInput,
        stderr: /`release-pipeline:pipeline → versionSource` is "oci"; expected one of chart-yaml, oci-tag/,
    },
    {
        name: "a bad value names the key, the value and what is allowed",
        text: stackFile("bumponly"),
        code: EXIT.invalidInput,
        stderr: /^chart-release: --stack-config Pulumi\.prod\.yaml: `release-pipeline:pipeline → mode` is "bumponly"; expected one of bump-only, prod-only, full\n$/,
    },
    {
        name: "a missing file",
        text: null,
        code: EXIT.invalidInput,
        stderr: /^chart-release: --stack-config Pulumi\.prod\.yaml: cannot read it \(ENOENT\)\n$/,
    },
    {
        name: "a file that is not a stack file (an Argo CD Application)",
        text: "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: monolith\n",
        code: EXIT.invalidInput,
        stderr: /^chart-release: --stack-config Pulumi\.prod\.yaml: not a Pulumi stack file: top-level keys apiVersion, kind, metadata; .*config/,
    },
    {
        name: "a file that is not a stack file (a list)",
        text: "- a\n- b\n",
        code: EXIT.invalidInput,
        stderr: /not a Pulumi stack file: the top level must be a mapping/,
    },
    {
        name: "config keys outside the config: wrapper",
        text: "release-pipeline:pipeline:\n  mode: bump-only\n",
        code: EXIT.invalidInput,
        stderr: /`release-pipeline:pipeline` is at the top level; stack config keys belong under `config:`/,
    },
    {
        name: "malformed YAML",
        text: "config: [\n",
        code: EXIT.invalidInput,
        stderr: /Pulumi\.prod\.yaml: malformed YAML/,
    },
];

describe("chart-release mode --stack-config FILE prints the stack's pipeline mode (through the bin)", function () {
    this.timeout(60_000);
    let root: string;
    before(() => {
        root = makeTempDir("mode");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    for (const [i, row] of ROWS.entries()) {
        it(`${row.name}: exit ${row.code}`, async () => {
            // Not a git repository: mode reads one file and needs no history.
            const dir = path.join(root, String(i));
            mkdirSync(dir);
            if (row.text !== null) writeFileSync(path.join(dir, "Pulumi.prod.yaml"), row.text);
            const argv = ["mode", "--stack-config", "Pulumi.prod.yaml"];

            const text = await runCli(argv, dir);
            assert.equal(text.code, row.code, text.stderr);
            assert.equal(text.stdout, row.mode === undefined ? "" : `${row.mode}\n`);
            if (row.stderr === "") assert.equal(text.stderr, "");
            else assert.match(text.stderr, row.stderr);

            const json = await runCli([...argv, "--json"], dir);
            assert.equal(json.code, row.code, json.stderr);
            const doc = JSON.parse(json.stdout) as unknown;
            if (row.mode === undefined) {
                assert.deepEqual(Object.keys(doc as object).sort(), ["error", "exitCode"]);
                assert.equal((doc as { exitCode: number }).exitCode, row.code);
            } else {
                assert.deepEqual(doc, { mode: row.mode, versionSource: row.versionSource ?? "chart-yaml" });
            }
        });
    }

    it("--repo makes the path relative to that directory", async () => {
        const dir = path.join(root, "elsewhere");
        mkdirSync(path.join(dir, "stacks"), { recursive: true });
        writeFileSync(path.join(dir, "stacks", "Pulumi.prod.yaml"), stackFile("prod-only"));
        const result = await runCli(
            ["mode", "--repo", dir, "--stack-config", "stacks/Pulumi.prod.yaml"],
            "/",
        );
        assert.deepEqual(result, { code: 0, stdout: "prod-only\n", stderr: "" });
    });

    const usage = [
        { argv: ["mode"], message: /mode: --stack-config is required/ },
        { argv: ["mode", "--stack-config"], message: /Option '--stack-config <value>' argument missing/ },
        {
            argv: ["mode", "--stack-config", "P.yaml", "--deploy-file", "x"],
            message: /Unknown option '--deploy-file'/,
        },
    ];
    for (const row of usage) {
        it(`usage error: ${row.argv.join(" ")} (exit 2)`, async () => {
            const result = await runCli(row.argv, root);
            assert.equal(result.code, EXIT.usage, result.stderr);
            assert.match(result.stderr, row.message);
            assert.match(result.stderr, /usage: chart-release mode .*--stack-config FILE/);
        });
    }
});
