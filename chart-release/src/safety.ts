import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ChartReleaseError, EXIT, usageError } from "./errors";
import { GitError, runGit } from "./git";

/**
 * Refuse a shallow clone. With `--depth 1` the cut-off commit looks like the last change of the version line,
 * so `next` would answer "nothing to release" from a history it cannot see; no answer from it can be trusted.
 */
export async function assertNotShallow(repo: string): Promise<void> {
    const known = isShallowByFile(repo);
    const shallow = known ?? (await runGit(repo, ["rev-parse", "--is-shallow-repository"])).trim() === "true";
    if (shallow) {
        throw new ChartReleaseError(
            `--repo ${repo} is a shallow clone: the history since the last release may be cut off, so the ` +
                `version cannot be computed. Fetch the whole history (\`git fetch --unshallow\`; in GitHub ` +
                `Actions, actions/checkout with \`fetch-depth: 0\`)`,
            EXIT.shallow,
        );
    }
}

/** Variables that change where git finds the repository: with any of them set, git itself is asked. */
const DISCOVERY_VARIABLES = [
    "GIT_DIR",
    "GIT_COMMON_DIR",
    "GIT_WORK_TREE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
];

/**
 * Whether the repository at `repo` is shallow, read from the file system without starting git (one process
 * fewer on `next`'s hot path), or null when only git can tell. git decides it by the `shallow` file of the
 * repository's common directory (shallow.c, is_repository_shallow: it opens git_path_shallow, and path.c's
 * common_list puts "shallow" in the common dir, so a worktree of a shallow clone is shallow too). The git
 * directory is found as git's discovery does for the plain cases: `.git` a directory, or a file
 * `gitdir: <dir>` whose `commondir` names the common directory.
 */
export function isShallowByFile(repo: string, env: NodeJS.ProcessEnv = process.env): boolean | null {
    if (DISCOVERY_VARIABLES.some((name) => env[name] !== undefined)) return null;
    let dir = path.resolve(repo);
    for (;;) {
        const dotGit = path.join(dir, ".git");
        let gitDir: string | null = null;
        try {
            const stat = statSync(dotGit);
            if (stat.isDirectory()) gitDir = dotGit;
            else if (stat.isFile()) {
                const match = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"));
                if (!match) return null;
                gitDir = path.resolve(dir, match[1].trim());
            }
        } catch {
            gitDir = null;
        }
        if (gitDir !== null) {
            let common = gitDir;
            try {
                common = path.resolve(gitDir, readFileSync(path.join(gitDir, "commondir"), "utf8").trim());
            } catch {
                // no commondir: the git directory is its own common directory
            }
            return existsSync(path.join(common, "shallow"));
        }
        const parent = path.dirname(dir);
        if (parent === dir) return null; // no repository found: git says why
        dir = parent;
    }
}

/** Files with uncommitted changes (staged, unstaged or untracked, not ignored) under `pathspecs`. */
export async function listDirtyFiles(repo: string, pathspecs: readonly string[]): Promise<string[]> {
    const out = await runGit(repo, [
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
        ...pathspecs,
    ]);
    // Entries are "XY path"; a rename adds the old path as a separate NUL-terminated entry.
    const entries = out.split("\0").filter((entry) => entry !== "");
    const files: string[] = [];
    for (let i = 0; i < entries.length; i++) {
        files.push(entries[i].slice(3));
        if (/^[RC]/.test(entries[i])) i++;
    }
    return files;
}

/**
 * Refuse a dirty work tree under the release's paths: an uncommitted edit there would end up in the release
 * commit (or be silently left out of the published chart, which comes from the commit), unreviewed either way.
 */
export async function assertCleanTree(repo: string, pathspecs: readonly string[]): Promise<void> {
    const dirty = await listDirtyFiles(repo, pathspecs);
    if (dirty.length > 0) {
        const shown = dirty.slice(0, 5).join(", ") + (dirty.length > 5 ? `, … (${dirty.length} in all)` : "");
        throw new ChartReleaseError(
            `uncommitted changes under the release's paths: ${shown}. A release publishes only reviewed, ` +
                `committed content: commit them through a PR or discard them (git stash -u), then re-run`,
            EXIT.dirtyTree,
        );
    }
}

/**
 * A repo-relative path given on the command line (`--chart`, `--deploy-file`), normalised to POSIX form
 * without a trailing slash. Absolute paths inside `repo` are made relative; anything outside is a usage error,
 * since git would refuse the pathspec with a fatal error of its own.
 */
export function resolveRepoPath(repo: string, given: string, flag: string): string {
    const slashed = given.replaceAll("\\", "/");
    const relative = path.isAbsolute(slashed)
        ? path.relative(path.resolve(repo), slashed).replaceAll("\\", "/")
        : slashed;
    const normalized = path.posix.normalize(relative === "" ? "." : relative).replace(/\/+$/, "");
    if (normalized === ".." || normalized.startsWith("../") || path.posix.isAbsolute(normalized)) {
        throw usageError(`${flag} ${given}: outside the repository ${repo}`);
    }
    return normalized === "" ? "." : normalized;
}

/** `--path` globs are pathspecs relative to the repository; one that climbs out of it is a usage error. */
export function validatePathGlobs(globs: readonly string[]): void {
    for (const glob of globs) {
        const normalized = path.posix.normalize(glob.replaceAll("\\", "/"));
        if (
            glob === "" ||
            normalized === ".." ||
            normalized.startsWith("../") ||
            normalized.startsWith("/")
        ) {
            throw usageError(`--path ${JSON.stringify(glob)}: expected a glob relative to the repository`);
        }
    }
}

/** Whether `ancestor` is an ancestor of (or equal to) `descendant`. Only git's "no" (exit 1) means false. */
export async function isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean> {
    try {
        await runGit(repo, ["merge-base", "--is-ancestor", ancestor, descendant]);
        return true;
    } catch (error) {
        if (error instanceof GitError && error.code === 1) return false;
        throw error;
    }
}

/** The branch HEAD is on, or null for a detached HEAD. */
export async function readCurrentBranch(repo: string): Promise<string | null> {
    try {
        return (await runGit(repo, ["symbolic-ref", "--quiet", "--short", "HEAD"])).trim();
    } catch (error) {
        if (error instanceof GitError && error.code === 1) return null;
        throw error;
    }
}

/**
 * `release --push` pushes HEAD plus its release commit to `<remote>/<branch>`. So HEAD must be that branch as
 * fetched (or behind it, fast-forwarded next): on another branch, or with local commits the remote lacks, it
 * would publish commits nobody merged. A detached HEAD is fine (some CI checkouts are detached).
 */
export async function assertReleasableHead(
    repo: string,
    remote: string,
    branch: string,
    tracking: string,
): Promise<void> {
    const current = await readCurrentBranch(repo);
    const expected = `${remote}/${branch}`;
    if (current !== null && current !== branch) {
        throw new ChartReleaseError(
            `release --push runs on ${branch}, but HEAD is on branch ${current}: it would push ${current}'s ` +
                `commits to ${expected}. Check out ${branch} (git checkout ${branch}) and re-run`,
            EXIT.notReleaseBranch,
        );
    }
    if (await isAncestor(repo, "HEAD", tracking)) return;
    const ahead = (await runGit(repo, ["log", "--format=%h %s", `${tracking}..HEAD`])).trim().split("\n");
    throw new ChartReleaseError(
        `HEAD has ${ahead.length} commit(s) that ${expected} does not (${ahead.slice(0, 3).join("; ")}): ` +
            `release --push releases ${branch} exactly as fetched and would push them unreviewed. Merge them ` +
            `through a PR, or reset to ${expected} (git reset --hard ${expected}), then re-run`,
        EXIT.notReleaseBranch,
    );
}
