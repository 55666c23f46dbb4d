import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseChartYaml, setChartVersion } from "./chart";
import type { CliArgs } from "./args";
import type { CommandOutcome } from "./cli";
import { ChartReleaseError, EXIT } from "./errors";
import { findReleaseTag, GitError, runGit, runGitBuffer } from "./git";
import { computeNext, normalizeChartDir, type NextResult } from "./next";
import {
    buildHelmArtifact,
    computeRepository,
    parseRegistryRef,
    readCredentials,
    RegistryClient,
    toOciTag,
} from "./oci";
import {
    classifyPushFailure,
    computeBackoffMs,
    formatReleaseMessage,
    formatReleaseTag,
    hasRemoteMoved,
    syncWithRemote,
} from "./sync";

/** The release command's parsed flags (one definition, in args.ts). */
export type ReleaseArgs = Omit<Extract<CliArgs, { command: "release" }>, "command">;

type ReleaseStatus = "released" | "up-to-date" | "dry-run";

interface ReleaseReport {
    status: ReleaseStatus;
    chart: string;
    current: string;
    version: string | null;
    tag: string | null;
    commit: string | null;
    repository: string;
    attempts: number;
    commits: string[];
}

function log(line: string): void {
    process.stderr.write(`chart-release: ${line}\n`);
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

function finish(args: ReleaseArgs, report: ReleaseReport, summary: string): CommandOutcome {
    return { stdout: [args.json ? JSON.stringify(report) : summary], stderr: [], exitCode: EXIT.ok };
}

/** Write the new version into Chart.yaml, commit it with the release marker and tag it. Returns the sha. */
async function commitRelease(args: ReleaseArgs, chartDir: string, result: NextResult, version: string) {
    const file = path.posix.join(chartDir, "Chart.yaml");
    const absolute = path.join(args.repo, file);
    await writeFile(absolute, setChartVersion(await readFile(absolute, "utf8"), version, file));
    await runGit(args.repo, ["add", "--", file]);
    const message = formatReleaseMessage(result.chart, version, result.commits.length);
    await runGit(args.repo, ["commit", "--quiet", "--no-verify", "-F", "-", "--", file], { input: message });
    const tag = formatReleaseTag(result.chart, version);
    await runGit(args.repo, ["tag", "-a", "-m", `${result.chart} ${version}`, tag]);
    return { sha: (await runGit(args.repo, ["rev-parse", "HEAD"])).trim(), tag };
}

/** Drop the release commit and tag this run just made, keeping any other local change. */
async function undoRelease(repo: string, tag: string): Promise<void> {
    await runGit(repo, ["tag", "-d", tag]);
    await runGit(repo, ["reset", "--quiet", "--keep", "HEAD~1"]);
}

/** Package the chart from the release commit itself (not the work tree) and push it as a Helm artifact. */
async function publish(
    args: ReleaseArgs,
    client: RegistryClient,
    repository: string,
    chartDir: string,
    commit: string,
    version: string,
): Promise<void> {
    const chartYaml = await runGit(args.repo, [
        "show",
        `${commit}:${path.posix.join(chartDir, "Chart.yaml")}`,
    ]);
    const chart = parseChartYaml(chartYaml, "Chart.yaml");
    const archive = await runGitBuffer(args.repo, [
        "archive",
        "--format=tar.gz",
        `--prefix=${chart.name}/`,
        `${commit}:${chartDir === "." ? "" : chartDir}`,
    ]);
    const created = (await runGit(args.repo, ["show", "-s", "--format=%cI", commit])).trim();
    await client.pushArtifact(
        repository,
        toOciTag(version),
        buildHelmArtifact(chart.fields, archive, created),
    );
}

/**
 * `--resume`: a run that pushed its release commit and tag but failed to publish (exit 7) leaves the current
 * version unpublished, and no later run would publish it. Publish it now from its tag. Packaging is
 * deterministic (the archive and the config come from the tagged commit), so this yields the same artifact
 * the failed run would have pushed.
 */
async function resumePublish(
    args: ReleaseArgs,
    client: RegistryClient,
    repository: string,
    chartDir: string,
    result: NextResult,
): Promise<void> {
    const tag = formatReleaseTag(result.chart, result.current);
    if (args.push) {
        await runGit(args.repo, [
            "fetch",
            "--quiet",
            args.remote,
            `+refs/tags/${tag}:refs/tags/${tag}`,
        ]).catch(() => undefined);
    }
    const commit = await findReleaseTag(args.repo, tag);
    if (commit === null) {
        log(
            `resume: no tag ${tag}, so ${result.current} was not released by chart-release; nothing to resume`,
        );
        return;
    }
    if ((await client.listTags(repository)).includes(toOciTag(result.current))) {
        log(`resume: ${result.chart} ${result.current} is already in the registry; nothing to resume`);
        return;
    }
    if (!args.push) {
        log(`resume: would publish ${result.chart} ${result.current} from tag ${tag} (dry run)`);
        return;
    }
    await publish(args, client, repository, chartDir, commit, result.current);
    log(`resume: published ${result.chart} ${result.current} from tag ${tag}`);
}

/**
 * After a rejected push (the local commit and tag already dropped): return when it was a lost race, to be
 * retried; throw the error that says what else happened otherwise.
 */
async function explainPushFailure(
    args: ReleaseArgs,
    error: unknown,
    builtOn: string,
    tag: string,
    current: string,
): Promise<void> {
    if (!(error instanceof GitError)) throw error;
    // Whatever git reports, a main that moved since our fetch means another merge or release won.
    const moved = await hasRemoteMoved(args.repo, args.remote, args.branch, builtOn).catch(() => false);
    const failure = moved ? "lost-race" : classifyPushFailure(error.stderr);
    if (failure === "tag-exists") {
        throw new ChartReleaseError(
            `tag ${tag} already exists on ${args.remote} but ${args.branch} is at ${current}: the version ` +
                `was tagged outside this flow; nothing was pushed or published`,
            EXIT.versionExists,
        );
    }
    if (failure === "other") {
        throw new ChartReleaseError(
            `push to ${args.remote} failed and was not a lost race; nothing was published: ${error.stderr.trim()}`,
            EXIT.failed,
        );
    }
}

/**
 * The post-merge release. The atomic push of the release commit and its tag to `main` is the lock: only the
 * run whose push lands owns the version, and it publishes to the registry only after that. A run whose push
 * is rejected drops its commit, fetches, recomputes from the new `main` and tries again.
 */
export async function runRelease(args: ReleaseArgs): Promise<CommandOutcome> {
    const chartDir = normalizeChartDir(args.chart);
    const ref = parseRegistryRef(args.registry);
    const client = new RegistryClient(ref, args.plainHttp, readCredentials(process.env));
    let lastRejection = "";
    for (let attempt = 1; attempt <= args.maxAttempts; attempt++) {
        // The remote tip we built on: "main moved" later means it is no longer this commit.
        const fetched = args.push ? await syncWithRemote(args.repo, args.remote, args.branch) : null;
        const result = await computeNext({ ...args, chart: chartDir });
        const repository = computeRepository(ref, result.chart);
        if (args.resume && attempt === 1) await resumePublish(args, client, repository, chartDir, result);
        const base: ReleaseReport = {
            status: "up-to-date",
            chart: result.chart,
            current: result.current,
            version: result.next,
            tag: null,
            commit: null,
            repository: `${ref.host}/${repository}`,
            attempts: attempt,
            commits: result.commits.map((c) => c.sha),
        };
        if (result.next === null) {
            const why =
                result.commits.length === 0
                    ? "no commit since it touches the chart's paths"
                    : `${result.commits.length} commit(s) since it touch the chart's paths, none calls for a release`;
            return finish(
                args,
                base,
                `nothing to release: ${result.chart} ${result.current} covers HEAD (${why})`,
            );
        }
        const version = result.next;
        const tags = await client.listTags(repository);
        if (tags.includes(toOciTag(version))) {
            // A run that fetched just before another run's release landed sees that release's version in the
            // registry: that is a lost race, not a registry ahead of git. Only a main that has not moved
            // makes it a real conflict.
            if (fetched !== null && (await hasRemoteMoved(args.repo, args.remote, args.branch, fetched))) {
                log(
                    `attempt ${attempt}/${args.maxAttempts}: ${version} was just released from a newer ${args.branch}; recomputing`,
                );
                continue;
            }
            throw new ChartReleaseError(
                `${result.chart} ${version} already exists in ${ref.host}/${repository}; refusing to publish it ` +
                    `again. ${args.branch} says ${result.current}: the registry is ahead of git, so set ` +
                    `Chart.yaml's version to the latest published one on ${args.branch} and re-run.`,
                EXIT.versionExists,
            );
        }
        if (!args.push) {
            return finish(
                args,
                { ...base, status: "dry-run" },
                `would release ${result.chart} ${version} (${result.bump}) covering ${result.commits.length} ` +
                    `commit(s); dry run, pass --push to publish`,
            );
        }
        const { sha, tag } = await commitRelease(args, chartDir, result, version);
        try {
            await runGit(args.repo, [
                "push",
                "--atomic",
                "--porcelain",
                args.remote,
                `HEAD:refs/heads/${args.branch}`,
                `refs/tags/${tag}`,
            ]);
        } catch (error) {
            await undoRelease(args.repo, tag);
            await explainPushFailure(args, error, fetched ?? result.head, tag, result.current);
            if (!(error instanceof GitError)) throw error;
            lastRejection = error.stderr.trim().split("\n").slice(-2).join(" ");
            if (attempt < args.maxAttempts) {
                const delay = computeBackoffMs(attempt, args.retryDelayMs, Math.random());
                log(`attempt ${attempt}/${args.maxAttempts}: ${args.branch} moved; retrying in ${delay} ms`);
                await sleep(delay);
            }
            continue;
        }
        try {
            await publish(args, client, repository, chartDir, sha, version);
        } catch (error) {
            const detail = error instanceof Error ? error.message : String(error);
            throw new ChartReleaseError(
                `${result.chart} ${version} is committed (${sha.slice(0, 12)}) and tagged ${tag} on ` +
                    `${args.remote}/${args.branch}, but the registry push failed: ${detail}. No other run will ` +
                    `publish ${version} unless one runs with --resume, which publishes it from the tag.`,
                EXIT.publishAfterCommit,
            );
        }
        return finish(
            args,
            { ...base, status: "released", tag, commit: sha },
            `released ${result.chart} ${version} (${result.bump}): commit ${sha.slice(0, 12)}, tag ${tag}, ` +
                `oci://${ref.host}/${repository}:${toOciTag(version)}; covers ${result.commits.length} commit(s)`,
        );
    }
    throw new ChartReleaseError(
        `gave up after ${args.maxAttempts} attempt(s): every push to ${args.remote} ${args.branch} was rejected ` +
            `because ${args.branch} kept moving (last: ${lastRejection}). Nothing was published; the local ` +
            `release commit was dropped.`,
        EXIT.pushRejected,
    );
}
