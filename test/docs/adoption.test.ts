/**
 * docs/adoption.md's commands are exercised, not only printed: each mode's config block is applied to the
 * shipped Pulumi.prod.yaml and read back by the stack's validation and by `chart-release mode` (the real
 * CLI); each `chart-release` command parses with chart-release's own argument parser; each `npm run`
 * command names a script this package has, and the review synth runs and passes.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { parseCliArgs } from "../../chart-release/src/args";
import { readRawConfig, validateStackConfig } from "../../components/config";
import { PIPELINE_MODES } from "../../components/config/pipeline";

const ROOT = join(__dirname, "..", "..");
const doc = readFileSync(join(ROOT, "docs", "adoption.md"), "utf8");

/** Fenced blocks of one language, each with the `<!-- mode: X -->` marker right above it, if any. */
function findBlocks(lang: string): { mode?: string; body: string }[] {
    const re = new RegExp(
        "(?:<!-- mode: ([\\w-]+) -->\\n)?[ \\t]*```" + lang + "\\n([\\s\\S]*?)[ \\t]*```",
        "g",
    );
    return [...doc.matchAll(re)].map((m) => ({ mode: m[1], body: m[2] }));
}

/** Shell commands of the runbook, one per line, the indentation of list items removed. */
const commands = findBlocks("sh").flatMap((b) =>
    b.body
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean),
);

/** Pulumi.prod.yaml with the block's config keys applied over the shipped ones. */
function applyBlock(body: string): string {
    const shipped = parse(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8")) as {
        config: Record<string, unknown>;
    };
    const block = parse(body) as Record<string, Record<string, unknown>>;
    for (const [key, value] of Object.entries(block)) {
        shipped.config[key] = { ...(shipped.config[key] as Record<string, unknown>), ...value };
    }
    return stringify(shipped);
}

describe("docs/adoption.md: the runbook's commands run", function () {
    this.timeout(300_000);
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), "adoption-"))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("has one config block per pipeline mode, in the adoption order", () => {
        assert.deepEqual(
            findBlocks("yaml").flatMap((b) => (b.mode ? [b.mode] : [])),
            Object.keys(PIPELINE_MODES),
        );
    });

    for (const block of findBlocks("yaml").filter((b) => b.mode)) {
        it(`the ${block.mode} block: the stack validates it and chart-release reads the same mode`, () => {
            const text = applyBlock(block.body);
            const config = parse(text) as { config: Record<string, unknown> };
            const flat = Object.fromEntries(
                Object.entries(config.config).map(([k, v]) => [
                    k,
                    typeof v === "string" ? v : JSON.stringify(v),
                ]),
            );
            assert.equal(validateStackConfig(readRawConfig(flat)).pipeline.mode, block.mode);
            const file = join(dir, `Pulumi.${block.mode}.yaml`);
            writeFileSync(file, text);
            const cli = spawnSync(
                process.execPath,
                [
                    "--import",
                    "tsx",
                    join(ROOT, "chart-release", "src", "cli.ts"),
                    "mode",
                    "--stack-config",
                    file,
                ],
                { cwd: ROOT, encoding: "utf8" },
            );
            assert.equal(cli.status, 0, cli.stderr);
            assert.equal(cli.stdout.trim(), block.mode);
        });
    }

    it("every chart-release command parses with chart-release's own parser", () => {
        const lines = commands.filter((c) => c.startsWith("chart-release "));
        assert.ok(lines.length >= 2, lines.join("\n"));
        for (const line of lines) {
            const argv = line.split(/\s+/).slice(1);
            assert.doesNotThrow(() => parseCliArgs(argv, ROOT), line);
        }
    });

    it("every npm run command names a script of this package", () => {
        const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: object })
            .scripts;
        const lines = [...doc.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
        assert.ok(lines.length > 0);
        for (const name of lines) assert.ok(name in scripts, `npm run ${name}`);
    });

    it("the review synth runs and passes every offline check", () => {
        const line = commands.find((c) => c.startsWith("npm run synth -- "));
        assert.ok(line, "the runbook shows the synth to review");
        const args = line.replace(/^npm run synth -- /, "").split(/\s+/);
        const run = spawnSync(
            process.execPath,
            ["--import", "tsx", join(ROOT, "scripts", "synth.ts"), ...args, "--out", join(dir, "out")],
            { cwd: ROOT, encoding: "utf8" },
        );
        assert.equal(run.status, 0, run.stderr + run.stdout);
        assert.match(run.stdout, /policy pack: 0 violation\(s\)/);
    });
});
