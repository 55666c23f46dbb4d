/**
 * `git-clone`, `git-commit` and `git-push` with the real git, following kargo v1.11.2:
 * - git_cloner.go run/ensureRemoteBranch + pkg/controller/git bare_repo.go CloneBare/AddWorkTree: a bare
 *   clone in a fresh `repo-*` dir of the work dir, then one `git worktree add <path> <ref>` per checkout
 *   (which fails when the path already exists); a missing branch is an error unless `create`.
 * - git_commiter.go run: `git add --all`; nothing staged → no commit, status Skipped (not a failure),
 *   output `commit` = HEAD; the step's author overrides the clone's.
 * - git_pusher.go run: integrate the remote branch first (the controller's default
 *   GIT_PUSH_INTEGRATION_POLICY=AlwaysRebase), then push HEAD to targetBranch (default: current branch).
 */
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { remoteBranchExists, runGit, GitError, type Author } from "../git";
import { secureJoin } from "./paths";
import type { RunnerContext } from "./context";
import type { Check, StepOutcome } from "../types";

/** Kargo's system git user when a step names none (pkg/promotion/git_user_resolver.go defaults). */
const KARGO_SYSTEM_USER: Author = { name: "Kargo", email: "no-reply@kargo.io" };

interface CloneConfig {
    readonly repoURL: string;
    readonly author?: Author;
    readonly checkout?: readonly {
        readonly branch?: string;
        readonly commit?: string;
        readonly tag?: string;
        readonly create?: boolean;
        readonly path: string;
        readonly as?: string;
    }[];
}

function errored(message: string, checks: Check[] = []): StepOutcome {
    return { status: "Errored", message, checks };
}

/** git_cloner.go ensureRemoteBranch with create=true: an orphan branch with one empty commit. */
function createRemoteBranch(ctx: RunnerContext, bare: string, branch: string): void {
    const tree = runGit(ctx.git, bare, ["hash-object", "-t", "tree", "-w", "--stdin"]).trim();
    const commit = runGit(
        ctx.git,
        bare,
        ["commit-tree", tree, "-m", "Initial commit"],
        KARGO_SYSTEM_USER,
    ).trim();
    runGit(ctx.git, bare, ["push", "origin", `${commit}:refs/heads/${branch}`]);
}

export function runGitClone(cfg: CloneConfig, ctx: RunnerContext): StepOutcome {
    const remote = ctx.resolveRemote(cfg.repoURL);
    if (!remote) return errored(`no rehearsal remote stands in for ${cfg.repoURL}`);
    const checks: Check[] = [{ name: "clone", ok: true, detail: `${cfg.repoURL} (rehearsed by ${remote})` }];
    const author = cfg.author ?? KARGO_SYSTEM_USER;
    const home = mkdtempSync(join(ctx.workDir, "repo-"));
    const bare = join(home, "repo");
    const commits: Record<string, string> = {};
    try {
        runGit(ctx.git, home, ["clone", "--bare", remote, bare]);
        for (const checkout of cfg.checkout ?? []) {
            const ref = checkout.branch ?? checkout.commit ?? checkout.tag ?? "";
            if (checkout.branch && !remoteBranchExists(ctx.git, bare, "origin", checkout.branch)) {
                if (!checkout.create) {
                    checks.push({ name: `branch ${checkout.branch} exists`, ok: false, detail: cfg.repoURL });
                    return errored(
                        `error ensuring existence of remote branch ${checkout.branch}: remote branch "${checkout.branch}" ` +
                            `of repo ${cfg.repoURL} does not exist; set create=true if you'd like a non-existent ` +
                            "remote branch to be automatically created at checkout",
                        checks,
                    );
                }
                createRemoteBranch(ctx, bare, checkout.branch);
                runGit(ctx.git, bare, ["fetch", "origin", `${checkout.branch}:${checkout.branch}`]);
            }
            const path = secureJoin(ctx.workDir, checkout.path);
            try {
                runGit(ctx.git, bare, ["worktree", "add", path, ref]);
            } catch (err) {
                checks.push({ name: `checkout ${checkout.path}`, ok: false, detail: (err as Error).message });
                return errored(
                    `error adding work tree ${checkout.path} to repo ${cfg.repoURL}: ${(err as Error).message}`,
                    checks,
                );
            }
            ctx.authors.set(path, author);
            ctx.clonedFrom.set(path, cfg.repoURL);
            commits[checkout.as ?? checkout.path] = runGit(ctx.git, path, ["rev-parse", "HEAD"]).trim();
            checks.push({
                name: `checkout ${checkout.path}`,
                ok: true,
                detail: `${ref} at ${commits[checkout.as ?? checkout.path].slice(0, 7)}`,
            });
        }
    } catch (err) {
        if (err instanceof GitError) return errored(`error cloning ${cfg.repoURL}: ${err.message}`, checks);
        throw err;
    }
    return { status: "Succeeded", output: { commits }, checks };
}

interface CommitConfig {
    readonly path: string;
    readonly message: string;
    readonly author?: Author;
}

export function runGitCommit(cfg: CommitConfig, ctx: RunnerContext): StepOutcome {
    const path = secureJoin(ctx.workDir, cfg.path);
    const author = cfg.author ?? ctx.authors.get(path);
    if (!author)
        return errored(
            `error loading working tree from ${cfg.path}: not a working tree of an earlier git-clone`,
        );
    try {
        runGit(ctx.git, path, ["add", "--all"]);
        const hasDiffs = runGit(ctx.git, path, ["status", "-s"]).trim() !== "";
        if (hasDiffs) runGit(ctx.git, path, ["commit", "-m", cfg.message], author);
        const commit = runGit(ctx.git, path, ["rev-parse", "HEAD"]).trim();
        const check = hasDiffs
            ? {
                  name: "commit",
                  ok: true,
                  detail: `${commit.slice(0, 7)} by ${author.name} <${author.email}>`,
              }
            : { name: "commit", ok: true, detail: "nothing to commit: Skipped, as git_commiter.go does" };
        return { status: hasDiffs ? "Succeeded" : "Skipped", output: { commit }, checks: [check] };
    } catch (err) {
        return errored(`error committing to working tree: ${(err as Error).message}`);
    }
}

interface PushConfig {
    readonly path: string;
    readonly targetBranch?: string;
    readonly force?: boolean;
}

export function runGitPush(cfg: PushConfig, ctx: RunnerContext): StepOutcome {
    const path = secureJoin(ctx.workDir, cfg.path);
    const repoURL = ctx.clonedFrom.get(path);
    if (!repoURL)
        return errored(
            `error loading working tree from ${cfg.path}: not a working tree of an earlier git-clone`,
        );
    try {
        const branch =
            cfg.targetBranch || runGit(ctx.git, path, ["rev-parse", "--abbrev-ref", "HEAD"]).trim();
        // One ls-remote answers both "does the branch exist" and "where was it before this push".
        const before = runGit(ctx.git, path, ["ls-remote", "origin", `refs/heads/${branch}`])
            .split("\t")[0]
            .trim();
        const exists = before !== "";
        if (exists && !cfg.force) {
            runGit(ctx.git, path, ["fetch", "origin", branch]);
            try {
                runGit(ctx.git, path, ["rebase", "FETCH_HEAD"], ctx.authors.get(path));
            } catch (err) {
                runGit(ctx.git, path, ["rebase", "--abort"]);
                return {
                    status: "Failed",
                    message: `merge conflict integrating ${branch}: ${(err as Error).message}`,
                };
            }
        }
        runGit(ctx.git, path, [
            "push",
            ...(cfg.force ? ["--force"] : []),
            "origin",
            `HEAD:refs/heads/${branch}`,
        ]);
        const commit = runGit(ctx.git, path, ["rev-parse", "HEAD"]).trim();
        const range = before ? `${before}..${commit}` : commit;
        const commits =
            before === commit
                ? []
                : runGit(ctx.git, path, ["rev-list", "--reverse", range]).split("\n").filter(Boolean);
        const show = commits.map((c) => runGit(ctx.git, path, ["show", "--stat", "-p", c])).join("\n");
        ctx.pushes.push({ step: ctx.alias, repoURL, branch, commits, show });
        return {
            status: "Succeeded",
            output: { commit, branch },
            checks: [
                {
                    name: `push to ${branch}`,
                    ok: true,
                    detail: commits.length
                        ? `${commits.length} new commit(s), now at ${commit.slice(0, 7)}`
                        : "nothing new to push",
                },
            ],
        };
    } catch (err) {
        return errored(`error pushing commits to remote: ${(err as Error).message}`);
    }
}
