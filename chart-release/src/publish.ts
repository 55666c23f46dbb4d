import path from "node:path";
import { parseChartYaml, setChartVersion } from "./chart";
import { ChartReleaseError, EXIT } from "./errors";
import { findReleaseTag, runGit, runGitBuffer } from "./git";
import type { NextResult } from "./next";
import { buildHelmArtifact, toOciTag, type RegistryClient } from "./oci";
import { isAncestor } from "./safety";
import { formatReleaseTag, remoteError } from "./sync";

/** What publishing and resuming need from the release flags. */
export interface PublishArgs {
    repo: string;
    remote: string;
    branch: string;
    push: boolean;
}

function log(line: string): void {
    process.stderr.write(`chart-release: ${line}\n`);
}

/**
 * Package the chart from the release commit itself (not the work tree) and push it as a Helm artifact. With
 * `stampVersion` (versionSource oci-tag, where Chart.yaml on the branch keeps its first version) the archive
 * and config carry `version` instead, as `helm package --version` writes it into the packaged Chart.yaml.
 */
export async function publish(
    repo: string,
    client: RegistryClient,
    repository: string,
    chartDir: string,
    commit: string,
    version: string,
    stampVersion = false,
): Promise<void> {
    const chartFile = path.posix.join(chartDir, "Chart.yaml");
    const chartYaml = await runGit(repo, ["show", `${commit}:${chartFile}`]);
    const committed = parseChartYaml(chartYaml, "Chart.yaml");
    // The registry tag must name what the archive holds; a tag on a commit of another version is refused.
    if (!stampVersion && committed.version !== version) {
        throw new ChartReleaseError(
            `commit ${commit.slice(0, 12)} has Chart.yaml version ${committed.version}, not ${version}; not publishing`,
            EXIT.unverifiedRelease,
        );
    }
    const created = (await runGit(repo, ["show", "-s", "--format=%cI", commit])).trim();
    const source = stampVersion
        ? await stampChartVersion(
              repo,
              commit,
              chartDir,
              setChartVersion(chartYaml, version, chartFile),
              created,
          )
        : `${commit}:${chartDir === "." ? "" : chartDir}`;
    const chart = stampVersion ? { ...committed, fields: { ...committed.fields, version } } : committed;
    const archive = await runGitBuffer(repo, [
        "archive",
        "--format=tar.gz",
        `--prefix=${chart.name}/`,
        source,
    ]);
    await client.pushArtifact(
        repository,
        toOciTag(version),
        buildHelmArtifact(chart.fields, archive, created),
    );
}

/**
 * A commit object (referenced by nothing, never pushed) whose tree is the chart folder of `commit` with
 * `chartYaml` as its Chart.yaml: what git archive packages in oci-tag mode. Its dates and identity are
 * fixed (the release commit's date), so the archive, and so the artifact's digest, are the same on every
 * run and on --resume.
 */
async function stampChartVersion(
    repo: string,
    commit: string,
    chartDir: string,
    chartYaml: string,
    date: string,
): Promise<string> {
    const blob = (await runGit(repo, ["hash-object", "-w", "--stdin"], { input: chartYaml })).trim();
    const entries = await runGit(repo, ["ls-tree", "-z", `${commit}:${chartDir === "." ? "" : chartDir}`]);
    const rewritten = entries
        .split("\0")
        .filter((entry) => entry !== "")
        .map((entry) => {
            const [meta, name] = entry.split("\t");
            return name === "Chart.yaml"
                ? `${meta.split(" ").slice(0, 2).join(" ")} ${blob}\t${name}`
                : entry;
        });
    const tree = (await runGit(repo, ["mktree", "-z"], { input: rewritten.join("\0") + "\0" })).trim();
    const identity = { name: "chart-release", email: "chart-release@invalid" };
    const env = {
        ...process.env,
        GIT_AUTHOR_NAME: identity.name,
        GIT_AUTHOR_EMAIL: identity.email,
        GIT_COMMITTER_NAME: identity.name,
        GIT_COMMITTER_EMAIL: identity.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
    };
    return (
        await runGit(
            repo,
            ["-c", "commit.gpgsign=false", "commit-tree", tree, "-m", "chart-release package"],
            { env },
        )
    ).trim();
}

export interface RemoteRefs {
    branchTip: string;
    /** The object the remote's tag ref holds (a tag object, or a commit for a lightweight tag), or null. */
    tagObject: string | null;
}

/** Parse `git ls-remote` output for one branch and one tag (the ref itself, not a peeled `^{}` line). */
export function parseLsRemote(out: string, branch: string, tag: string): { branch?: string; tag?: string } {
    const refs = new Map<string, string>();
    for (const line of out.split("\n")) {
        const [sha, ref] = line.split("\t");
        if (sha && ref) refs.set(ref, sha);
    }
    return {
        branch: refs.get(`refs/heads/${branch}`),
        tag: refs.get(`refs/tags/${tag}`),
    };
}

/** Ask the remote itself where `branch` and `tag` are; any failure to ask is an error. */
export async function readRemoteRefs(args: PublishArgs, tag: string): Promise<RemoteRefs> {
    let out: string;
    try {
        out = await runGit(args.repo, [
            "ls-remote",
            args.remote,
            `refs/heads/${args.branch}`,
            `refs/tags/${tag}`,
        ]);
    } catch (error) {
        throw remoteError(`resume: cannot verify ${tag} on ${args.remote}`, error);
    }
    const refs = parseLsRemote(out, args.branch, tag);
    if (refs.branch === undefined) {
        throw new ChartReleaseError(
            `resume: ${args.remote} has no branch ${args.branch}; cannot verify ${tag}`,
            EXIT.remote,
        );
    }
    return { branchTip: refs.branch, tagObject: refs.tag ?? null };
}

/**
 * Prove that the remote's tag is on the remote branch: fetch both, check the fetched tag is the one the remote
 * announced and that its commit is an ancestor of the fetched branch tip. Returns the commit to publish.
 */
export async function verifyTagOnBranch(args: PublishArgs, tag: string, remote: RemoteRefs): Promise<string> {
    const tracking = `refs/remotes/${args.remote}/${args.branch}`;
    try {
        await runGit(args.repo, [
            "fetch",
            "--quiet",
            "--no-tags",
            args.remote,
            `+refs/heads/${args.branch}:${tracking}`,
            `+refs/tags/${tag}:refs/tags/${tag}`,
        ]);
    } catch (error) {
        throw remoteError(`resume: cannot fetch ${args.branch} and ${tag} from ${args.remote}`, error);
    }
    // The fetched tag must be the very object the remote announced, so the commit checked is the one tagged.
    const fetched = (await runGit(args.repo, ["rev-parse", "--verify", `refs/tags/${tag}`])).trim();
    const commit = await findReleaseTag(args.repo, tag);
    if (commit === null || fetched !== remote.tagObject) {
        throw new ChartReleaseError(
            `resume: ${tag} moved on ${args.remote} while it was being verified; not publishing, re-run`,
            EXIT.unverifiedRelease,
        );
    }
    if (!(await isAncestor(args.repo, commit, tracking))) {
        throw new ChartReleaseError(
            `resume: tag ${tag} on ${args.remote} points at ${commit.slice(0, 12)}, which is not on ` +
                `${args.remote}/${args.branch}; refusing to publish a version ${args.branch} does not have. ` +
                `Delete the stray tag (git push ${args.remote} :refs/tags/${tag}) or merge its commit`,
            EXIT.unverifiedRelease,
        );
    }
    return commit;
}

/**
 * `--resume`: a run that pushed its release commit and tag but failed to publish (exit 7, or killed) leaves
 * the current version unpublished, and no later run would publish it. Publish it now, but only once the
 * remote itself shows the tag and shows its commit on the branch: a tag left local by an interrupted push
 * names a version that was never released. Packaging is deterministic (archive and config come from the
 * tagged commit), so this yields the artifact the failed run would have pushed.
 */
export async function resumePublish(
    args: PublishArgs,
    client: RegistryClient,
    repository: string,
    chartDir: string,
    result: NextResult,
    stampVersion = false,
): Promise<void> {
    const tag = formatReleaseTag(result.chart, result.current);
    const remote = await readRemoteRefs(args, tag);
    if (remote.tagObject === null) {
        const local = await findReleaseTag(args.repo, tag);
        log(
            local === null
                ? `resume: no tag ${tag} on ${args.remote}, so ${result.current} was not released by chart-release; nothing to resume`
                : `resume: tag ${tag} exists here but not on ${args.remote} (an interrupted push); ` +
                      `${result.current} was never released, so nothing is published from it`,
        );
        return;
    }
    const commit = await verifyTagOnBranch(args, tag, remote);
    if ((await client.listTags(repository)).includes(toOciTag(result.current))) {
        log(`resume: ${result.chart} ${result.current} is already in the registry; nothing to resume`);
        return;
    }
    if (!args.push) {
        log(`resume: would publish ${result.chart} ${result.current} from tag ${tag} (dry run)`);
        return;
    }
    await publish(args.repo, client, repository, chartDir, commit, result.current, stampVersion);
    log(`resume: published ${result.chart} ${result.current} from tag ${tag}`);
}
