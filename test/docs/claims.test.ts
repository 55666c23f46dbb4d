/**
 * Issue 20, item 12: what the docs say about CI is checked against the files it describes. Each claim is a
 * sentence a doc must hold and the fact in the workflows or scripts that makes it true; and the stale claims
 * the issue found may not come back.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, WORKFLOWS, workflowNamed } from "../support/workflows";

const read = (file: string) => readFileSync(join(ROOT, file), "utf8").replace(/\s+/g, " ");
const docs = [
    "README.md",
    "chart-release/README.md",
    ...["access", "adoption", "architecture", "ci", "deploying", "offline-checks", "runbooks"].map(
        (d) => `docs/${d}.md`,
    ),
];

interface Claim {
    readonly name: string;
    readonly file: string;
    /** The sentence, whitespace-normalized, as the doc states it. */
    readonly says: string | RegExp;
    /** The fact that makes it true, asserted. */
    readonly holds: () => void;
}

const claims: Claim[] = [
    {
        name: "ci.yml runs .ci/run on every pull request and every push to main",
        file: "docs/deploying.md",
        says: "`ci.yml` runs `.ci/run` (install, `npm test`, both synths) on every pull request and every push to `main`",
        holds: () => {
            const ci = workflowNamed("ci.yml");
            assert.equal(ci.on.pull_request, null, "every pull request: no filter");
            assert.deepEqual(ci.on.push, { branches: ["main"] });
            assert.ok(ci.jobs.test.steps?.some((s) => s.run === "bash .ci/run"));
        },
    },
    {
        name: "preview: pull requests from this repository that touch the stack; forks get the offline preview",
        file: "README.md",
        says: "`preview` on every pull request from a branch of this repository that touches the stack (a fork's gets the offline preview only), with read-only credentials",
        holds: () => {
            const wf = workflowNamed("pulumi-preview.yml");
            assert.equal(
                wf.jobs.preview.if,
                "github.event.pull_request.head.repo.full_name == github.repository",
            );
            assert.equal(wf.jobs.offline.if, undefined);
            assert.deepEqual((wf.on.pull_request as { "paths-ignore": string[] })["paths-ignore"], [
                "chart/**",
                "charts/**",
                "deploy/**",
            ]);
            assert.equal(wf.jobs.preview.environment, "${{ matrix.stack }}-preview");
        },
    },
    {
        name: "up: on main, once the suite passed, dev then prod",
        file: "README.md",
        says: "`up` on `main` once the suite passed, `dev` and then `prod`",
        holds: () => {
            const { ci, dev, prod } = workflowNamed("pulumi-up.yml").jobs;
            assert.deepEqual([ci.uses, dev.needs, prod.needs], ["./.github/workflows/ci.yml", "ci", "dev"]);
        },
    },
    {
        name: "CRD_DIR: .ci/run sets it when ../shared/crds exists; the GitHub workflow does not",
        file: "docs/offline-checks.md",
        says: "`.ci/run` sets `CRD_DIR` to `../shared/crds` when that folder exists beside the clone; the GitHub workflow's checkout has none",
        holds: () => {
            const run = readFileSync(join(ROOT, ".ci", "run"), "utf8");
            assert.match(
                run,
                /if \[\[ -z "\$\{CRD_DIR:-\}" && -d \.\.\/shared\/crds \]\]; then\n\s+CRD_DIR="\$\(cd \.\.\/shared\/crds && pwd\)"/,
            );
            assert.deepEqual(
                WORKFLOWS.filter((f) => f.text.includes("CRD_DIR")).map((f) => f.path),
                [],
            );
        },
    },
    {
        name: "chart-release's CI section: the concurrency group per chart, --chart, the reusable workflows",
        file: "chart-release/README.md",
        says: /`concurrency: \{group: chart-release-\$\{\{ github\.repository \}\}-\$\{\{ matrix\.chart \}\}, cancel-in-progress: false\}`.*`chart-release release --chart <folder>/,
        holds: () => {
            const job = workflowNamed("chart-release.yml").jobs.release;
            assert.deepEqual(job.concurrency, {
                group: "chart-release-${{ github.repository }}-${{ matrix.chart }}",
                "cancel-in-progress": false,
            });
            assert.ok("workflow_call" in workflowNamed("chart-release.yml").on);
            const release = job.steps?.find((s) => s.name === "Release");
            assert.match(String(release?.run), /args=\(--chart "\$CHART"/);
        },
    },
    {
        name: ".ci/run's stages as docs/ci.md lists them",
        file: "docs/ci.md",
        says: /one function per stage \((`\w+`(, `\w+`)*)\), run in the order of its `STAGES` list/,
        holds: () => {
            const listed = /one function per stage \(([^)]*)\)/.exec(read("docs/ci.md"))?.[1] ?? "";
            const run = readFileSync(join(ROOT, ".ci", "run"), "utf8");
            const stages = (/^STAGES=\(([^)]*)\)$/m.exec(run)?.[1] ?? "").split(" ");
            assert.deepEqual(
                [...listed.matchAll(/`(\w+)`/g)].map((m) => m[1]),
                stages,
            );
            for (const stage of stages)
                assert.match(run, new RegExp(`^stage_${stage}\\(\\) \\{$`, "m"), stage);
        },
    },
];

/** Stale claims issue 20 found: none may come back. */
const STALE: readonly (string | RegExp)[] = [
    "CI sets `CRD_DIR",
    "on every push and PR",
    "`preview` on every PR",
    "chart-release-main",
    "checkout persists it for `git push`",
    /`CHART_RELEASE_APP_ID`/,
    "head_commit.message, 'chore(release): ')",
];

describe("CI claims in the docs hold against the files", () => {
    for (const claim of claims) {
        it(`${claim.file}: ${claim.name}`, () => {
            const text = read(claim.file);
            if (typeof claim.says === "string")
                assert.ok(text.includes(claim.says), `${claim.file} no longer says: ${claim.says}`);
            else assert.match(text, claim.says);
            claim.holds();
        });
    }

    it("no stale claim is back", () => {
        const found = docs.flatMap((file) => {
            const text = read(file);
            return STALE.filter((s) => (typeof s === "string" ? text.includes(s) : s.test(text))).map(
                (s) => `${file}: ${String(s)}`,
            );
        });
        assert.deepEqual(found, []);
    });
});
