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
