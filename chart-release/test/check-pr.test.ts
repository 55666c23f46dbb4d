import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { findVersionEdits, parseUnifiedDiff } from "../src/check-pr";
import { EXIT } from "../src/errors";
import { runCli } from "./helpers/cli";
import { CHART_YAML, createChartRepo, makeTempDir, type GitFixture } from "./helpers/git-fixture";

const APPLICATION = `apiVersion: argoproj.io/v1alpha1
kind: Application
spec:
  source:
    chart: mychart
    targetRevision: 0.0.0
`;

describe("check-pr refuses version edits in a PR (real git)", function () {
    let dir: string;
    let repo: GitFixture;
    before(() => {
        dir = makeTempDir("check-pr");
        repo = createChartRepo(dir);
        repo.write("deploy/application.yaml", APPLICATION);
        repo.write("ops/app.yaml", APPLICATION);
        repo.commitAll("chore: deploy file");
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    let counter = 0;
    /** Make a PR branch off main with `edit` applied, and return its name. */
    function branch(edit: (r: GitFixture) => void): string {
        const name = `pr-${++counter}`;
        repo.git("checkout", "--quiet", "-b", name, "main");
        edit(repo);
        repo.commitAll(`fix: pr ${counter}`);
        repo.git("checkout", "--quiet", "main");
        return name;
    }

    const table = [
        {
            name: "a template change passes",
            edit: (r: GitFixture) => r.write("chart/templates/deployment.yaml", "# changed\n"),
            args: [] as string[],
            code: 0,
            out: /check-pr: ok/,
        },
        {
            name: "a chart version edit fails naming file and line",
            edit: (r: GitFixture) => r.write("chart/Chart.yaml", CHART_YAML.replace('"0.0.0"', '"0.0.1"')),
            args: [],
            code: EXIT.failed,
            out: /chart\/Chart.yaml:7: PR changes the chart `version:`: version: "0.0.1" # keep the quotes/,
        },
        {
            name: "a dependency version edit passes",
            edit: (r: GitFixture) => r.write("chart/Chart.yaml", CHART_YAML.replace("19.0.0", "19.1.0")),
            args: [],
            code: 0,
            out: /check-pr: ok/,
        },
        {
            name: "a targetRevision edit in a deploy file fails",
            edit: (r: GitFixture) =>
                r.write("deploy/application.yaml", APPLICATION.replace("0.0.0", "0.0.1")),
            args: [],
            code: EXIT.failed,
            out: /deploy\/application.yaml:6: PR changes `targetRevision:`: targetRevision: 0.0.1/,
        },
        {
            name: "a targetRevision edit outside the deploy glob passes by default",
            edit: (r: GitFixture) => r.write("ops/app.yaml", APPLICATION.replace("0.0.0", "0.0.1")),
            args: [],
            code: 0,
            out: /check-pr: ok/,
        },
        {
            name: "the deploy glob is configurable",
            edit: (r: GitFixture) => r.write("ops/app.yaml", APPLICATION.replace("0.0.0", "0.0.1")),
            args: ["--deploy", "ops/*.yaml"],
            code: EXIT.failed,
            out: /ops\/app.yaml:6: PR changes `targetRevision:`/,
        },
        {
            name: "a PR that moves the chart folder and changes its version fails (issue 19 item 16)",
            edit: (r: GitFixture) => {
                r.git("mv", "chart", "charts-moved");
                r.write("charts-moved/Chart.yaml", CHART_YAML.replace('"0.0.0"', '"0.0.1"'));
            },
            args: [],
            code: EXIT.failed,
            out: /charts-moved\/Chart.yaml:7: PR changes the chart `version:`: version: "0.0.1" # keep the quotes \(moved from chart\/Chart.yaml, where it was version: "0.0.0" # keep the quotes\)/,
        },
        {
            name: "a PR that moves the chart deeper and sets another version fails too",
            edit: (r: GitFixture) => {
                r.git("mv", "chart", "platform");
                r.write(
                    "platform/Chart.yaml",
                    CHART_YAML.replace('version: "0.0.0" # keep the quotes', "version: 1.0.0"),
                );
            },
            args: [],
            code: EXIT.failed,
            out: /platform\/Chart.yaml:7: PR changes the chart `version:`: version: 1.0.0 \(moved from chart\/Chart.yaml/,
        },
        {
            name: "a PR that only moves the chart folder passes",
            edit: (r: GitFixture) => r.git("mv", "chart", "charts-only-moved"),
            args: [],
            code: 0,
            out: /check-pr: ok/,
        },
        {
            name: "a new chart may carry its initial version",
            edit: (r: GitFixture) => r.write("charts/other/Chart.yaml", "name: other\nversion: 0.1.0\n"),
            args: [],
            code: 0,
            out: /check-pr: ok/,
        },
    ];
    for (const row of table) {
        it(row.name, async () => {
            const head = branch(row.edit);
            const result = await runCli(["check-pr", "--base", "main", "--head", head, ...row.args], dir);
            assert.equal(result.code, row.code, result.stderr);
            assert.match(result.stdout + result.stderr, row.out);
        });
    }

    it("only the PR's own diff counts: a version written on main after the branch point is not the PR's", async () => {
        const head = branch((r) => r.write("chart/values.yaml", "replicaCount: 2\n"));
        repo.write("chart/Chart.yaml", CHART_YAML.replace('"0.0.0"', '"0.1.0"'));
        repo.commitAll("chore(release): mychart 0.1.0");
        const result = await runCli(["check-pr", "--base", "main", "--head", head], dir);
        assert.equal(result.code, 0, result.stderr);
    });

    it("an unknown ref is exit 3 naming the flag", async () => {
        const result = await runCli(["check-pr", "--base", "origin/nope", "--head", "HEAD"], dir);
        assert.equal(result.code, EXIT.invalidInput);
        assert.match(result.stderr, /--base origin\/nope: no such commit/);
    });
});

describe("findVersionEdits on parsed diffs", () => {
    it("reports a removed version line when nothing replaces it, and ignores a moved one", () => {
        const diff = [
            "diff --git a/chart/Chart.yaml b/chart/Chart.yaml",
            "--- a/chart/Chart.yaml",
            "+++ b/chart/Chart.yaml",
            "@@ -3 +2,0 @@",
            "-version: 1.0.0",
            "diff --git a/deploy/a.yaml b/deploy/a.yaml",
            "--- a/deploy/a.yaml",
            "+++ b/deploy/a.yaml",
            "@@ -4 +4 @@",
            "-    targetRevision: 1.0.0",
            "@@ -9,0 +9 @@",
            "+    targetRevision: 1.0.0",
        ].join("\n");
        const edits = findVersionEdits(parseUnifiedDiff(diff), () => true);
        assert.deepEqual(edits, [
            {
                file: "chart/Chart.yaml",
                line: 3,
                change: "removed",
                text: "version: 1.0.0",
                rule: "chart-version",
            },
        ]);
    });
});
