import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
}
interface Job {
    if?: string;
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
            /chart-release release --registry "oci:\/\/ghcr.io\/\$\{OWNER,,\}\/charts" --push/,
        );
        assert.deepEqual(release.concurrency, { group: "chart-release-main", "cancel-in-progress": false });
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

    it("pins every action by full commit sha, with the release in a comment", () => {
        const uses = text.split("\n").filter((line) => /^\s*-?\s*uses:/.test(line));
        assert.ok(uses.length >= 4);
        for (const line of uses) {
            assert.match(line, /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, line);
        }
    });
});
