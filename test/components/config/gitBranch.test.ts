/**
 * Branch names against the real `git check-ref-format --branch`, run outside any repository (so `@{-N}`
 * cannot be expanded): the stack accepts a name only if git does, and refuses two names git takes but
 * Kargo would misread.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeBranchProblem } from "../../../components/config/checks/gitBranch";

const outsideAnyRepo = mkdtempSync(join(tmpdir(), "no-repo-"));

function gitAccepts(name: string): boolean {
    const r = spawnSync("git", ["check-ref-format", "--branch", name], {
        cwd: outsideAnyRepo,
        env: { ...process.env, GIT_CEILING_DIRECTORIES: tmpdir() },
    });
    return r.status === 0;
}

/** Names git takes that the stack refuses on purpose: `@` (HEAD) and full ref names. */
const STRICTER = new Map<string, string>([
    ["@", "is '@', git's shorthand for HEAD"],
    ["refs/heads/main", "starts with refs/ (write the short branch name, e.g. main)"],
]);

const NAMES = [
    // valid
    "main",
    "release/1.x",
    "feature/new-ui",
    "a.b",
    "x.lock.y",
    "a@b",
    "@x",
    "a/-b",
    "HEAD/x",
    "ä",
    "v1.2.3",
    // invalid for git
    "",
    "-main",
    "-",
    "HEAD",
    "a..b",
    ".hidden",
    "a/.b",
    "a.lock",
    "a/b.lock",
    "a.lock/b",
    "a/.lock",
    "a.",
    "a/",
    "/a",
    "a//b",
    "a b",
    "a\tb",
    "a~b",
    "a^b",
    "a:b",
    "a?b",
    "a*b",
    "a[b",
    "a\\b",
    "a@{b",
    "@{-1}",
    "a\x7fb",
    // git accepts, the stack refuses
    ...STRICTER.keys(),
];

describe("config values: git branch names (git check-ref-format --branch)", () => {
    for (const name of NAMES) {
        const git = gitAccepts(name);
        const stricter = STRICTER.get(name);
        it(`${git && !stricter ? "accepts" : "refuses"} ${JSON.stringify(name)} as git ${git ? "does" : "does not"}${stricter ? " (stricter on purpose)" : ""}`, () => {
            const problem = describeBranchProblem(name);
            if (stricter) {
                assert.equal(git, true, "git itself should accept this name");
                assert.match(
                    problem ?? "",
                    new RegExp(`it ${stricter.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
                );
            } else {
                assert.equal(problem === undefined, git, problem ?? "accepted, but git refuses it");
            }
        });
    }

    it("names every rule a name breaks, in one line", () =>
        assert.equal(
            describeBranchProblem("-a..b.lock"),
            "is not a valid git branch name: it starts with '-', contains '..', has a path component ending with .lock (git check-ref-format --branch); allowed: e.g. main or release/1.x",
        ));
});
