/**
 * Issue 20, items 4 and 5: the PR check the application repository runs. The example caller's `check` job calls
 * chart-release-pr.yml; its steps are run against a scratch application repository with a pull-request branch,
 * as workflow.test.ts runs the release (the same stand-ins for checkout, setup-node and `npm ci`). The dev
 * version names the PR's head commit, a failing `chart-release dev` fails its step, check-pr fails a PR that
 * edits a version.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { buildDist, LAUNCHER } from "./helpers/cli";
import { GitFixture, makeTempDir } from "./helpers/git-fixture";
import { gitIn } from "./helpers/origin";
import { runJob, type ExpressionContext, type WorkflowStep } from "./helpers/workflow-runner";

const ROOT = path.join(__dirname, "..", "..");
interface Job {
    uses?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
    steps?: WorkflowStep[];
}
const read = (file: string) =>
    parse(readFileSync(path.join(ROOT, file), "utf8")) as { jobs: Record<string, Job> };
const caller = read("examples/application-repository/.github/workflows/charts.yml").jobs.check;
const job = read(`.github/workflows/${path.basename(String(caller.uses).split("@")[0])}`).jobs.check;

/** origin with main (both charts) and a PR branch `feature` whose head is a commit made by `change`. */
function createPullRequest(
    root: string,
    change: (repo: GitFixture) => void,
): { origin: string; head: string } {
    const repo = GitFixture.init(path.join(root, "seed"));
    repo.write("chart/Chart.yaml", "apiVersion: v2\nname: monolith\nversion: 0.1.0\n");
    repo.write(
        "charts/monolith-public/Chart.yaml",
        "apiVersion: v2\nname: monolith-public\nversion: 0.1.0\n",
    );
    repo.write("src/api/main.go", "package main\n");
    repo.commitAll("chore: initial import");
    repo.git("checkout", "--quiet", "-b", "feature");
    change(repo);
    const head = repo.git("rev-parse", "HEAD").trim();
    repo.git("checkout", "--quiet", "main");
    const origin = path.join(root, "origin.git");
    gitIn(root, "clone", "--quiet", "--bare", repo.dir, origin);
    return { origin, head };
}

describe("the example caller's PR check, run against a scratch pull request", function () {
    this.timeout(120_000);
    let root: string;
    before(() => {
        buildDist();
        root = makeTempDir("workflow-pr");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    function check(
        name: string,
        change: (repo: GitFixture) => void,
        charts?: string,
        env: NodeJS.ProcessEnv = {},
    ) {
        const dir = path.join(root, name);
        const { origin, head } = createPullRequest(dir, change);
        const workspace = path.join(dir, "workspace");
        const scratch = path.join(dir, "runner");
        mkdirSync(scratch, { recursive: true });
        const context: ExpressionContext = {
            inputs: { ...caller.with, ...(charts === undefined ? {} : { charts }) },
            matrix: {},
            github: { base_ref: "main" },
            secrets: {},
            steps: {},
        };
        const runs = runJob({
            steps: job.steps ?? [],
            jobEnv: job.env ?? {},
            context,
            workspace,
            scratch,
            env: {
                ...process.env,
                ...env,
                PATH: [path.dirname(process.execPath), process.env.PATH].join(":"),
            },
            emulate: {
                // The PR's head commit, as the step's `ref:` asks (the test checks that it does).
                "actions/checkout": () => {
                    gitIn(dir, "clone", "--quiet", origin, workspace);
                    gitIn(workspace, "checkout", "--quiet", "--detach", head);
                },
                "Check out the stack (chart-release)": () => {
                    const bin = path.join(workspace, ".release-pipeline", "chart-release", "bin");
                    mkdirSync(bin, { recursive: true });
                    writeFileSync(
                        path.join(bin, "chart-release"),
                        `#!/usr/bin/env bash\nexec "${process.execPath}" "${LAUNCHER}" "$@"\n`,
                    );
                    chmodSync(path.join(bin, "chart-release"), 0o755);
                },
                "actions/setup-node": () => undefined,
                "Install chart-release": () => undefined,
            },
        });
        const summary = readFileSync(path.join(scratch, "step-summary.md"), "utf8");
        return { runs, summary, head, outputs: context.steps.dev?.outputs ?? {} };
    }

    it("installs chart-release without running any dependency's install script", () => {
        const install = (job.steps ?? []).find((s) => s.name === "Install chart-release");
        assert.match(
            String(install?.run),
            /^npm ci --prefix \.release-pipeline\/chart-release --ignore-scripts /m,
        );
    });

    it("checks out the PR's head commit, not GitHub's merge commit", () => {
        const checkout = (job.steps ?? []).find((s) => s.uses?.startsWith("actions/checkout@"));
        assert.equal(checkout?.with?.ref, "${{ github.event.pull_request.head.sha }}");
        assert.equal(checkout?.with?.["fetch-depth"], 0);
        assert.equal(checkout?.with?.["persist-credentials"], false);
    });

    it("a PR that edits no version: each chart's dev version of the head commit, in the summary and the output", () => {
        const r = check("clean", (repo) => repo.commit("feat(api): x", ["src/api/main.go"]));
        assert.deepEqual(
            r.runs.filter((s) => s.status !== 0),
            [],
        );
        const short = r.head.slice(0, 7);
        const versions = JSON.parse(r.outputs.versions) as Record<string, string>;
        assert.deepEqual(Object.keys(versions), ["chart", "charts/monolith-public"]);
        for (const [chart, version] of Object.entries(versions)) {
            assert.match(version, new RegExp(`^0\\.0\\.0-dev\\.\\d{14}\\.g${short}[0-9a-f]*$`));
            assert.ok(r.summary.includes(`| \`${chart}\` | \`${version}\` |`), r.summary);
        }
    });

    it("a PR that edits a Chart.yaml version fails check-pr (exit 1), naming the line", () => {
        const r = check("edit", (repo) => {
            repo.write("chart/Chart.yaml", "apiVersion: v2\nname: monolith\nversion: 0.2.0\n");
            repo.commitAll("feat: bump by hand");
        });
        const failing = r.runs.filter((s) => s.status !== 0);
        assert.deepEqual(
            failing.map((s) => [s.step, s.status]),
            [["No version edits in the PR", 1]],
        );
        assert.match(failing[0].stdout + failing[0].stderr, /chart\/Chart\.yaml:3/);
    });

    // chart-release dev fails on a SOURCE_DATE_EPOCH it cannot use (exit 70 today, a usage error once issue 19
    // refuses malformed values): either way the step must fail with chart-release's line, not print an empty version.
    const broken: [string, string | undefined, NodeJS.ProcessEnv, RegExp][] = [
        [
            "chart-release dev fails",
            undefined,
            { SOURCE_DATE_EPOCH: "99999999999999999999" },
            /^chart-release: /m,
        ],
        [
            "an empty list of charts",
            "[]",
            {},
            /::error::charts: got \[\]; expected a JSON array of at least one/,
        ],
        ["charts that are not JSON", "chart", {}, /parse error/],
    ];
    for (const [name, charts, env, message] of broken) {
        it(`${name}: the PR build versions step fails, and nothing after it runs`, () => {
            const r = check(
                name.replace(/\W+/g, "-"),
                (repo) => repo.commit("fix: y", ["src/api/main.go"]),
                charts,
                env,
            );
            const last = r.runs[r.runs.length - 1];
            assert.equal(last.step, "PR build versions");
            assert.notEqual(last.status, 0);
            assert.match(last.stdout + last.stderr, message);
        });
    }
});
