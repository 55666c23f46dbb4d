import assert from "node:assert/strict";
import {
    analyzeCommits,
    computeBump,
    computeCommitBump,
    computeNextVersion,
    loadMessageParser,
    pickHigherBump,
    type Bump,
} from "../src/conventional";

describe("computeCommitBump follows commit-analyzer's rules for the conventionalcommits preset", () => {
    const table: { message: string; major: Bump | null; pre1: Bump | null }[] = [
        { message: "feat: a", major: "minor", pre1: "minor" },
        { message: "fix(chart): a", major: "patch", pre1: "patch" },
        { message: "perf: a", major: "patch", pre1: "patch" },
        { message: "FIX: a", major: "patch", pre1: "patch" },
        { message: "FEAT: a", major: "minor", pre1: "minor" },
        { message: "Feat: a", major: null, pre1: null },
        { message: "docs: a", major: null, pre1: null },
        { message: "chore!: a", major: "major", pre1: "minor" },
        { message: "fix: a\n\nBREAKING CHANGE: b", major: "major", pre1: "minor" },
        { message: "fix: a\n\nBREAKING-CHANGE: b", major: "major", pre1: "minor" },
        {
            message: 'Revert "feat: a"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.',
            major: "patch",
            pre1: "patch",
        },
        { message: "revert: a", major: null, pre1: null },
        { message: "feat:a", major: null, pre1: null },
        { message: "Update README", major: null, pre1: null },
    ];
    for (const row of table) {
        it(JSON.stringify(row.message.split("\n")[0]), async () => {
            const parse = await loadMessageParser();
            assert.equal(computeCommitBump(parse(row.message), "major"), row.major);
            assert.equal(computeCommitBump(parse(row.message), "minor"), row.pre1);
        });
    }
});

describe("bump arithmetic", () => {
    const table: { current: string; bump: Bump | null; next: string | null }[] = [
        { current: "1.2.3", bump: "patch", next: "1.2.4" },
        { current: "1.2.3", bump: "minor", next: "1.3.0" },
        { current: "1.2.3", bump: "major", next: "2.0.0" },
        { current: "0.3.1", bump: "major", next: "1.0.0" },
        { current: "1.2.3", bump: null, next: null },
    ];
    for (const row of table) {
        it(`${row.current} + ${row.bump} = ${row.next}`, () => {
            assert.equal(computeNextVersion(row.current, row.bump), row.next);
        });
    }

    it("pickHigherBump orders patch < minor < major and treats null as nothing", () => {
        assert.equal(pickHigherBump(null, "patch"), "patch");
        assert.equal(pickHigherBump("minor", "patch"), "minor");
        assert.equal(pickHigherBump("minor", "major"), "major");
        assert.equal(pickHigherBump(null, null), null);
    });

    it("a revert cancels the commit it reverts when both are in the list; an empty message is skipped", async () => {
        const feat = { sha: "a".repeat(40), message: "feat: add hpa\n" };
        const revert = {
            sha: "b".repeat(40),
            message: `Revert "feat: add hpa"\n\nThis reverts commit ${feat.sha}.\n`,
        };
        const fix = { sha: "c".repeat(40), message: "fix: probe\n" };
        const empty = { sha: "d".repeat(40), message: "\n" };
        const analyzed = await analyzeCommits([fix, revert, feat, empty], "1.0.0", {
            pre1BreakingBumpsMinor: true,
        });
        assert.deepEqual(
            analyzed.map((c) => c.sha),
            [fix.sha],
        );
        assert.equal(computeBump(analyzed), "patch");
    });
});

describe("parsing is linear in the message's length (issue 19 item 11)", () => {
    const messages = [
        "feat(chart): add a probe\n\nCloses #12, fixes acme/repo#3\n\nBREAKING CHANGE: values moved\nsee https://example.com/x#y",
        "fix: a\n\nBody @someone mentions\n\nRefs: #4\nBREAKING-CHANGE: b\n  more text\nReviewed-by: X",
        'Revert "feat: a"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.',
        "chore!: drop\n\n* BREAKING CHANGE: listed\n\ngpg: signature\n# comment",
        "Merge pull request #7 from a/b\n\nfeat: merged",
    ];

    it("gives exactly the commit object of the unpatched parser", async () => {
        const { CommitParser } = await import("conventional-commits-parser");
        const { default: createPreset } = await import("conventional-changelog-conventionalcommits");
        const plain = new CommitParser({
            ...createPreset().parser,
            issuePrefixes: undefined,
            referenceActions: undefined,
        });
        const parse = await loadMessageParser();
        for (const message of messages) assert.deepEqual(parse(message), plain.parse(message), message);
    });

    const shapes: [string, (n: number) => string][] = [
        ["a feat subject", (n) => `feat: ${"a".repeat(n)}`],
        ["a subject without a type", (n) => "a".repeat(n)],
        ["an unclosed scope", (n) => `feat(${"x".repeat(n)}`],
        ["words", (n) => "a ".repeat(n / 2)],
        ["a body line", (n) => `fix: x\n\n${"b".repeat(n)}`],
        ["a BREAKING CHANGE note", (n) => `fix: x\n\nBREAKING CHANGE: ${"c".repeat(n)}`],
    ];
    for (const [name, build] of shapes) {
        it(`${name} of 200,000 characters parses in well under a second`, async () => {
            const parse = await loadMessageParser();
            parse(build(1000)); // warm up
            const started = performance.now();
            const result = await analyzeCommits([{ sha: "a".repeat(40), message: build(200_000) }], "0.1.0", {
                pre1BreakingBumpsMinor: true,
            });
            const elapsed = performance.now() - started;
            assert.equal(result.length, 1);
            assert.ok(elapsed < 500, `took ${Math.round(elapsed)} ms`);
        });
    }
});
