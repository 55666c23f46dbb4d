import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
            const text = readFileSync(join(root, "Pulumi.prod.yaml"), "utf8").replace(
                "chartVersion: 1.11.2",
                "chartVersion: latest",
            );
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

    it("writes manifests.yaml, resources.json and pipeline.md for a stack", function () {
        if (!process.env.CRD_DIR) this.skip();
        const out = mkdtempSync(join(tmpdir(), "synth-"));
        try {
            const r = synth(["--stack", "prod", "--out", out]);
            assert.equal(r.status, 0, r.stderr + r.stdout);
            assert.match(
                r.stdout,
                /every custom resource is valid against the pinned CRDs and Kargo schemas/,
            );
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
                /^## Offline preview of stack `prod`/,
            );

            // Against itself: the same synth, so --diff reports nothing to change.
            const again = synth(["--stack", "prod", "--out", join(out, "again"), "--diff", out]);
            assert.equal(again.status, 0, again.stderr + again.stdout);
            assert.match(again.stdout, /diff of stack prod against .*: no changes \(\d+ unchanged\)/);
            assert.match(
                readFileSync(join(out, "again", "summary.md"), "utf8"),
                /### Changes\n\nAgainst `.*`: \*\*no changes/,
            );
        } finally {
            rmSync(out, { recursive: true, force: true });
        }
    });
});
