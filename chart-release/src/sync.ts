import { ChartReleaseError, EXIT } from "./errors";
import { GitError, runGit } from "./git";
import { assertReleasableHead } from "./safety";

/** The release commit's message. `[skip ci]` and the trailer keep the push from triggering another release. */
export function formatReleaseMessage(
    chart: string,
    version: string,
    commitCount: number,
    deployFiles: readonly string[] = [],
): string {
    const deploy =
        deployFiles.length > 0
            ? `Sets spec.source.targetRevision to ${version} in ${deployFiles.join(", ")}.\n\n`
            : "";
    return (
        `chore(release): ${chart} ${version}\n\n` +
        `Covers ${commitCount} commit(s) touching the chart since the previous version.\n\n` +
        deploy +
        `[skip ci]\n\n${formatReleaseTrailer(chart, version)}\n`
    );
}

/** The trailer that marks a release commit; `next` recognises its own release commits by it. */
export function formatReleaseTrailer(chart: string, version: string): string {
    return `Chart-Release: ${chart} ${version}`;
}

/** Whether a commit message carries the release trailer of exactly this chart and version. */
export function hasReleaseTrailer(message: string, chart: string, version: string): boolean {
    return message.split("\n").some((line) => line.trim() === formatReleaseTrailer(chart, version));
}

/** Tags follow chart-releaser's `<chart>-<version>`, so several charts can share one repository. */
export function formatReleaseTag(chart: string, version: string): string {
    return `${chart}-${version}`;
}

export type PushFailure = "lost-race" | "tag-exists" | "other";

/**
 * Tell a lost race from other push failures. A race shows up client-side as a non-fast-forward ("fetch
 * first") or server-side as a ref that moved under the atomic transaction ("cannot lock ref", "failed to
 * update ref"); a tag that already exists on the remote is a different problem that retrying cannot fix.
 */
export function classifyPushFailure(stderr: string): PushFailure {
    if (/refs\/tags\/\S+\s.*already exists|\[rejected\].*\(already exists\)/.test(stderr))
        return "tag-exists";
    if (
        /non-fast-forward|fetch first|cannot lock ref|failed to update ref|stale info|incorrect old value/i.test(
            stderr,
        )
    ) {
        return "lost-race";
    }
    // With --atomic, the refs that would have gone through are reported as "atomic push failed".
    if (/atomic push failed/i.test(stderr) && /\[rejected\]|\[remote rejected\]/.test(stderr))
        return "lost-race";
    return "other";
}

/** Full-jitter exponential backoff: uniform in [0, base * 2^(attempt-1)], capped at 15 s. */
export function computeBackoffMs(attempt: number, baseMs: number, random: number): number {
    const ceiling = Math.min(15_000, baseMs * 2 ** (attempt - 1));
    return Math.floor(random * ceiling);
}

/** A git command against the remote failed: exit 11, with git's own words. */
export function remoteError(what: string, error: unknown): ChartReleaseError {
    const detail = error instanceof GitError ? error.stderr.trim() : String(error);
    return new ChartReleaseError(`${what}: ${detail}`, EXIT.remote);
}

/**
 * Bring HEAD up to `<remote>/<branch>` as fetched: fast-forward it when it is behind, refuse when it is on
 * another branch or has commits of its own (they would be pushed to the branch unreviewed). Returns the
 * fetched tip, the commit the release is built on. A dry run (`fastForward` false) checks the same, moves
 * nothing but the remote-tracking ref, and computes at the returned tip.
 */
export async function syncWithRemote(
    repo: string,
    remote: string,
    branch: string,
    fastForward = true,
    fetchTags = false,
): Promise<string> {
    const tracking = `refs/remotes/${remote}/${branch}`;
    // versionSource oci-tag reads the last release from the tags: every run sees the ones other runs pushed.
    // Not forced: a local tag that differs from the remote's is an error to see, not to overwrite.
    const tags = fetchTags ? ["refs/tags/*:refs/tags/*"] : [];
    try {
        await runGit(repo, [
            "fetch",
            "--quiet",
            "--no-tags",
            remote,
            `+refs/heads/${branch}:${tracking}`,
            ...tags,
        ]);
    } catch (error) {
        throw remoteError(`cannot fetch ${branch} from ${remote}`, error);
    }
    await assertReleasableHead(repo, remote, branch, tracking);
    // A dry run leaves HEAD alone and computes at the fetched tip instead (release.ts).
    if (fastForward) await runGit(repo, ["merge", "--quiet", "--ff-only", tracking]);
    return (await runGit(repo, ["rev-parse", tracking])).trim();
}

/** Whether `<remote>`'s `branch` now points somewhere other than `known` (asks the remote, no fetch). */
export async function hasRemoteMoved(
    repo: string,
    remote: string,
    branch: string,
    known: string,
): Promise<boolean> {
    let out: string;
    try {
        out = await runGit(repo, ["ls-remote", remote, `refs/heads/${branch}`]);
    } catch (error) {
        throw remoteError(`cannot read ${branch} on ${remote}`, error);
    }
    const sha = out.split(/\s/)[0] ?? "";
    return sha !== "" && sha !== known;
}
