/**
 * Issue 20, item 4: the release the application repository runs. The example caller
 * (examples/application-repository/.github/workflows/charts.yml) is read for its inputs, the reusable
 * chart-release.yml it calls for its release job, and that job's steps are run, one matrix row after another,
 * against a scratch application repository (a bare `origin`) and the loopback OCI registry. What the test does
 * in place of a step: actions/checkout (a clone of origin; the stack's checkout is its Pulumi.prod.yaml and a
 * launcher of this source's chart-release), setup-node (this Node), the App token (a fixed string), `npm ci`
 * (the bundle is built from source) and `gh api` (a stand-in answering the bot's id). The one liberty taken
 * with a command: the launcher adds --plain-http to `release`, as the loopback registry speaks HTTP.
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { buildDist, LAUNCHER } from "./helpers/cli";
import { GitFixture, makeTempDir } from "./helpers/git-fixture";
import { gitIn } from "./helpers/origin";
import { ensureRegistry, uniqueNamespace } from "./helpers/registry";
import { APPLICATION } from "./helpers/release-setup";
import { runJob, type ExpressionContext, type StepRun, type WorkflowStep } from "./helpers/workflow-runner";

const ROOT = path.join(__dirname, "..", "..");
interface Job {
    if?: string;
    uses?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
    steps?: WorkflowStep[];
}
interface Workflow {
    on: { workflow_call?: { inputs: Record<string, { default?: unknown }> } };
    jobs: Record<string, Job>;
}
const read = (file: string) => parse(readFileSync(path.join(ROOT, file), "utf8")) as Workflow;
const caller = read("examples/application-repository/.github/workflows/charts.yml").jobs.release;
const callee = read(`.github/workflows/${path.basename(String(caller.uses).split("@")[0])}`);
const job = callee.jobs.release;

/** Chart.yaml of a chart named `name` at 0.1.0. */
const chartYaml = (name: string) => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`;

/**
 * The application repository: the example's two charts with their deploy files, the sources that feed them,
 * then a feat in the monolith's sources and a fix in the public tier's (which feeds both charts).
 */
function createApplication(root: string): string {
    const repo = GitFixture.init(path.join(root, "seed"));
    // Adopted charts: imported, then set to the version earlier tooling released (a chart whose first
    // version is the one it was added with would be released at that version first, issue 19 item 7).
    repo.write("chart/Chart.yaml", chartYaml("monolith").replace("0.1.0", "0.0.0"));
    repo.write("chart/values.yaml", "replicaCount: 1\n");
    repo.write("charts/monolith-public/Chart.yaml", chartYaml("monolith-public").replace("0.1.0", "0.0.0"));
    repo.write("charts/monolith-public/values.yaml", "replicaCount: 1\n");
    repo.write("deploy/prod/monolith.yaml", APPLICATION.replace("chart: mychart", "chart: monolith"));
    repo.write(
        "deploy/prod/monolith-public.yaml",
        APPLICATION.replace("name: monolith #", "name: monolith-public #").replace(
            "chart: mychart",
            "chart: monolith-public",
        ),
    );
    repo.write("src/api/main.go", "package main\n");
    repo.write("src/public/page.ts", "export {};\n");
    repo.commitAll("chore: initial import");
    repo.write("chart/Chart.yaml", chartYaml("monolith"));
    repo.write("charts/monolith-public/Chart.yaml", chartYaml("monolith-public"));
    repo.commitAll("chore: the charts at the version released before chart-release");
    repo.commit("feat(api): a new endpoint", ["src/api/main.go"]);
    repo.commit("fix(public): the page title", ["src/public/page.ts"]);
    const origin = path.join(root, "origin.git");
    gitIn(root, "clone", "--quiet", "--bare", repo.dir, origin);
    return origin;
}

/** The prod stack file as the stack's checkout holds it, with the pipeline mode `mode`. */
function stackFile(mode: string): string {
    const text = readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
    return text.replace(/^(\s+mode: )\S+/m, `$1${mode}`);
}

interface Row {
    chart: string;
    paths?: string[];
    "deploy-files"?: string[];
}

describe("the example caller's release, run against a scratch repository and the loopback registry", function () {
    this.timeout(300_000);
    let root: string;
    let address: string;
    before(async () => {
        buildDist();
        address = await ensureRegistry();
        root = makeTempDir("workflow");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    const rows = JSON.parse(String(caller.with?.charts)) as Row[];

    /** Every matrix row's job, in order, in a workspace of its own; what each step did. */
    function release(
        name: string,
        origin: string,
        opts: { mode: string; inputs?: Record<string, string>; namespace?: string; hook?: string },
    ) {
        const namespace = opts.namespace ?? uniqueNamespace(name);
        const defaults = Object.fromEntries(
            Object.entries(callee.on.workflow_call?.inputs ?? {}).map(([k, v]) => [k, v.default]),
        );
        const inputs: Record<string, unknown> = {
            ...defaults,
            ...caller.with,
            registry: `oci://${address}/${namespace}`,
            ...opts.inputs,
        };
        const bin = path.join(root, name, "bin");
        mkdirSync(bin, { recursive: true });
        writeFileSync(path.join(bin, "gh"), "#!/usr/bin/env bash\necho 4242\n");
        chmodSync(path.join(bin, "gh"), 0o755);
        const results = (JSON.parse(String(inputs.charts)) as Row[]).map((row, i) => {
            const workspace = path.join(root, name, `job-${i}`);
            const scratch = path.join(root, name, `runner-${i}`);
            mkdirSync(scratch, { recursive: true });
            const context: ExpressionContext = {
                inputs,
                matrix: { ...row },
                github: {
                    actor: "octocat",
                    token: "github-token",
                    repository: "acme/app",
                    repository_owner: "Acme",
                },
                secrets: { RELEASE_APP_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----" },
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
                    GITHUB_SERVER_URL: "https://github.com",
                    PATH: [bin, path.dirname(process.execPath), process.env.PATH].join(":"),
                },
                emulate: {
                    "actions/checkout": () => {
                        gitIn(root, "clone", "--quiet", "--branch", String(inputs.branch), origin, workspace);
                        // A hook planted in the checkout (by a compromised install, say) that reports any run.
                        for (const hook of opts.hook === undefined
                            ? []
                            : ["pre-commit", "post-commit", "pre-push"]) {
                            const file = path.join(workspace, ".git", "hooks", hook);
                            writeFileSync(file, `#!/bin/sh\necho "${hook}" >> "${opts.hook}"\nexit 1\n`);
                            chmodSync(file, 0o755);
                        }
                    },
                    "Check out the stack (chart-release and the stack file)": () => {
                        const stack = path.join(workspace, ".release-pipeline");
                        mkdirSync(path.join(stack, "chart-release", "bin"), { recursive: true });
                        writeFileSync(path.join(stack, String(inputs["stack-config"])), stackFile(opts.mode));
                        const launcher = path.join(stack, "chart-release", "bin", "chart-release");
                        writeFileSync(
                            launcher,
                            '#!/usr/bin/env bash\nif [ "$1" = release ]; then set -- "$@" --plain-http; fi\n' +
                                `exec "${process.execPath}" "${LAUNCHER}" "$@"\n`,
                        );
                        chmodSync(launcher, 0o755);
                    },
                    "actions/setup-node": () => undefined,
                    "Install chart-release": () => undefined,
                    "Token of the release App": (outputs) => {
                        outputs.token = "app-token";
                        outputs["app-slug"] = "acme-release";
                    },
                },
            });
            const summary = readFileSync(path.join(scratch, "step-summary.md"), "utf8");
            return { runs, summary, workspace };
        });
        return { namespace, results };
    }

    const failed = (runs: StepRun[]) => runs.filter((r) => r.status !== 0);

    /**
     * Whether the release job's `if:` skips a push whose head commit has `message`. The expression is checked to
     * be the one this evaluates: GitHub's contains() (case-insensitive) of a newline and the trailer's key.
     */
    function skipsPush(message: string): boolean {
        assert.equal(
            job.if,
            "${{ !contains(github.event.head_commit.message, format('{0}Chart-Release: ', fromJSON('\"\\n\"'))) }}",
        );
        return message.toLowerCase().includes("\nchart-release: ");
    }
    const mainFile = (origin: string, file: string) => gitIn(origin, "show", `main:${file}`);

    async function registryTags(namespace: string, chart: string): Promise<string[]> {
        const response = await fetch(`http://${address}/v2/${namespace}/${chart}/tags/list`);
        if (response.status === 404) return [];
        return ((await response.json()) as { tags: string[] }).tags;
    }

    it("the example releases the charts the stack deploys, each with its paths", () => {
        assert.deepEqual(
            rows.map((r) => r.chart),
            ["chart", "charts/monolith-public"],
        );
        for (const row of rows)
            assert.ok((row.paths ?? []).length > 0, `${row.chart}: its dependency closure`);
    });

    it("mode full: each chart released from its own paths, committed, tagged, published, in the job summary", async () => {
        const origin = createApplication(path.join(root, "full-src"));
        const { namespace, results } = release("full", origin, { mode: "full" });
        for (const r of results) assert.deepEqual(failed(r.runs), []);
        assert.match(mainFile(origin, "chart/Chart.yaml"), /^version: 0\.2\.0$/m);
        assert.match(mainFile(origin, "charts/monolith-public/Chart.yaml"), /^version: 0\.1\.1$/m);
        assert.match(
            mainFile(origin, "deploy/prod/monolith.yaml"),
            /targetRevision: "0\.1\.0"/,
            "Kargo writes it in full",
        );
        const tags = gitIn(origin, "tag", "--list").trim().split("\n");
        assert.deepEqual(tags, ["monolith-0.2.0", "monolith-public-0.1.1"]);
        assert.deepEqual(await registryTags(namespace, "monolith"), ["0.2.0"]);
        assert.deepEqual(await registryTags(namespace, "monolith-public"), ["0.1.1"]);
        assert.match(
            results[0].summary,
            new RegExp(
                `\\| released \\| 0\\.2\\.0 \\| monolith-0\\.2\\.0 \\| \`${address}/${namespace}/monolith:0\\.2\\.0\` \\|`,
            ),
        );
        assert.match(results[1].summary, /\| released \| 0\.1\.1 \| monolith-public-0\.1\.1 \|/);
        // The job's guard skips a push of the release's own commit, and only that (a human squash merge titled
        // chore(release): … still releases): what the release writes, read back from origin.
        assert.equal(skipsPush(gitIn(origin, "log", "-1", "--format=%B", "main")), true);
        assert.equal(skipsPush("chore(release): monolith 0.3.0 (#42)\n\n* fix(api): a null check\n"), false);
        assert.equal(skipsPush("fix: mention Chart-Release: in the docs\n"), false);
        // The commits are the App bot's, as the identity step set them.
        const author = gitIn(origin, "log", "-1", "--format=%an <%ae>", "main").trim();
        assert.equal(author, "acme-release[bot] <4242+acme-release[bot]@users.noreply.github.com>");
    });

    it("the next push after a release: nothing to release, said in the summary, nothing published", async () => {
        const origin = createApplication(path.join(root, "again-src"));
        const first = release("again-1", origin, { mode: "full" });
        for (const r of first.results) assert.deepEqual(failed(r.runs), []);
        const head = gitIn(origin, "rev-parse", "main");
        const second = release("again-2", origin, { mode: "full", namespace: first.namespace });
        for (const r of second.results) assert.deepEqual(failed(r.runs), []);
        assert.equal(gitIn(origin, "rev-parse", "main"), head);
        assert.match(second.results[0].summary, /\| up-to-date \| 0\.2\.0 \| none \|/);
        assert.deepEqual(await registryTags(second.namespace, "monolith"), ["0.2.0"], "published once");
    });

    it("a hook planted in the checkout never runs while git holds the App token", () => {
        const origin = createApplication(path.join(root, "hook-src"));
        const ran = path.join(root, "hook-ran");
        const { results } = release("hook", origin, { mode: "full", hook: ran });
        for (const r of results) assert.deepEqual(failed(r.runs), []);
        assert.match(mainFile(origin, "chart/Chart.yaml"), /^version: 0\.2\.0$/m);
        assert.equal(existsSync(ran), false, existsSync(ran) ? readFileSync(ran, "utf8") : "");
    });

    it("mode bump-only: the release commit also writes each chart's prod deploy file", () => {
        const origin = createApplication(path.join(root, "bump-src"));
        const { results } = release("bump", origin, { mode: "bump-only" });
        for (const r of results) assert.deepEqual(failed(r.runs), []);
        assert.match(
            mainFile(origin, "deploy/prod/monolith.yaml"),
            /targetRevision: "0\.2\.0" # written on main only/,
        );
        assert.match(mainFile(origin, "deploy/prod/monolith-public.yaml"), /targetRevision: "0\.1\.1"/);
    });

    it("a version source the workflow does not release is refused before anything is pushed", async () => {
        const origin = createApplication(path.join(root, "oci-src"));
        const head = gitIn(origin, "rev-parse", "main");
        const { namespace, results } = release("oci", origin, {
            mode: "full",
            inputs: { "version-source": "oci-tag" },
        });
        const [failure] = failed(results[0].runs);
        assert.equal(failure.step, "Release");
        assert.equal(failure.status, 2);
        assert.match(
            failure.stdout,
            /^::error::version-source oci-tag: not one this workflow releases; allowed: chart-yaml$/m,
        );
        assert.equal(gitIn(origin, "rev-parse", "main"), head);
        assert.deepEqual(await registryTags(namespace, "monolith"), []);
    });

    it("a failing chart-release fails the step with its exit code (a missing chart folder, exit 3)", () => {
        const origin = createApplication(path.join(root, "missing-src"));
        const { results } = release("missing", origin, {
            mode: "full",
            inputs: { charts: JSON.stringify([{ chart: "charts/nope", paths: [] }]) },
        });
        const [failure] = failed(results[0].runs);
        assert.equal(failure.step, "Release");
        assert.equal(failure.status, 3, failure.stderr);
        assert.match(failure.stderr, /chart-release: /);
    });

    it("GITHUB_TOKEN reads the repository and writes packages, nothing else (git's push is the App's)", () => {
        assert.deepEqual((job as { permissions?: unknown }).permissions, {
            contents: "read",
            packages: "write",
        });
    });

    it("the App token reaches git in the Release step alone, as a masked header, never in .git/config", () => {
        const steps = job.steps ?? [];
        const holders = steps.filter((s) => JSON.stringify(s).includes("steps.release-app.outputs.token"));
        assert.deepEqual(
            holders.map((s) => s.name),
            ["Release"],
        );
        const release = String(holders[0].run);
        assert.match(release, /echo "::add-mask::\$\{header\}"/);
        assert.match(release, /GIT_CONFIG_KEY_0="http\.\$\{GITHUB_SERVER_URL\}\/\.extraheader"/);
        const install = steps.findIndex((s) => s.name === "Install chart-release");
        // No dependency's install script runs at all, here or in the PR check.
        assert.match(
            String(steps[install]?.run),
            /^npm ci --prefix \.release-pipeline\/chart-release --ignore-scripts /m,
        );
        const token = steps.findIndex((s) => s.id === "release-app");
        assert.ok(install >= 0 && install < token, "chart-release is installed before the token exists");
        for (const checkout of steps.filter((s) => s.uses?.startsWith("actions/checkout@")))
            assert.equal(checkout.with?.["persist-credentials"], false);
    });
});
