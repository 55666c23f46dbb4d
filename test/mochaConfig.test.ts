/**
 * Issue 20, item 13: `npx mocha FILE` runs FILE alone. The spec globs live in the `test:unit` script, not in
 * .mocharc.json, where mocha merges them with the files named on the command line (so one file ran the whole
 * suite); the config keeps only what every run needs (tsx, the extension, the reporter, the timeouts).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./support/workflows";

/** Every *.test.ts of the repository (outside node_modules), relative to its root. */
function testFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        if (entry.name === "node_modules" || entry.name.startsWith(".")) return [];
        const full = join(dir, entry.name);
        if (entry.isDirectory()) return testFiles(full);
        return entry.name.endsWith(".test.ts") ? [relative(ROOT, full)] : [];
    });
}

describe("running tests: the whole suite by npm test, one file by npx mocha FILE", () => {
    const config = JSON.parse(readFileSync(join(ROOT, ".mocharc.json"), "utf8")) as Record<string, unknown>;
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
    };

    it(".mocharc.json names no spec (mocha would add it to every command line)", () => {
        assert.equal(config.spec, undefined);
        assert.deepEqual(config["node-option"], ["import=tsx"]);
    });

    it("test:unit's globs cover every test file of the repository", () => {
        const globs = [...pkg.scripts["test:unit"].matchAll(/'([^']+)'/g)].map((m) => m[1]);
        assert.deepEqual(globs, ["test/**/*.test.ts", "chart-release/test/**/*.test.ts"]);
        const outside = testFiles(ROOT).filter(
            (f) => !f.startsWith("test/") && !f.startsWith("chart-release/test/"),
        );
        assert.deepEqual(outside, []);
    });

    it("npx mocha FILE loads that file's tests and no other file's", function () {
        this.timeout(120_000);
        const file = "test/quantityGrammar.test.ts";
        const result = spawnSync(
            process.execPath,
            [join(ROOT, "node_modules", "mocha", "bin", "mocha.js"), "--dry-run", "--reporter", "json", file],
            { cwd: ROOT, encoding: "utf8" },
        );
        assert.equal(result.status, 0, result.stderr);
        const report = JSON.parse(result.stdout) as { tests: { file: string }[] };
        assert.ok(report.tests.length > 0);
        assert.deepEqual([...new Set(report.tests.map((t) => relative(ROOT, t.file)))], [file]);
    });

    it("the README says so", () => {
        const readme = readFileSync(join(ROOT, "README.md"), "utf8");
        assert.match(readme, /^npx mocha test\/<file>\.test\.ts +# one test file alone/m);
    });
});
