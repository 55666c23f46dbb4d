/**
 * The real `git`, run with an isolated HOME so neither the user's global config (signing, hooks, default
 * branch) nor their credentials can change what a rehearsal does or where it pushes.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export class GitError extends Error {}

export interface GitContext {
    /** The isolated HOME every git command runs with. */
    readonly home: string;
}

/** Creates the isolated HOME, with Kargo's own default branch (pkg/controller/git base_repo.go setupDirs). */
export function createGitContext(root: string): GitContext {
    const home = join(root, "home");
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, ".gitconfig"), "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n");
    return { home };
}

export interface Author {
    readonly name: string;
    readonly email: string;
}

/** Runs git in `cwd`; throws GitError carrying git's own stderr. */
export function runGit(ctx: GitContext, cwd: string, args: readonly string[], author?: Author): string {
    const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: ctx.home,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_TERMINAL_PROMPT: "0",
        LANG: "C",
    };
    if (author) {
        env.GIT_AUTHOR_NAME = author.name;
        env.GIT_AUTHOR_EMAIL = author.email;
        env.GIT_COMMITTER_NAME = author.name;
        env.GIT_COMMITTER_EMAIL = author.email;
    }
    try {
        return execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (err) {
        const e = err as { stderr?: string; message: string };
        throw new GitError(`git ${args.join(" ")}: ${(e.stderr || e.message).trim()}`);
    }
}

export function remoteBranchExists(ctx: GitContext, cwd: string, remote: string, branch: string): boolean {
    return runGit(ctx, cwd, ["ls-remote", "--heads", remote, branch]).trim() !== "";
}
