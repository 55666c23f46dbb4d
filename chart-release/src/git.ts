import { execFile } from "node:child_process";
import type { Writable } from "node:stream";
import { ChartReleaseError, EXIT } from "./errors";
import type { RawCommit } from "./conventional";

/** A git command that exited non-zero; stderr is kept so callers can tell a lost race from other failures. */
export class GitError extends Error {
    constructor(
        readonly args: readonly string[],
        readonly stderr: string,
        readonly code: number | null,
    ) {
        super(`git ${args.join(" ")} failed (exit ${code}): ${stderr.trim()}`);
        this.name = "GitError";
    }
}

export interface GitOptions {
    input?: string;
    env?: NodeJS.ProcessEnv;
}

/** Run git in `repo` and return stdout. Large buffers: a 10,000-commit log is several megabytes. */
export function runGit(repo: string, args: readonly string[], options: GitOptions = {}): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = execFile(
            "git",
            ["-C", repo, ...args],
            { maxBuffer: 1024 * 1024 * 1024, env: options.env ?? process.env, encoding: "utf8" },
            (error, stdout, stderr) => {
                if (error) {
                    const code = typeof error.code === "number" ? error.code : null;
                    // Keep stdout too: `git push --porcelain` reports rejected refs there.
                    reject(
                        new GitError(
                            args,
                            [stdout, stderr || error.message].filter(Boolean).join("\n"),
                            code,
                        ),
                    );
                } else {
                    resolve(stdout);
                }
            },
        );
        writeInput(child.stdin, options.input);
    });
}

/**
 * Hand `input` to git's stdin. git may exit before reading it (a bad `-C` directory, an early fatal error);
 * writing then fails with EPIPE, an error event on the pipe that, unhandled, kills Node with a stack trace.
 * The exit status and stderr already say what went wrong, so a failed write of the input is dropped here.
 */
function writeInput(stdin: Writable | null, input: string | undefined): void {
    if (stdin === null) return;
    stdin.on("error", () => undefined);
    if (input !== undefined) stdin.end(input);
}

/** Resolve a ref to a full commit sha, or fail naming the flag it came from. */
export async function resolveCommit(repo: string, ref: string, flag: string): Promise<string> {
    try {
        return (await runGit(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim();
    } catch (error) {
        // `--verify --quiet` answers "no such commit" with a bare exit 1; anything else (no repository, a
        // broken object store) is reported for what it is.
        if (!(error instanceof GitError && error.code === 1)) {
            await assertGitRepo(repo);
            throw error;
        }
        throw new ChartReleaseError(`${flag} ${ref}: no such commit in ${repo}`, EXIT.invalidInput);
    }
}

/** HEAD's sha; when there is none, say whether `repo` is no repository at all or one without commits. */
export async function resolveHead(repo: string): Promise<string> {
    try {
        return (await runGit(repo, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])).trim();
    } catch (error) {
        await assertGitRepo(repo);
        if (!(error instanceof GitError && error.code === 1)) throw error;
        throw new ChartReleaseError(`--repo ${repo}: the repository has no commits`, EXIT.invalidInput);
    }
}

/** Fail early, and clearly, when `repo` is not a git work tree. */
export async function assertGitRepo(repo: string): Promise<void> {
    try {
        await runGit(repo, ["rev-parse", "--is-inside-work-tree"]);
    } catch (error) {
        const detail = error instanceof GitError ? error.stderr.trim() : String(error);
        throw new ChartReleaseError(`--repo ${repo}: not a git work tree (${detail})`, EXIT.invalidInput);
    }
}

/**
 * The newest commit up to `rev` that added or removed a top-level `version:` line in the chart's Chart.yaml:
 * the ADR's "last release" heuristic, used only for a chart chart-release never released (adoption). `-G`
 * lets git do the search in one pass instead of one diff per commit.
 */
export async function findLastVersionChange(
    repo: string,
    chartYamlPath: string,
    rev = "HEAD",
): Promise<string | null> {
    const out = await runGit(repo, [
        "log",
        "-1",
        "--format=%H",
        "-G",
        "^version[[:space:]]*:",
        rev,
        "--",
        chartYamlPath,
    ]);
    return out.trim() || null;
}

/**
 * How `sha` brought `file` into being, with rename detection over the whole commit (a path-limited diff
 * cannot see a rename's other side): `added` (a new chart), `renamed` from another path, or `modified`.
 */
export async function describeFileChange(
    repo: string,
    sha: string,
    file: string,
): Promise<{ kind: "added" | "modified" } | { kind: "renamed"; from: string }> {
    const out = await runGit(repo, [
        "diff-tree",
        "-z",
        "--no-commit-id",
        "--root",
        "-r",
        "-M",
        "--name-status",
        sha,
    ]);
    const fields = out.split("\0");
    for (let i = 0; i < fields.length - 1;) {
        const status = fields[i];
        if (/^[RC]/.test(status)) {
            const [from, to] = [fields[i + 1], fields[i + 2]];
            if (to === file && status.startsWith("R")) return { kind: "renamed", from };
            if (to === file) return { kind: "added" };
            i += 3;
        } else {
            if (fields[i + 1] === file) return { kind: status === "A" ? "added" : "modified" };
            i += 2;
        }
    }
    return { kind: "modified" };
}

/**
 * Every rename of a Chart.yaml in `range`, as [from, to] paths: the chart folders a chart had since its last
 * release, so that a renamed folder's earlier commits still count (a rename is no version change).
 */
export async function listChartYamlRenames(repo: string, range: string): Promise<[string, string][]> {
    const out = await runGit(repo, [
        "log",
        "-z",
        "-M",
        "--diff-filter=R",
        "--name-status",
        "--format=",
        range,
        "--",
        ":(glob)**/Chart.yaml",
    ]);
    const fields = out.split("\0").map((field) => field.replace(/^\n+/, ""));
    const renames: [string, string][] = [];
    for (let i = 0; i < fields.length - 2; i++) {
        if (/^R\d*$/.test(fields[i])) {
            renames.push([fields[i + 1], fields[i + 2]]);
            i += 2;
        }
    }
    return renames;
}

/** The Chart.yaml files commit `sha` changed (a release commit changes exactly its chart's). */
export async function listChangedChartYamls(repo: string, sha: string): Promise<string[]> {
    const out = await runGit(repo, [
        "diff-tree",
        "-z",
        "--no-commit-id",
        "--root",
        "-r",
        "--name-only",
        sha,
        "--",
        ":(glob)**/Chart.yaml",
    ]);
    return out.split("\0").filter((name) => name !== "");
}

/** Pathspecs for the chart folder (literal), the extra `--path` globs and folders the chart had before. */
export function buildPathspecs(
    chartDir: string,
    globs: readonly string[],
    formerDirs: readonly string[] = [],
): string[] {
    return [
        `:(literal)${chartDir}`,
        ...formerDirs.map((dir) => `:(literal)${dir}`),
        ...globs.map((glob) => `:(glob)${glob}`),
    ];
}

/**
 * Commits in `range` that changed a file under `pathspecs`, newest first, in one `git log` pass.
 * `--no-merges` and `--full-history` reproduce semantic-release-monorepo's rule: a commit counts when its own
 * diff touches the paths (merges never count), with no history simplification hiding side-branch commits.
 */
export async function readCommits(
    repo: string,
    range: string,
    pathspecs: readonly string[],
): Promise<RawCommit[]> {
    const out = await runGit(repo, [
        "log",
        "-z",
        "--no-merges",
        "--full-history",
        "--format=%H%x1f%B",
        range,
        "--",
        ...pathspecs,
    ]);
    return out
        .split("\0")
        .filter((entry) => entry !== "")
        .map((entry) => {
            const cut = entry.indexOf("\x1f");
            return { sha: entry.slice(0, cut), message: entry.slice(cut + 1) };
        });
}

/** Run git and return raw stdout bytes (`git archive`, `git cat-file --batch`). */
export function runGitBuffer(repo: string, args: readonly string[], input?: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const child = execFile(
            "git",
            ["-C", repo, ...args],
            { maxBuffer: 1024 * 1024 * 1024, encoding: "buffer" },
            (error, stdout, stderr) => {
                if (error) {
                    const code = typeof error.code === "number" ? error.code : null;
                    reject(new GitError(args, stderr.toString("utf8") || error.message, code));
                } else {
                    resolve(stdout);
                }
            },
        );
        writeInput(child.stdin, input);
    });
}

/** A commit with the files it changed under the pathspecs (merges excluded, as in `readCommits`). */
export interface RawCommitWithFiles extends RawCommit {
    files: string[];
}

/** Like `readCommits`, plus each commit's changed files, still in one `git log` pass. */
export async function readCommitsWithFiles(
    repo: string,
    range: string,
    pathspecs: readonly string[],
): Promise<RawCommitWithFiles[]> {
    const out = await runGit(repo, [
        "log",
        "-z",
        "--no-merges",
        "--full-history",
        // Both names of a renamed file count as touched, as semantic-release-monorepo's diff-tree sees them.
        "--no-renames",
        "--name-only",
        "--format=%x1e%H%x1f%B%x1f",
        range,
        "--",
        ...pathspecs,
    ]);
    return out
        .split("\x1e")
        .filter((entry) => entry !== "")
        .map((entry) => {
            const [sha, message, names = ""] = entry.split("\x1f");
            const files = names
                .split("\0")
                .map((name) => name.replace(/^\n/, ""))
                .filter((name) => name !== "");
            return { sha, message, files };
        });
}

/** The release commit chart-release made for a chart: its sha and the version its trailer names. */
export interface ReleaseCommit {
    sha: string;
    version: string;
}

/**
 * The newest release commit chart-release made for `chart` up to `rev`, found by its `Chart-Release:`
 * trailer line (a commit that merely mentions it elsewhere in its message does not count). A message search
 * reads commit objects only, without the tree diffs that make path-limited walks slow.
 */
export async function findLastReleaseCommit(
    repo: string,
    chart: string,
    rev = "HEAD",
): Promise<ReleaseCommit | null> {
    const out = await runGit(repo, [
        "log",
        "-z",
        "--format=%H%x1f%B",
        "-F",
        `--grep=Chart-Release: ${chart} `,
        rev,
    ]);
    const trailer = `Chart-Release: ${chart} `;
    for (const entry of out.split("\0")) {
        const cut = entry.indexOf("\x1f");
        if (cut === -1) continue;
        const line = entry
            .slice(cut + 1)
            .split("\n")
            .map((l) => l.trim())
            .find((l) => l.startsWith(trailer) && /^\S+$/.test(l.slice(trailer.length)));
        if (line !== undefined) return { sha: entry.slice(0, cut), version: line.slice(trailer.length) };
    }
    return null;
}

/** Whether `sha` itself added or removed a top-level `version:` line in `chartYamlPath`. */
export async function changesVersionLine(repo: string, sha: string, chartYamlPath: string): Promise<boolean> {
    const out = await runGit(repo, [
        "diff-tree",
        "--no-commit-id",
        "--root",
        "-r",
        "--name-only",
        "-G",
        "^version[[:space:]]*:",
        sha,
        "--",
        chartYamlPath,
    ]);
    return out.trim() !== "";
}

/** The commit a release tag points at, if this clone has the tag (CI clones with fetch-depth 0 do). */
export async function findReleaseTag(repo: string, tag: string): Promise<string | null> {
    try {
        return (await runGit(repo, ["rev-parse", "--verify", "--quiet", `refs/tags/${tag}^{commit}`])).trim();
    } catch (error) {
        // `--verify --quiet` says "no such ref" with exit 1 and nothing else; any other failure is real.
        if (error instanceof GitError && error.code === 1) return null;
        throw error;
    }
}

/** A commit object read by `readObjects`. */
export interface CommitObject {
    sha: string;
    message: string;
}

/** An object read by `readObjects`: its type and content (a commit's message is after the first blank line). */
export interface GitObject {
    sha: string;
    type: string;
    content: string;
}

/**
 * Read several objects in one git process (`cat-file --batch`), each named as git names objects (`HEAD^{commit}`,
 * `<tag>:<path>`); one that does not exist yields null. On the hot path of `next` this saves a process per name.
 */
export async function readObjects(repo: string, specs: readonly string[]): Promise<(GitObject | null)[]> {
    const out = await runGitBuffer(repo, ["cat-file", "--batch"], specs.map((spec) => `${spec}\n`).join(""));
    const objects: (GitObject | null)[] = [];
    let offset = 0;
    for (let i = 0; i < specs.length; i++) {
        const headerEnd = out.indexOf(0x0a, offset);
        const header = out.toString("utf8", offset, headerEnd);
        const match = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(header);
        if (!match) {
            objects.push(null); // "<spec> missing" (or ambiguous)
            offset = headerEnd + 1;
            continue;
        }
        const size = Number(match[3]);
        objects.push({
            sha: match[1],
            type: match[2],
            content: out.toString("utf8", headerEnd + 1, headerEnd + 1 + size),
        });
        offset = headerEnd + 1 + size + 1; // the object is followed by a newline
    }
    return objects;
}

/** A commit object's message: what follows the headers' blank line. */
export function commitMessage(object: GitObject): string {
    const blank = object.content.indexOf("\n\n");
    return blank === -1 ? "" : object.content.slice(blank + 2);
}

/** Several commits in one git process; a revision that does not exist yields null. */
export async function readCommitObjects(
    repo: string,
    revisions: readonly string[],
): Promise<(CommitObject | null)[]> {
    const objects = await readObjects(
        repo,
        revisions.map((rev) => `${rev}^{commit}`),
    );
    return objects.map((object) =>
        object === null ? null : { sha: object.sha, message: commitMessage(object) },
    );
}
