/**
 * The git remote a rehearsal pushes to: a scratch bare repository seeded with the deploy files the stack
 * creates, or a bare copy of the user's own GitOps repository (`--gitops`). Either way it lives in the
 * rehearsal's temp dir and has no remote of its own, so a push can go nowhere else.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { runGit, type GitContext } from "./git";
import { ARGO_API, type ChartSubscription, type KubeObject, type ResourceRecord } from "./types";
import { STAGE_LABEL } from "../../components/core/objects";

/** A file the stack creates in the GitOps repository (a `github.RepositoryFile`). */
export interface DeployFile {
    readonly repository: string;
    readonly branch?: string;
    readonly file: string;
    readonly content: string;
}

export const REPOSITORY_FILE_TYPE = "github:index/repositoryFile:RepositoryFile";

/** The deploy files the stack declares: its `github:index/repositoryFile:RepositoryFile` resources. */
export function selectDeployFiles(resources: readonly ResourceRecord[]): DeployFile[] {
    return resources
        .filter((r) => r.type === REPOSITORY_FILE_TYPE)
        .map((r) => ({
            repository: String(r.inputs.repository ?? ""),
            branch: typeof r.inputs.branch === "string" ? r.inputs.branch : undefined,
            file: String(r.inputs.file ?? ""),
            content: String(r.inputs.content ?? ""),
        }));
}

/** `<repoURL>`'s last path segment without `.git`: what a RepositoryFile's `repository` names. */
export function repositoryName(repoURL: string): string {
    return (repoURL.replace(/\/+$/, "").split("/").pop() ?? "").replace(/\.git$/, "");
}

function chartOfSource(source: Record<string, unknown>): string | undefined {
    if (typeof source.chart === "string" && source.chart) return source.chart;
    const url = typeof source.repoURL === "string" ? source.repoURL : "";
    return url.startsWith("oci://") ? url.split("/").pop() : undefined;
}

/**
 * INTERIM seeder, used only while the stack declares no RepositoryFile (issue 9, defect 5): one
 * `<deployDir>/<stage>/<chart>.yaml` per stage-owned Application of a subscribed chart, holding that
 * Application. It stands in for what the stack will create; swap it for selectDeployFiles once it does.
 */
export function seedDeployFilesFromApplications(
    objects: readonly KubeObject[],
    subscriptions: readonly ChartSubscription[],
    deployDir: string,
    repository: string,
): DeployFile[] {
    const subscribed = new Set(subscriptions.map((s) => s.repoURL.split("/").pop()));
    const files: DeployFile[] = [];
    for (const app of objects) {
        if (app.apiVersion !== ARGO_API || app.kind !== "Application") continue;
        const stage = app.metadata.labels?.[STAGE_LABEL];
        const source = ((app.spec ?? {}) as { source?: Record<string, unknown> }).source;
        const chart = source ? chartOfSource(source) : undefined;
        if (!stage || !chart || !subscribed.has(chart)) continue;
        files.push({ repository, file: `${deployDir}/${stage}/${chart}.yaml`, content: stringify(app) });
    }
    return files;
}

/** Creates an empty bare repository under `root` and returns its path. */
function createBare(ctx: GitContext, root: string, name: string): string {
    const bare = join(root, "remotes", `${name}.git`);
    mkdirSync(bare, { recursive: true });
    runGit(ctx, bare, ["init", "--bare", "--initial-branch=main"]);
    return bare;
}

/** A scratch bare repository holding exactly `files`, each on its branch (default `defaultBranch`). */
export function createScratchRemote(
    ctx: GitContext,
    root: string,
    name: string,
    files: readonly DeployFile[],
    defaultBranch: string,
): string {
    const bare = createBare(ctx, root, name);
    const branches = new Set(files.map((f) => f.branch ?? defaultBranch));
    if (branches.size === 0) branches.add(defaultBranch);
    for (const branch of branches) {
        const seed = join(root, "seed", name, branch.replace(/[^A-Za-z0-9._-]/g, "_"));
        mkdirSync(seed, { recursive: true });
        runGit(ctx, seed, ["init", `--initial-branch=${branch}`]);
        for (const f of files.filter((x) => (x.branch ?? defaultBranch) === branch)) {
            mkdirSync(dirname(join(seed, f.file)), { recursive: true });
            writeFileSync(join(seed, f.file), f.content);
        }
        runGit(ctx, seed, ["add", "--all"]);
        const who = { name: "rehearsal seed", email: "rehearsal@localhost" };
        runGit(ctx, seed, ["commit", "--allow-empty", "-m", "seed: the deploy files the stack creates"], who);
        runGit(ctx, seed, ["push", bare, `HEAD:refs/heads/${branch}`]);
    }
    return bare;
}

/**
 * A bare copy of the user's GitOps repository at `dir`. Its `origin` is removed at once, so nothing the
 * rehearsal does can reach the user's repository or its upstream.
 */
export function copyGitopsRepository(ctx: GitContext, root: string, name: string, dir: string): string {
    const bare = join(root, "remotes", `${name}.git`);
    mkdirSync(dirname(bare), { recursive: true });
    runGit(ctx, root, ["clone", "--bare", "--no-local", dir, bare]);
    runGit(ctx, bare, ["remote", "remove", "origin"]);
    return bare;
}
