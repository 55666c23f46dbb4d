import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { buildDist, LAUNCHER } from "./helpers/cli";
import { makeTempDir } from "./helpers/git-fixture";

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    env?: Record<string, string>;
    with?: Record<string, unknown>;
}
interface Job {
    if?: string;
    env?: Record<string, string>;
    strategy?: { matrix: { include: { chart: string; "deploy-files": string }[] } };
    concurrency?: { group: string; "cancel-in-progress": boolean };
    permissions?: Record<string, string>;
    steps: Step[];
}

const file = path.join(__dirname, "..", "..", ".github", "workflows", "chart-release.yml");

describe("the chart-release workflow wires the CLI as ADR 009 says", () => {
    const text = readFileSync(file, "utf8");
    const workflow = parse(text) as {
        on: { pull_request: unknown; push: { branches: string[] } };
        jobs: { pr: Job; release: Job };
    };
    const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");
    const action = (job: Job, name: string) => job.steps.find((s) => s.uses?.startsWith(`${name}@`));

    it("PRs get a dev version and the check-pr policy against the base branch", () => {
        assert.ok("pull_request" in workflow.on);
        const { pr } = workflow.jobs;
        assert.match(pr.if ?? "", /github.event_name == 'pull_request'/);
        assert.match(runs(pr), /chart-release dev/);
        assert.match(runs(pr), /chart-release check-pr --base "origin\/\$\{BASE_REF\}" --head HEAD/);
        assert.equal(action(pr, "actions/checkout")?.with?.["fetch-depth"], 0);
    });

    it("main releases one job at a time, with write permissions, full history, and skips its own commit", () => {
        assert.deepEqual(workflow.on.push.branches, ["main"]);
        const { release } = workflow.jobs;
        assert.match(
            runs(release),
            /chart-release release --chart "\$CHART" --registry "oci:\/\/ghcr.io\/\$\{OWNER,,\}\/charts" --push --resume/,
        );
        assert.deepEqual(release.concurrency, {
            group: "chart-release-main-${{ matrix.chart }}",
            "cancel-in-progress": false,
        });
        assert.deepEqual(release.permissions, { contents: "write", packages: "write" });
        assert.match(
            release.if ?? "",
            /!startsWith\(github.event.head_commit.message, 'chore\(release\): '\)/,
        );
        assert.equal(action(release, "actions/checkout")?.with?.["fetch-depth"], 0);
        assert.equal(action(release, "actions/setup-node")?.with?.["node-version"], 22);
    });

    it("installs chart-release alone, cached on its own lock file, never the stack", () => {
        for (const job of [workflow.jobs.pr, workflow.jobs.release]) {
            assert.match(runs(job), /^npm ci --prefix chart-release\b/m);
            assert.doesNotMatch(runs(job), /^npm (ci|install)(?! --prefix chart-release)/m);
            const node = action(job, "actions/setup-node");
            assert.equal(node?.with?.cache, "npm");
            assert.equal(node?.with?.["cache-dependency-path"], "chart-release/package-lock.json");
        }
    });

    it("pins every action by full commit sha, with the release in a comment, the same pin in both jobs", () => {
        const uses = text.split("\n").filter((line) => /^\s*-?\s*uses:/.test(line));
        assert.ok(uses.length >= 4);
        for (const line of uses) {
            assert.match(line, /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, line);
        }
        for (const name of ["actions/checkout", "actions/setup-node"]) {
            assert.equal(
                action(workflow.jobs.pr, name)?.uses,
                action(workflow.jobs.release, name)?.uses,
                name,
            );
        }
    });
});

/**
 * The Release step's script, run as GitHub runs it (bash -eo pipefail) in a folder holding a Pulumi.prod.yaml,
 * with `chart-release` on PATH: the real bin for `mode`, a stub that records its arguments for `release`.
 */
describe("the release step reads the stack's mode and passes --deploy-file only in bump-only", function () {
    this.timeout(60_000);
    const workflow = parse(readFileSync(file, "utf8")) as {
        env: Record<string, string>;
        jobs: { release: Job };
    };
    const step = workflow.jobs.release.steps.find((s) => s.name === "Release");
    let root: string;
    before(() => {
        buildDist();
        root = makeTempDir("workflow");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    const stack = (mode: string | null) =>
        `config:\n  release-pipeline:pipeline:\n${mode === null ? "" : `    mode: ${mode}\n`}    project: monolith-release\n`;

    const rows0 = workflow.jobs.release.strategy?.matrix.include[0] ?? { chart: "", "deploy-files": "" };

    /** Run the step in `dir`; the arguments `chart-release release` got, or null when it never ran. */
    function runStep(dir: string, env: Record<string, string>) {
        const bin = path.join(dir, ".bin");
        mkdirSync(bin, { recursive: true });
        const recorded = path.join(dir, "release-args");
        writeFileSync(
            path.join(bin, "chart-release"),
            `#!/usr/bin/env bash\nif [ "$1" = mode ]; then exec "${process.execPath}" "${LAUNCHER}" "$@"; fi\n` +
                `printf '%s\\n' "$@" > "${recorded}"\n`,
        );
        chmodSync(path.join(bin, "chart-release"), 0o755);
        const script = path.join(dir, "release-step.sh");
        writeFileSync(script, step?.run ?? "");
        const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
            cwd: dir,
            encoding: "utf8",
            env: {
                ...process.env,
                // The first matrix row, as the job's env resolves it.
                CHART: rows0.chart,
                DEPLOY_FILES: rows0["deploy-files"],
                OWNER: "Acme",
                ...env,
                PATH: `${bin}:${process.env.PATH}`,
            },
        });
        let args: string[] | null = null;
        try {
            args = readFileSync(recorded, "utf8").trimEnd().split("\n");
        } catch {
            args = null;
        }
        return { status: result.status, stderr: result.stderr, args };
    }

    const release = [
        "release",
        "--chart",
        "chart",
        "--registry",
        "oci://ghcr.io/acme/charts",
        "--push",
        "--resume",
    ];
    const always = [...release, "--stack-config", "Pulumi.prod.yaml"];
    const rows: {
        name: string;
        stack: string | null;
        env?: Record<string, string>;
        status: number;
        args: string[] | null;
    }[] = [
        {
            name: "bump-only: one --deploy-file per DEPLOY_FILES entry",
            stack: stack("bump-only"),
            status: 0,
            args: [...always, "--deploy-file", "deploy/prod/monolith.yaml"],
        },
        {
            name: "bump-only with two deploy files",
            stack: stack("bump-only"),
            env: { DEPLOY_FILES: "deploy/prod/monolith.yaml  deploy/prod/public.yaml" },
            status: 0,
            args: [
                ...always,
                "--deploy-file",
                "deploy/prod/monolith.yaml",
                "--deploy-file",
                "deploy/prod/public.yaml",
            ],
        },
        { name: "prod-only: none", stack: stack("prod-only"), status: 0, args: always },
        { name: "full: none", stack: stack("full"), status: 0, args: always },
        { name: "mode absent (default full): none", stack: stack(null), status: 0, args: always },
        {
            name: "a bad mode stops the step before release (exit 3)",
            stack: stack("bumponly"),
            status: 3,
            args: null,
        },
        { name: "no stack file stops the step before release (exit 3)", stack: null, status: 3, args: null },
    ];
    for (const [i, row] of rows.entries()) {
        it(row.name, () => {
            assert.ok(step?.run, "the release job has a Release step");
            const dir = path.join(root, String(i));
            mkdirSync(dir);
            if (row.stack !== null) writeFileSync(path.join(dir, "Pulumi.prod.yaml"), row.stack);
            const result = runStep(dir, row.env ?? {});
            assert.equal(result.status, row.status, result.stderr);
            assert.deepEqual(result.args, row.args);
        });
    }

    it("the shipped Pulumi.prod.yaml: as its mode says", () => {
        const shipped = readFileSync(path.join(__dirname, "..", "..", "Pulumi.prod.yaml"), "utf8");
        const dir = path.join(root, "shipped");
        mkdirSync(dir);
        writeFileSync(path.join(dir, "Pulumi.prod.yaml"), shipped);
        const result = runStep(dir, {});
        assert.equal(result.status, 0, result.stderr);
        const bumpOnly = /^\s+mode: bump-only\b/m.test(shipped);
        assert.deepEqual(
            result.args,
            bumpOnly ? [...always, "--deploy-file", "deploy/prod/monolith.yaml"] : always,
        );
    });

    it("each matrix row names its chart folder and its deploy files, and the job passes both on", () => {
        const { release: job } = workflow.jobs;
        assert.deepEqual(job.env, {
            CHART: "${{ matrix.chart }}",
            DEPLOY_FILES: "${{ matrix.deploy-files }}",
        });
        const rows = job.strategy?.matrix.include ?? [];
        assert.ok(rows.length > 0);
        for (const row of rows) {
            assert.match(row.chart, /^[\w.-]+(\/[\w.-]+)*$/, "a repository-relative folder");
            for (const f of row["deploy-files"].split(/\s+/)) assert.match(f, /\.ya?ml$/, f);
        }
    });
});
