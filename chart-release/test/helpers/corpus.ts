import { readFileSync } from "node:fs";
import path from "node:path";
import { commitVersion, createChartRepo, type GitFixture } from "./git-fixture";

export interface CorpusStep {
    msg?: string;
    msgTpl?: string;
    paths?: string[];
    id?: string;
    empty?: boolean;
    revert?: string;
    tag?: string;
    branch?: string;
    steps?: CorpusStep[];
    mainSteps?: CorpusStep[];
    merge?: string;
}

export interface CorpusCase {
    id: string;
    note?: string;
    startVersion: string | null;
    startTags: string[];
    before?: CorpusStep[];
    steps: CorpusStep[];
    expected: {
        conventionalcommits: string | null;
        pre1BreakingBumpsMinor: string | null;
        unfilteredConventionalcommits: string | null;
    };
    releasePlease: { default: string | null; bumpMinorPreMajor: string | null };
    disagreements: string[];
}

export function loadCorpus(): CorpusCase[] {
    const file = path.join(__dirname, "..", "fixtures", "cases.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { cases: CorpusCase[] }).cases;
}

function applyStep(repo: GitFixture, step: CorpusStep): void {
    if (step.revert !== undefined) {
        const sha = repo.shas.get(step.revert);
        if (!sha) throw new Error(`unknown step id ${step.revert}`);
        repo.revert(sha);
    } else if (step.tag !== undefined) {
        repo.git("tag", step.tag);
    } else if (step.branch !== undefined) {
        repo.git("checkout", "--quiet", "-b", step.branch);
        for (const inner of step.steps ?? []) applyStep(repo, inner);
        repo.git("checkout", "--quiet", "main");
        for (const inner of step.mainSteps ?? []) applyStep(repo, inner);
        repo.merge(step.branch, step.merge ?? `Merge branch '${step.branch}'`);
    } else {
        const message =
            step.msgTpl !== undefined
                ? step.msgTpl.replace(/\{\{sha:(\w+)\}\}/g, (_, id: string) => repo.shas.get(id) ?? "")
                : (step.msg ?? "");
        repo.commit(message, step.empty ? [] : (step.paths ?? []), step.id);
    }
}

/**
 * Replay a corpus case. Where the harness placed the start tags, a release commit writes the start version
 * into Chart.yaml, so both ways of finding "the last release" (that commit, or `--since <tag>`) apply.
 */
export function replayCase(dir: string, testCase: CorpusCase, mark: "plain" | "tagged"): GitFixture {
    if (testCase.startVersion === null) throw new Error(`${testCase.id} has no start version`);
    const repo = createChartRepo(dir);
    for (const step of testCase.before ?? []) applyStep(repo, step);
    commitVersion(repo, testCase.startVersion, mark);
    for (const tag of testCase.startTags) repo.git("tag", tag);
    for (const step of testCase.steps) applyStep(repo, step);
    return repo;
}
