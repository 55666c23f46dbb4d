import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStackFile } from "../../offline/runtime/synth";

const root = join(__dirname, "..", "..");
function synth(args: string[]) {
    return spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts/synth.ts"), ...args], {
        cwd: root,
        encoding: "utf8",
        env: process.env,
        timeout: 120_000,
    });
}

describe("npm run synth", () => {
    const cases = [
        {
            args: [],
            code: 2,
            stderr: /^--stack is required\nusage: npm run synth -- --stack <dev\|prod> \[--out DIR\] \[--config FILE\] \[--diff BASE_DIR\]/,
        },
        {
            args: ["--stack", "dev", "--config", "/nonexistent.yaml"],
            code: 2,
            stderr: /^--config: cannot read \/nonexistent\.yaml: ENOENT/,
        },
        {
            args: ["--stack", "dev", "--diff", "/nonexistent"],
            code: 2,
            stderr: /^--diff: cannot read \/nonexistent\/resources\.json: ENOENT/,
        },
        { args: ["--stack", "staging"], code: 2, stderr: /^--stack: got "staging"; allowed: dev, prod/ },
        { args: ["--stack", "dev", "--bogus"], code: 2, stderr: /Unknown option '--bogus'/ },
    ];
    for (const c of cases) {
        it(`exits ${c.code} with a usage error for [${c.args.join(" ")}]`, () => {
            const r = synth(c.args);
            assert.equal(r.status, c.code, r.stderr);
            assert.match(r.stderr, c.stderr);
        });
    }

    it("stops on invalid config with one line per problem and no stack trace", () => {
        const dir = mkdtempSync(join(tmpdir(), "synth-cfg-"));
        try {
            // The shipped file takes the default version; state a floating one.
            const text = readFileSync(join(root, "Pulumi.prod.yaml"), "utf8").replace(
                "  release-pipeline:kargo:\n",
                "  release-pipeline:kargo:\n    chartVersion: latest\n",
            );
            assert.ok(text.includes("chartVersion: latest"));
            writeFileSync(join(dir, "Pulumi.prod.yaml"), text);
            const r = synth(["--stack", "prod", "--config", join(dir, "Pulumi.prod.yaml"), "--out", dir]);
            assert.equal(r.status, 2, r.stderr);
            assert.equal(
                r.stderr.trim(),
                "stack prod: invalid stack configuration:\n  - release-pipeline:kargo.chartVersion: got \"latest\"; expected an exact semantic version such as 1.11.2 (no leading 'v', no range)",
            );
            assert.ok(!existsSync(join(dir, "manifests.yaml")), "nothing written for an invalid config");
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    const files: { name: string; edit: (text: string) => string; stderr: string }[] = [
        {
            name: "a misspelt namespace (its section would silently fall back to defaults)",
            edit: (text) => text.replace("release-pipeline:pipeline:", "release-pipelin:pipeline:"),
            stderr: 'stack prod: invalid stack configuration:\n  - release-pipelin:pipeline: got a value (not shown); unknown config namespace "release-pipelin" (did you mean release-pipeline:pipeline?); allowed namespaces: release-pipeline, kubernetes, cloudflare, github, onepassword, pulumi',
        },
        {
            name: "config keys without the config: wrapper",
            edit: (text) => text.replace(/^config:\n/m, "").replace(/^ {2}/gm, ""),
            // Every key of the shipped file, in its order: the message lists them all.
            stderr:
                "stack prod: PROD: invalid stack configuration:\n  - Pulumi.prod.yaml: got top-level keys " +
                Object.keys(loadStackFile("prod").config).join(", ") +
                "; these are config keys outside the config: wrapper; allowed: indent them under a top-level config: key",
        },
        {
            name: "a file that is not a stack file",
            edit: () => "- just\n- a list\n",
            stderr: "stack prod: PROD: invalid stack configuration:\n  - Pulumi.prod.yaml: got a list; expected a Pulumi stack file: a YAML mapping with a top-level config: key",
        },
    ];
    for (const f of files) {
        it(`stops on ${f.name}, in one run, naming the key`, () => {
            const dir = mkdtempSync(join(tmpdir(), "synth-file-"));
            try {
                const file = join(dir, "Pulumi.prod.yaml");
                writeFileSync(file, f.edit(readFileSync(join(root, "Pulumi.prod.yaml"), "utf8")));
                const r = synth(["--stack", "prod", "--config", file, "--out", dir]);
                assert.equal(r.status, 2, r.stderr);
                assert.equal(r.stderr.trim(), f.stderr.replace("PROD", file));
                assert.ok(!existsSync(join(dir, "manifests.yaml")), "nothing written for an invalid file");
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    }

    for (const stack of ["dev", "prod"]) {
        const title = `writes manifests.yaml, resources.json and pipeline.md for stack ${stack}`;
        const writes = function (this: Mocha.Context) {
            if (!process.env.CRD_DIR) this.skip();
            // A whole synth (program, schemas, admission model, policy pack) in a child process.
            // Twice: the second run compares itself with the first (--diff).
            this.timeout(360_000);
            const out = mkdtempSync(join(tmpdir(), "synth-"));
            try {
                const r = synth(["--stack", stack, "--out", out]);
                assert.equal(r.status, 0, r.stderr + r.stdout);
                assert.match(
                    r.stdout,
                    /every object is valid against the pinned CRDs, Kargo schemas and the Kubernetes 1\.36\.0 schema/,
                );
                assert.match(r.stdout, /every object passes the admission model/);
                for (const f of ["manifests.yaml", "resources.json", "pipeline.md"])
                    assert.ok(existsSync(join(out, f)), f);
                const resources = JSON.parse(readFileSync(join(out, "resources.json"), "utf8")) as {
                    urn: string;
                    type: string;
                    name: string;
                    parent: string | null;
                    inputs: object;
                }[];
                assert.ok(resources.every((r) => r.urn && r.type && r.name && "parent" in r && r.inputs));
                assert.match(readFileSync(join(out, "pipeline.md"), "utf8"), /```mermaid\ngraph LR/);
                assert.match(
                    readFileSync(join(out, "summary.md"), "utf8"),
                    new RegExp(`^## Offline preview of stack \`${stack}\``),
                );

                // Against itself: the same synth, so --diff reports nothing to change.
                const again = synth(["--stack", stack, "--out", join(out, "again"), "--diff", out]);
                assert.equal(again.status, 0, again.stderr + again.stdout);
                assert.match(again.stdout, /diff of stack \w+ against .*: no changes \(\d+ unchanged\)/);
                assert.match(
                    readFileSync(join(out, "again", "summary.md"), "utf8"),
                    /### Changes\n\nAgainst `.*`: \*\*no changes/,
                );
            } finally {
                rmSync(out, { recursive: true, force: true });
            }
        };
        it(title, writes);
    }
});
