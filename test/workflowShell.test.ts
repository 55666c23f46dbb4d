/**
 * Issue 20, items 5 and 10: every `run:` block is a bash script that stops at the first failure, takes
 * GitHub's values through `env:` (never `${{ }}` pasted into the script, where a branch name or PR title
 * becomes code), and passes Debian's `shellcheck`; so do the repository's own shell scripts.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ALL_WORKFLOWS, ROOT, allSteps, type WorkflowFile } from "./support/workflows";

/** The shell scripts of the repository itself, shellchecked as they are. */
const SCRIPTS = [
    ".ci/run",
    "scripts/start-postgres.sh",
    "chart-release/scripts/start-registry.sh",
    "chart-release/bench/release-job.sh",
];

interface Block {
    readonly where: string;
    readonly script: string;
}

function runBlocks(file: WorkflowFile): Block[] {
    return allSteps(file)
        .filter(({ step }) => step.run !== undefined)
        .map(({ job, index, step }) => ({
            where: `${file.path} jobs.${job}.steps[${index}]${step.name ? ` (${step.name})` : ""}`,
            script: String(step.run),
        }));
}

interface Finding {
    readonly file: string;
    readonly line: number;
    readonly code: number;
    readonly message: string;
}

/**
 * shellcheck's findings for each script (as bash, every severity), in one run. A block is checked as the file
 * GitHub writes for `shell: bash`: the script alone, run with `bash -eo pipefail`.
 */
export function shellcheck(blocks: readonly Block[]): string[] {
    const dir = mkdtempSync(join(tmpdir(), "shellcheck-"));
    try {
        const files = blocks.map((b, i) => {
            const file = join(dir, `block-${i}.sh`);
            writeFileSync(file, b.script);
            return file;
        });
        const result = spawnSync("shellcheck", ["--shell=bash", "--format=json1", ...files], {
            encoding: "utf8",
        });
        if (result.error)
            throw new Error(
                `shellcheck did not run (${result.error.message}): install Debian's shellcheck (apt-get install shellcheck; .ci/run does)`,
            );
        const { comments } = JSON.parse(result.stdout) as { comments: Finding[] };
        return comments.map((c) => {
            const block = blocks[files.indexOf(c.file)];
            return `${block.where} line ${c.line}: SC${c.code} ${c.message}`;
        });
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

describe("workflow shell: bash -eo pipefail, values through env, shellcheck clean", () => {
    const files = ALL_WORKFLOWS.filter((f) => runBlocks(f).length > 0);

    for (const file of files) {
        it(`${file.path}: run: defaults to bash (so -eo pipefail) and no step picks another shell`, () => {
            assert.equal(file.workflow.defaults?.run?.shell, "bash");
            const others = allSteps(file).filter(
                ({ step }) => step.shell !== undefined && step.shell !== "bash",
            );
            assert.deepEqual(others, []);
        });

        it(file.path + ": no ${{ }} inside a run: block (values come through env:)", () => {
            const pasted = runBlocks(file).filter((b) => b.script.includes("${{"));
            assert.deepEqual(
                pasted.map((b) => b.where),
                [],
            );
        });
    }

    describe("the shellcheck check itself", () => {
        const cases: { name: string; script: string; codes: number[] }[] = [
            { name: "a clean block", script: 'echo "$HOME"\n', codes: [] },
            { name: "an unquoted variable", script: "rm -rf $DIR/cache\n", codes: [2086] },
            {
                name: "a failure swallowed by local assignment",
                script: 'f() { local v="$(false)"; echo "$v"; }\nf\n',
                codes: [2155],
            },
            { name: "a useless cat into a pipe", script: 'cat "$F" | grep x\n', codes: [2002] },
        ];
        for (const c of cases) {
            it(c.name, () => {
                const findings = shellcheck([{ where: "x", script: c.script }]);
                assert.deepEqual(
                    findings.map((f) => Number(/SC(\d+)/.exec(f)?.[1])),
                    c.codes,
                    findings.join("\n"),
                );
            });
        }
    });

    it("every run: block of every workflow and of the example caller passes shellcheck", () => {
        const blocks = ALL_WORKFLOWS.flatMap(runBlocks);
        assert.ok(blocks.length > 20, `${blocks.length} blocks`);
        assert.deepEqual(shellcheck(blocks), []);
    });

    it("the repository's shell scripts pass shellcheck", () => {
        const blocks = SCRIPTS.map((path) => ({
            where: path,
            script: readFileSync(join(ROOT, path), "utf8"),
        }));
        assert.deepEqual(shellcheck(blocks), []);
    });
});
