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
    const workflow = parse(readFileSync(file, "utf8")) as {
        on: { pull_request: unknown; push: { branches: string[] } };
        jobs: { pr: Job; release: Job };
    };
    const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");

    it("PRs get a dev version and the check-pr policy against the base branch", () => {
        assert.ok("pull_request" in workflow.on);
        const { pr } = workflow.jobs;
        assert.match(pr.if ?? "", /github.event_name == 'pull_request'/);
        assert.match(runs(pr), /chart-release dev/);
        assert.match(runs(pr), /chart-release check-pr --base "origin\/\$\{BASE_REF\}" --head HEAD/);
        assert.equal(pr.steps.find((s) => s.uses === "actions/checkout@v4")?.with?.["fetch-depth"], 0);
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
        assert.equal(release.steps.find((s) => s.uses === "actions/checkout@v4")?.with?.["fetch-depth"], 0);
        const node = release.steps.find((s) => s.uses === "actions/setup-node@v4");
        assert.equal(node?.with?.["node-version"], 22);
    });
});
