import type { NextResult } from "./next";
import { ChartReleaseError, EXIT, firstLine } from "./errors";
import { findReleaseTag, runGit } from "./git";
import { type RegistryClient, toOciTag } from "./oci";
import { assertDependenciesVendored, assertNotBelowNewest, assertUniqueChartName } from "./preflight";
import type { ReleaseArgs } from "./args";
import { formatReleaseTag, hasRemoteMoved, remoteError } from "./sync";
import { findNewestVersion } from "./versions";

// The release's checks against the remote and the registry, and how it words what they find.

/** A release tag on the remote although the branch lacks its version: tagged outside this flow. */
export function remoteTagExists(args: ReleaseArgs, tag: string, current: string): ChartReleaseError {
    return new ChartReleaseError(
        `tag ${tag} already exists on ${args.remote} but ${args.branch} is at ${current}: the version ` +
            `was tagged outside this flow; nothing was pushed or published. If that tag is stray (no release ` +
            `of it is on ${args.branch} or in the registry), delete it: git push ${args.remote} ` +
            `:refs/tags/${tag} (and git tag -d ${tag} in clones that fetched it), then re-run`,
        EXIT.versionExists,
    );
}

/**
 * What the remote said when it refused a push: its own `remote:` lines first (a server hook's or a branch
 * rule's reason, e.g. GitHub's `GH013: Repository rule violations found`), then git's `[rejected]` and
 * `error:` lines; git's first line when there are none.
 */
export function formatPushRefusal(stderr: string): string {
    const lines = stderr.split("\n").map((line) => line.trim().replace(/\s+/g, " "));
    const remote = lines.filter((line) => /^remote: ?\S/.test(line));
    const rejected = lines.filter((line) => /\[(remote )?rejected\]/.test(line) || /^error:/.test(line));
    const shown = [...remote, ...rejected];
    return shown.length > 0 ? shown.join(" | ") : firstLine(stderr);
}

/**
 * Before git changes: the chart's folder is the only one with its name, its dependencies are committed,
 * the registry does not hold a newer version, this registry will take this push, and the tag is free here
 * and on the remote. Returns "lost-race" when the remote tag belongs to a release that just landed.
 */
export async function preflight(
    args: ReleaseArgs,
    client: RegistryClient,
    result: NextResult,
    revision: string,
    chartDir: string,
    repository: string,
    version: string,
    tag: string,
): Promise<"ok" | "lost-race"> {
    await assertUniqueChartName(args.repo, revision, result.chartFile, result.chart);
    await assertDependenciesVendored(args.repo, revision, chartDir, result.fields, result.chartFile);
    const tags = await client.listTags(repository);
    const where = `${client.ref.host}/${repository}`;
    if (tags.includes(toOciTag(version))) {
        // A run that fetched just before another run's release landed sees that release's version in the
        // registry: that is a lost race, not a registry ahead of git. Only a main that has not moved
        // makes it a real conflict.
        if (await hasRemoteMoved(args.repo, args.remote, args.branch, revision)) return "lost-race";
        throw new ChartReleaseError(
            `${result.chart} ${version} already exists in ${where}; refusing to publish it again. ${args.branch} ` +
                `says ${result.current}: the registry is ahead of git. Set Chart.yaml's version on ${args.branch} to ` +
                `the version to publish next, above ${findNewestVersion(tags) ?? version} (the commits since the ` +
                `last release are released with it), and re-run`,
            EXIT.versionExists,
        );
    }
    if (!args.allowOlder) {
        assertNotBelowNewest(findNewestVersion(tags), version, result.chart, where, args.branch);
    }
    await client.assertWritable(repository);
    const stale = await findReleaseTag(args.repo, tag);
    if (stale !== null) {
        throw new ChartReleaseError(
            `tag ${tag} already exists in this clone (at ${stale.slice(0, 12)}) but ${args.branch} is at ` +
                `${result.current}: a leftover of an interrupted release, or a stray tag on a commit ` +
                `${args.branch} lacks. Delete it (git tag -d ${tag}; if ${args.remote} has it too: git push ` +
                `${args.remote} :refs/tags/${tag}) or release from a fresh clone; nothing was pushed or published`,
            EXIT.versionExists,
        );
    }
    if (await hasRemoteTag(args, tag)) {
        if (await hasRemoteMoved(args.repo, args.remote, args.branch, revision)) return "lost-race";
        throw remoteTagExists(args, tag, result.current);
    }
    return "ok";
}

export async function hasRemoteTag(args: ReleaseArgs, tag: string): Promise<boolean> {
    try {
        return (await runGit(args.repo, ["ls-remote", args.remote, `refs/tags/${tag}`])).trim() !== "";
    } catch (error) {
        throw remoteError(`cannot read tag ${tag} on ${args.remote}`, error);
    }
}

/**
 * Nothing to release: the current version's release is on the branch. When its chart is missing from the
 * registry (a publish that failed after the push, exit 7), say so and how to finish, rather than "nothing to
 * release". A version chart-release never tagged is not ours to report missing.
 */
export async function assertCurrentPublished(
    args: ReleaseArgs,
    client: RegistryClient,
    repository: string,
    result: NextResult,
): Promise<void> {
    if (args.resume) return; // resumePublish has just published it, or said why not
    const tag = formatReleaseTag(result.chart, result.current);
    if (result.released?.version !== result.current) return;
    if ((await client.listTags(repository)).includes(toOciTag(result.current))) return;
    if (!(await hasRemoteTag(args, tag))) return;
    throw new ChartReleaseError(
        `${result.chart} ${result.current} is released on ${args.remote}/${args.branch} (commit ` +
            `${result.released.sha.slice(0, 12)}, tag ${tag}) but missing from ${client.ref.host}/${repository}: ` +
            `its publish failed after the push. Finish it: re-run with --resume, which publishes it from the ` +
            `tag (unless another release run is publishing it right now)`,
        EXIT.publishAfterCommit,
    );
}

/** The refs `git push --porcelain` reports as already up to date (`=`): another run pushed the same objects. */
export function findUpToDateRefs(porcelain: string): string[] {
    return porcelain
        .split("\n")
        .filter((line) => line.startsWith("=\t"))
        .map((line) => line.split("\t")[1] ?? "");
}
