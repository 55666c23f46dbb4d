import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { computeNext } from "../src/next";
import { loadCorpus, replayCase } from "./helpers/corpus";
import { makeTempDir } from "./helpers/git-fixture";

// Histories with the next version measured by semantic-release(-monorepo); see fixtures/cases.json.
const cases = loadCorpus();
// A null start version exercises semantic-release's first-release rule (1.0.0 from the whole history).
// chart-release always starts from the version in Chart.yaml, so those cases do not apply (see README).
const applicable = cases.filter((c) => c.startVersion !== null);

describe("corpus: next version agrees with semantic-release-monorepo (conventionalcommits preset)", function () {
    let root: string;
    before(() => {
        root = makeTempDir("corpus");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it("uses every case that has a start version", () => {
        assert.equal(cases.length, 44);
        assert.deepEqual(
            cases.filter((c) => c.startVersion === null).map((c) => c.id),
            ["tag-without-v-prefix", "only-prerelease-tag-exists"],
        );
    });

    for (const testCase of applicable) {
        it(`${testCase.id}: ${testCase.expected.conventionalcommits ?? "no release"}`, async () => {
            const startTag = testCase.startTags.find((t) => t.startsWith("v"));
            // A tagged release commit (as chart-release leaves it) is found by its tag, a plain one by the
            // `-G` search for the version line; `--since <tag>` skips both.
            for (const mark of ["tagged", "plain"] as const) {
                const dir = `${root}/${testCase.id}-${mark}`;
                replayCase(dir, testCase, mark);
                const variants = [
                    { since: undefined, pre1: false, want: testCase.expected.conventionalcommits },
                    { since: undefined, pre1: true, want: testCase.expected.pre1BreakingBumpsMinor },
                    ...(mark === "tagged"
                        ? []
                        : [
                              { since: startTag, pre1: false, want: testCase.expected.conventionalcommits },
                              { since: startTag, pre1: true, want: testCase.expected.pre1BreakingBumpsMinor },
                          ]),
                ];
                for (const variant of variants) {
                    const result = await computeNext({
                        repo: dir,
                        chart: "chart",
                        paths: [],
                        since: variant.since,
                        pre1BreakingBumpsMinor: variant.pre1,
                    });
                    assert.equal(result.current, testCase.startVersion);
                    assert.equal(
                        result.next,
                        variant.want,
                        `mark=${mark} since=${variant.since ?? "(last version change)"} pre1=${variant.pre1}`,
                    );
                }
            }
        });
    }
});
