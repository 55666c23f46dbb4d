import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { readChart, setChartVersion } from "./chart";
import type { ReleaseArgs } from "./args";
import type { CommandOutcome } from "./outcome";
import { readStackMode, setTargetRevision, validateDeployFileMode } from "./deploy";
import { ChartReleaseError, EXIT } from "./errors";
import { injectFault } from "./fault";
import { assertGitRepo, buildPathspecs, findReleaseTag, GitError, runGit } from "./git";
import { pushReleaseTag, resolveRegistry, validateVersionSource } from "./oci-tag";
import { computeNext, normalizeChartDir, type NextResult } from "./next";
import { computeRepository, parseRegistryRef, readCredentials, RegistryClient, toOciTag } from "./oci";
import { validatePublishTarget, validateRegistryRef } from "./oci-names";
import {
    assertCurrentPublished,
    findUpToDateRefs,
    formatPushRefusal,
    preflight,
    remoteTagExists,
} from "./release-checks";
import { publish, resumePublish } from "./publish";
import { assertCleanTree, assertNotShallow, resolveRepoPath } from "./safety";
import {
    classifyPushFailure,
    computeBackoffMs,
    formatReleaseMessage,
    formatReleaseTag,
    hasRemoteMoved,
    syncWithRemote,
} from "./sync";

export type { ReleaseArgs } from "./args";

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

/** Set `version` in a file in the work tree with `edit`, keeping every other byte. */
async function rewriteFile(repo: string, file: string, edit: (text: string) => string): Promise<void> {
    const absolute = path.join(repo, file);
    await writeFile(absolute, edit(await readFile(absolute, "utf8")));
}

/** Names of what commitRelease does, for the message when git refuses one of them. */
type LocalStep = "stage the release files" | "make the release commit" | "tag the release commit";

/**
 * Write the new version into Chart.yaml and the deploy files' targetRevision, commit them together with the
 * release marker and tag the commit: one commit, so one atomic push carries both or neither. A first version
 * is already in Chart.yaml, so its release commit may change no file: it is made all the same (it carries
 * the trailer that marks the release). When git refuses a step (a signing key that fails, a hook), everything
 * this function did is undone and the failure is exit 13: the next run starts from a clean clone.
 */
async function commitRelease(
    args: ReleaseArgs,
    deployFiles: readonly string[],
    result: NextResult,
    version: string,
    tag: string,
) {
    const chartYaml = result.chartFile;
    const files = [chartYaml, ...deployFiles];
    const before = (await runGit(args.repo, ["rev-parse", "HEAD"])).trim();
    await rewriteFile(args.repo, chartYaml, (text) => setChartVersion(text, version, chartYaml));
    for (const file of deployFiles) {
        await rewriteFile(args.repo, file, (text) => setTargetRevision(text, version, file, result.chart));
    }
    injectFault("before-commit");
    let step: LocalStep = "stage the release files";
    try {
        await runGit(args.repo, ["add", "--", ...files]);
        step = "make the release commit";
        const message = formatReleaseMessage(result.chart, version, result.commits.length, deployFiles);
        await runGit(
            args.repo,
            ["commit", "--quiet", "--no-verify", "--allow-empty", "-F", "-", "--", ...files],
            {
                input: message,
            },
        );
        step = "tag the release commit";
        await runGit(args.repo, ["tag", "-a", "-m", `${result.chart} ${version}`, tag]);
    } catch (error) {
        await undoLocalRelease(args.repo, before, tag, files);
        const detail = error instanceof GitError ? formatPushRefusal(error.stderr) : String(error);
        throw new ChartReleaseError(
            `git could not ${step} in ${args.repo}: ${detail}. The release commit, tag and file edits were ` +
                "undone; nothing was pushed or published. Fix the clone's git setup (for a signing failure: " +
                "commit.gpgsign, tag.gpgSign, user.signingkey) and re-run",
            EXIT.localGit,
        );
    }
    return { sha: (await runGit(args.repo, ["rev-parse", "HEAD"])).trim(), tag };
}

/** Put the clone back as it was before commitRelease: no tag, HEAD at `before`, the release's files as there. */
async function undoLocalRelease(repo: string, before: string, tag: string, files: readonly string[]) {
    if ((await findReleaseTag(repo, tag)) !== null) await runGit(repo, ["tag", "-d", tag]);
    if ((await runGit(repo, ["rev-parse", "HEAD"])).trim() !== before) {
        await runGit(repo, ["reset", "--quiet", "--soft", before]);
    }
    // The files were clean before (assertCleanTree), so their committed state is the whole truth.
    await runGit(repo, ["checkout", "--quiet", before, "--", ...files]);
}

/** Check that every deploy file can take the version, before anything is written. */
async function checkDeployFiles(
    repo: string,
    deployFiles: readonly string[],
    version: string,
    chart: string,
): Promise<void> {
    for (const file of deployFiles) {
        let text: string;
        try {
            text = await readFile(path.join(repo, file), "utf8");
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code ?? String(error);
            throw new ChartReleaseError(`--deploy-file ${file}: cannot read it (${code})`, EXIT.invalidInput);
        }
        setTargetRevision(text, version, file, chart);
    }
}

/** Drop the release commit and tag this run just made, keeping any other local change. */
async function undoRelease(repo: string, tag: string): Promise<void> {
    await runGit(repo, ["tag", "-d", tag]);
    await runGit(repo, ["reset", "--quiet", "--keep", "HEAD~1"]);
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
    const moved = await hasRemoteMoved(args.repo, args.remote, args.branch, builtOn);
    const failure = moved ? "lost-race" : classifyPushFailure(error.stderr);
    if (failure === "tag-exists") throw remoteTagExists(args, tag, current);
    if (failure === "other") {
        throw new ChartReleaseError(
            `push to ${args.remote} failed and was not a lost race; nothing was published: ${formatPushRefusal(error.stderr)}`,
            EXIT.remote,
        );
    }
}

/**
 * The post-merge release. The atomic push of the release commit and its tag to `main` is the lock: only the
 * run whose push lands owns the version, and it publishes to the registry only after that. A run whose push
 * is rejected drops its commit, fetches, recomputes from the new `main` and tries again. Everything that
 * could refuse the publish is checked before git changes, and the dry run checks the same.
 */
export async function runRelease(args: ReleaseArgs): Promise<CommandOutcome> {
    const chartDir = normalizeChartDir(args.repo, args.chart);
    const deployFiles = args.deployFiles.map((file) => resolveRepoPath(args.repo, file, "--deploy-file"));
    const stackMode =
        args.stackConfig === undefined ? null : await readStackMode(args.repo, args.stackConfig);
    validateVersionSource(stackMode, deployFiles);
    validateDeployFileMode(stackMode, deployFiles);
    const ociTag = stackMode?.versionSource === "oci-tag";
    // The chart's name decides where it is published when the stack file says where (its charts).
    const named = await readChart(args.repo, chartDir).catch(async (error: unknown) => {
        await assertGitRepo(args.repo);
        throw error;
    });
    const ref = parseRegistryRef(resolveRegistry(args.registry, stackMode, named.name));
    validateRegistryRef(ref);
    const client = new RegistryClient(ref, args.plainHttp, readCredentials(process.env));
    await assertNotShallow(args.repo);
    // The dry run refuses too: it says what --push would do.
    await assertCleanTree(args.repo, [
        ...buildPathspecs(chartDir, args.paths),
        ...deployFiles.map((f) => `:(literal)${f}`),
    ]);
    let lastRejection = "";
    for (let attempt = 1; attempt <= args.maxAttempts; attempt++) {
        // The remote tip we built on: "main moved" later means it is no longer this commit. The dry run
        // fetches and checks as --push does, but computes at the fetched tip without moving HEAD.
        const fetched = await syncWithRemote(args.repo, args.remote, args.branch, args.push, ociTag);
        const result = await computeNext({
            ...args,
            chart: chartDir,
            shallowChecked: true,
            revision: args.push ? undefined : fetched,
            versionSource: stackMode?.versionSource,
        });
        // A deploy file without spec.source.targetRevision (or with several sources) fails before any write.
        await checkDeployFiles(args.repo, deployFiles, result.current, result.chart);
        const repository = computeRepository(ref, result.chart);
        // A name or tag the registry would refuse is refused before anything, --resume included.
        validatePublishTarget(ref, result.chart, result.next ?? result.current, result.chartFile);
        if (args.resume && attempt === 1)
            await resumePublish(args, client, repository, chartDir, result, ociTag);
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
            await assertCurrentPublished(args, client, repository, result);
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
        const tag = formatReleaseTag(result.chart, version);
        const checked = await preflight(args, client, result, fetched, chartDir, repository, version, tag);
        if (checked === "lost-race") {
            log(
                `attempt ${attempt}/${args.maxAttempts}: ${version} was just released from a newer ${args.branch}; recomputing`,
            );
            continue;
        }
        const how = describeReason(result);
        if (!args.push) {
            const deploy =
                deployFiles.length > 0 ? ` and set targetRevision in ${deployFiles.join(", ")}` : "";
            return finish(
                args,
                { ...base, status: "dry-run" },
                `would release ${result.chart} ${version} (${how}) covering ${result.commits.length} ` +
                    `commit(s)${deploy}; dry run, pass --push to publish`,
            );
        }
        if (ociTag) {
            // Nothing committed: the fetched tip is the release, its tag the lock, the chart stamped with it.
            const message = formatReleaseMessage(result.chart, version, result.commits.length);
            let landed: "landed" | "lost";
            try {
                landed = await pushReleaseTag(args.repo, args.remote, fetched, tag, message);
            } catch (error) {
                if (!(error instanceof GitError)) throw error;
                throw new ChartReleaseError(
                    `push of tag ${tag} to ${args.remote} failed; nothing was published: ${formatPushRefusal(error.stderr)}`,
                    EXIT.remote,
                );
            }
            if (landed === "lost") {
                log(
                    `attempt ${attempt}/${args.maxAttempts}: ${tag} was just pushed by another run; recomputing`,
                );
                continue;
            }
            await publishOrExit7(
                args,
                client,
                repository,
                chartDir,
                fetched,
                version,
                tag,
                result.chart,
                true,
            );
            return finish(
                args,
                { ...base, status: "released", tag, commit: fetched },
                `released ${result.chart} ${version} (${how}): tag ${tag} on ${fetched.slice(0, 12)}, ` +
                    `oci://${ref.host}/${repository}:${toOciTag(version)}, nothing committed (versionSource oci-tag); ` +
                    `covers ${result.commits.length} commit(s)`,
            );
        }
        const { sha } = await commitRelease(args, deployFiles, result, version, tag);
        injectFault("before-push");
        let pushed: string;
        try {
            pushed = await runGit(args.repo, [
                "push",
                "--atomic",
                "--porcelain",
                args.remote,
                `HEAD:refs/heads/${args.branch}`,
                `refs/tags/${tag}`,
            ]);
        } catch (error) {
            await undoRelease(args.repo, tag);
            await explainPushFailure(args, error, fetched, tag, result.current);
            if (!(error instanceof GitError)) throw error;
            lastRejection = error.stderr.trim().split("\n").slice(-2).join(" ");
            if (attempt < args.maxAttempts) {
                const delay = computeBackoffMs(attempt, args.retryDelayMs, Math.random());
                log(`attempt ${attempt}/${args.maxAttempts}: ${args.branch} moved; retrying in ${delay} ms`);
                await sleep(delay);
            }
            continue;
        }
        // Another run made the very same commit and tag (same tree, parent, identity and second) and pushed
        // them first: git reports our refs "up to date", and that run owns the version and publishes it.
        if (findUpToDateRefs(pushed).length > 0) {
            return finish(
                args,
                { ...base, status: "up-to-date", tag, commit: sha },
                `nothing to release: another run released ${result.chart} ${version} with the identical commit ` +
                    `${sha.slice(0, 12)} a moment ago; that run publishes it`,
            );
        }
        await publishOrExit7(args, client, repository, chartDir, sha, version, tag, result.chart, false);
        return finish(
            args,
            { ...base, status: "released", tag, commit: sha },
            `released ${result.chart} ${version} (${how}): commit ${sha.slice(0, 12)}, tag ${tag}, ` +
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

/** Publish the released commit; a failure now leaves git ahead of the registry: exit 7, finish with --resume. */
async function publishOrExit7(
    args: ReleaseArgs,
    client: RegistryClient,
    repository: string,
    chartDir: string,
    sha: string,
    version: string,
    tag: string,
    chart: string,
    stampVersion: boolean,
): Promise<void> {
    injectFault("after-push");
    try {
        await publish(args.repo, client, repository, chartDir, sha, version, stampVersion);
    } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        const released = stampVersion
            ? `tagged ${tag} (at ${sha.slice(0, 12)})`
            : `committed (${sha.slice(0, 12)}) and tagged ${tag}`;
        throw new ChartReleaseError(
            `${chart} ${version} is ${released} on ${args.remote}/${args.branch}, but the registry push failed: ` +
                `${detail}. No other run will publish ${version} unless one runs with --resume, which publishes ` +
                "it from the tag.",
            EXIT.publishAfterCommit,
        );
    }
}

/** How the version came about, for the summary line: the bump, or why there is none. */
function describeReason(result: NextResult): string {
    if (result.reason === "first-version") return "first version, as in Chart.yaml";
    if (result.reason === "set-by-hand")
        return `set by hand after ${result.released?.version ?? "the last release"}`;
    return result.bump ?? "bump";
}
