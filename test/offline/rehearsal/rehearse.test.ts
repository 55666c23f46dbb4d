import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { rehearse, type RehearsalReport } from "../../../offline/rehearsal/rehearse";
import { renderJson, renderText } from "../../../offline/rehearsal/render";
import { argoApp, asInput, buildFixture, CHARTS, find, ociURL, stepsOf, type Fixture } from "./fixture";

const LAYOUTS = [
    { layout: "per-chart", devCharts: ["monolith-public"] },
    { layout: "per-chart", devCharts: ["monolith", "monolith-public"] },
    { layout: "shared", devCharts: ["monolith", "monolith-public"] },
] as const;

function only(report: RehearsalReport) {
    assert.equal(report.findings.length, 1, renderText(report));
    return report.findings[0];
}

describe("rehearsal: a clean stack", () => {
    for (const opts of LAYOUTS) {
        it(`${opts.layout} Warehouses, dev runs ${opts.devCharts.join(" + ")}: every offered promotion succeeds`, () => {
            const report = rehearse(asInput(buildFixture(opts)));
            assert.deepEqual(report.findings, [], renderText(report));
            const dev = report.stages.find((s) => s.name === "dev");
            const prod = report.stages.find((s) => s.name === "prod");
            const devCharts = dev?.promotions.flatMap((p) =>
                p.pushes.flatMap((x) => x.show.match(/deploy\/dev\/[a-z-]+\.yaml/g) ?? []),
            );
            assert.deepEqual(
                [...new Set(devCharts)].sort(),
                opts.devCharts.map((c) => `deploy/dev/${c}.yaml`).sort(),
            );
            // prod takes only what dev verified: with dev on monolith-public alone, monolith needs an approval.
            const unverified = CHARTS.map((c) => c.name).filter(
                (c) => !(opts.devCharts as readonly string[]).includes(c),
            );
            if (opts.layout === "per-chart") assert.equal(prod?.notPromoted.length, unverified.length);
            assert.ok(prod?.promotions.every((p) => p.phase === "Succeeded"));
        });
    }

    it("commits the new version into the deploy file, keeping the file's comment, with the task's author", () => {
        const report = rehearse({
            ...asInput(buildFixture(LAYOUTS[0])),
            freight: new Map([["monolith-public", "0.43.1"]]),
        });
        const show = report.stages[0].promotions[0].pushes[0].show;
        assert.match(show, /Author: Kargo <kargo@example.com>/);
        assert.match(show, /-    targetRevision: 0\.41\.0\n\+    targetRevision: 0\.43\.1/);
        assert.doesNotMatch(show, /Audit record/); // unchanged context line above the hunk is not in the diff
        assert.match(renderText(report), /rehearsal passed/);
        assert.equal(JSON.parse(renderJson(report)).ok, true);
    });

    it("per-chart prod: each chart's task runs only for its own Freight (the other task's steps are skipped)", () => {
        const report = rehearse(asInput(buildFixture(LAYOUTS[1])));
        const prod = report.stages.find((s) => s.name === "prod");
        const first = prod?.promotions[0];
        const skipped = first?.records
            .filter((r) => r.status === "Skipped")
            .map((r) => r.alias.split("::")[0]);
        assert.deepEqual([...new Set(skipped)], ["promote_monolith_public"]);
    });
});

describe("rehearsal: what a real promotion would trip on (step + reason)", () => {
    const perChart = () => buildFixture(LAYOUTS[1]);

    it("a shared Warehouse, dev runs monolith-public only: prod takes monolith as verified though dev never ran it", () => {
        const report = rehearse(asInput(buildFixture({ layout: "shared", devCharts: ["monolith-public"] })));
        const finding = only(report);
        assert.equal(finding.stage, "prod");
        assert.equal(finding.step, "(requestedFreight[0])");
        assert.match(
            finding.reason,
            /^takes Freight of Warehouse \S+ verified in Stage dev, which never deploys oci:\/\/\S+\/monolith \(no chartFrom\(\) of it in its promotion\): Kargo marks the whole Freight verified \(regular_stages\.go markFreightVerifiedForStage/,
        );
    });

    it("a nil chartFrom() for a chart the Freight does not carry: .Version on nil errors", () => {
        const f = perChart();
        for (const step of stepsOf(f, "PromotionTask", "promote-monolith-public")) delete step.if;
        const finding = only(rehearse(asInput(f)));
        assert.equal(finding.stage, "dev");
        assert.equal(finding.step, "promote_monolith_public::update");
        assert.match(
            finding.reason,
            /cannot fetch Version from nil .*chartFrom\("oci:\/\/ghcr\.io\/acme\/charts\/monolith-public"\)/,
        );
    });

    it("a missing deploy file", () => {
        const f = perChart();
        f.resources = f.resources.filter((r) => r.inputs.file !== "deploy/dev/monolith.yaml");
        const finding = only(rehearse(asInput(f)));
        assert.equal(finding.step, "promote_monolith::update");
        assert.match(
            finding.reason,
            /error reading file .*deploy\/dev\/monolith\.yaml.*no such file or directory/,
        );
    });

    it("a missing key in the deploy file", () => {
        const f = perChart();
        const file = f.resources.find((r) => r.inputs.file === "deploy/dev/monolith.yaml");
        assert.ok(file);
        file.inputs.content = stringify({ spec: { source: { chart: "monolith" } } });
        const finding = only(rehearse(asInput(f)));
        assert.equal(finding.step, "promote_monolith::update");
        assert.match(finding.reason, /error finding key spec\.source\.targetRevision: key path not found/);
    });

    it("an argocd-update source that does not match the Application's repoURL/chart", () => {
        const f = perChart();
        const argo = argoApp(stepsOf(f, "PromotionTask", "promote-monolith")[4]);
        argo.sources[0] = {
            ...argo.sources[0],
            repoURL: ociURL("monolith"),
            chart: undefined,
        };
        delete argo.sources[0].chart;
        const finding = only(rehearse(asInput(f)));
        assert.equal(finding.step, "promote_monolith::step-5");
        assert.match(
            finding.reason,
            /no source of Argo CD Application "monolith-dev" .* matched update for source with repoURL oci:\/\/ghcr\.io\/acme\/charts\/monolith/,
        );
    });

    it("a native oci:// Application source: a version desiredRevision never converges", () => {
        const f = perChart();
        const app = find(f, "Application", "monolith-dev");
        if (!app.spec) throw new Error("fixture Application monolith-dev has no spec");
        app.spec.source = { repoURL: ociURL("monolith"), path: ".", targetRevision: "0.182.3" };
        const argo = argoApp(stepsOf(f, "PromotionTask", "promote-monolith")[4]);
        argo.sources[0] = {
            repoURL: ociURL("monolith"),
            desiredRevision: '${{ chartFrom("oci://ghcr.io/acme/charts/monolith").Version }}',
            updateTargetRevision: true,
        };
        const finding = only(rehearse(asInput(f)));
        assert.equal(finding.step, "promote_monolith::step-5");
        assert.match(finding.reason, /never converges .*util\/oci\/client\.go.*mustPerformUpdate/);
    });

    it("a missing authorized-stage annotation", () => {
        const f = perChart();
        delete find(f, "Application", "monolith-public-dev").metadata.annotations;
        const finding = only(rehearse(asInput(f)));
        assert.equal(finding.step, "promote_monolith_public::step-5");
        assert.match(
            finding.reason,
            /does not permit mutation by Kargo Stage dev in namespace shop \(annotation kargo\.akuity\.io\/authorized-stage missing\)/,
        );
    });

    it("an unknown expression function is refused, not guessed", () => {
        const f = perChart();
        stepsOf(f, "PromotionTask", "promote-monolith")[2].config = {
            ...stepsOf(f, "PromotionTask", "promote-monolith")[2].config,
            message: '${{ chartVersion("monolith") }}',
        };
        const finding = only(rehearse(asInput(f)));
        assert.equal(finding.step, "promote_monolith::commit");
        assert.match(finding.reason, /refused by the rehearsal: .*unknown function chartVersion\(\)/);
    });

    it("a Stage step with task + if: Kargo's Stage webhook refuses the Stage, nothing is promoted", () => {
        const f = perChart();
        stepsOf(f, "Stage", "dev")[0].if = '${{ ctx.targetFreight.origin.name == "monolith" }}';
        const report = rehearse(asInput(f));
        const finding = report.findings[0];
        assert.equal(finding.stage, "dev");
        assert.equal(finding.step, "spec.promotionTemplate.spec.steps[0] (promote_monolith)");
        assert.match(
            finding.reason,
            /PromotionTemplate step referencing a task cannot have an 'if' condition/,
        );
        assert.deepEqual(report.stages[0].promotions, []);
    });

    it("--freight: a version outside the Warehouse's semverConstraint is rejected before anything runs", () => {
        assert.throws(
            () => rehearse({ ...asInput(perChart()), freight: new Map([["monolith", "1.0.0"]]) }),
            /monolith=1\.0\.0 does not satisfy the Warehouse monolith constraint ">=0\.182\.0 <1\.0\.0"/,
        );
    });
});

describe("rehearsal against --gitops DIR", () => {
    let dir = "";
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "gitops-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function seedUserRepo(f: Fixture, skip: string[] = []): string {
        const git = (...args: string[]) =>
            execFileSync("git", args, {
                cwd: dir,
                encoding: "utf8",
                env: {
                    ...process.env,
                    GIT_AUTHOR_NAME: "u",
                    GIT_AUTHOR_EMAIL: "u@x",
                    GIT_COMMITTER_NAME: "u",
                    GIT_COMMITTER_EMAIL: "u@x",
                },
            });
        git("init", "-q", "--initial-branch=main");
        for (const { inputs } of f.resources) {
            if (!inputs.file || skip.includes(inputs.file)) continue;
            mkdirSync(join(dir, inputs.file, ".."), { recursive: true });
            writeFileSync(join(dir, inputs.file), inputs.content ?? "");
        }
        git("add", "-A");
        git("commit", "-qm", "user's repo");
        return git("rev-parse", "HEAD").trim();
    }

    it("rehearses on a copy and never pushes to the user's repository", () => {
        const f = buildFixture(LAYOUTS[1]);
        const head = seedUserRepo(f);
        const report = rehearse({ ...asInput(f), gitops: dir });
        assert.deepEqual(report.findings, [], renderText(report));
        assert.equal(report.remote.kind, "gitops");
        assert.equal(execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim(), head);
        assert.equal(execFileSync("git", ["status", "--porcelain"], { cwd: dir, encoding: "utf8" }), "");
    });

    it("reports a deploy file the user's repository lacks", () => {
        const f = buildFixture(LAYOUTS[1]);
        seedUserRepo(f, ["deploy/prod/monolith.yaml"]);
        const finding = only(rehearse({ ...asInput(f), gitops: dir }));
        assert.equal(finding.stage, "prod");
        assert.equal(finding.step, "promote_monolith::update");
    });
});
