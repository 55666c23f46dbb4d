import { realpathSync } from "node:fs";
import path from "node:path";
import { isStrictSemver, parseChartYaml, readChart, type ChartMetadata } from "./chart";
import type { VersionSource } from "./deploy";
import {
    analyzeCommits,
    computeBump,
    computeNextVersion,
    loadMessageParser,
    type AnalyzedCommit,
    type Bump,
} from "./conventional";
import { ChartReleaseError, EXIT } from "./errors";
import {
    buildPathspecs,
    commitMessage,
    readCommits,
    readObjects,
    resolveCommit,
    resolveHead,
    runGit,
} from "./git";
import {
    describeFileChange,
    findLastReleaseCommit,
    findLastVersionChange,
    listChangedChartYamls,
    listChartYamlRenames,
    type ReleaseCommit,
} from "./history";
import { assertNotShallow, resolveRepoPath, validatePathGlobs } from "./safety";
import { formatReleaseTag, hasReleaseTrailer } from "./sync";
import { compareVersions } from "./versions";

export interface NextOptions {
    repo: string;
    chart: string;
    paths: readonly string[];
    since?: string;
    pre1BreakingBumpsMinor: boolean;
    /** The caller already refused a shallow clone (release does, once per run, before its retry loop). */
    shallowChecked?: boolean;
    /** Compute at this commit instead of HEAD and the work tree (a dry run of a HEAD behind the remote). */
    revision?: string;
    /** `oci-tag`: the last release is the highest release tag merged into HEAD, Chart.yaml holds the first. */
    versionSource?: VersionSource;
}

/**
 * Why `next` is what it is: `commits` bumps the last release by the commits since; `first-version` is a chart
 * never released, published at the version it was added with; `set-by-hand` is a version someone wrote on
 * the branch after the last release, published as written.
 */
export type NextReason = "commits" | "first-version" | "set-by-hand";

export interface NextResult {
    chart: string;
    current: string;
    next: string | null;
    bump: Bump | null;
    reason: NextReason | null;
    /** The commit the range starts after (exclusive), or null when the whole history counts. */
    base: string | null;
    head: string;
    commits: AnalyzedCommit[];
    /** The last release commit chart-release made for this chart (its trailer), if any. */
    released: ReleaseCommit | null;
    /** Chart.yaml's path, relative to the repository. */
    chartFile: string;
    fields: Record<string, unknown>;
}

/**
 * The chart folder given on the command line as a repo-relative path; outside the repository is refused. A
 * symlink is resolved to its target: git records the target's commits under the target's path, so a path
 * filter on the link would see none of them.
 */
export function normalizeChartDir(repo: string, chart: string): string {
    const given = resolveRepoPath(repo, chart, "--chart");
    let real: string;
    try {
        real = realpathSync(path.join(repo, given));
    } catch {
        return given; // a missing folder: readChart says so, naming it
    }
    const root = realpathSync(repo);
    return resolveRepoPath(root, real === root ? "." : real, "--chart");
}

async function readChartAt(repo: string, revision: string, chartDir: string) {
    const file = path.posix.join(chartDir, "Chart.yaml");
    let text: string;
    try {
        text = await runGit(repo, ["show", `${revision}:${file}`]);
    } catch {
        throw new ChartReleaseError(`--chart ${chartDir}: no Chart.yaml at ${revision}`, EXIT.invalidInput);
    }
    return { ...parseChartYaml(text, file), file };
}

interface Range {
    base: string | null;
    pathspecs: string[];
    released: ReleaseCommit | null;
    /** How the version follows from the commits. */
    kind: "bump" | "first-version" | "release-commit";
}

/**
 * Compute the next chart version from the commits since the last release that touch the chart's paths. The
 * last release is what a release wrote: the newest commit with this chart's `Chart-Release:` trailer (its
 * tag finds it at once). A later hand edit of `version:` does not move the start, so no merged commit is
 * skipped; the version written by hand is then released as written, or bumped when the commits call for
 * more. A chart that chart-release never released is either new (published first at the version it was
 * added with) or adopted (its last change of the version line stands for the last release, the ADR's
 * heuristic). `since` overrides the start.
 */
export async function computeNext(options: NextOptions): Promise<NextResult> {
    const chartDir = normalizeChartDir(options.repo, options.chart);
    validatePathGlobs(options.paths);
    const rev = options.revision ?? "HEAD";
    // Load the parser while git walks the history; both take tens of milliseconds. A failure here is not
    // lost: analyzeCommits awaits the same promise below and throws it.
    void loadMessageParser().catch(() => undefined);
    // Checked alongside the walk (no extra latency); awaited before any answer is given.
    const shallow = options.shallowChecked ? Promise.resolve() : assertNotShallow(options.repo);
    shallow.catch(() => undefined); // awaited below; this only keeps an early rejection from going unhandled
    // Chart.yaml first (a file read), so that HEAD and the release tag are looked up by git at once. When it
    // is missing, a --repo that is no repository is the better explanation, so that check runs first.
    const chart = await (
        options.revision === undefined
            ? readChart(options.repo, chartDir)
            : readChartAt(options.repo, rev, chartDir)
    ).catch(async (error: unknown) => {
        await resolveHead(options.repo);
        throw error;
    });
    const pathspecs = buildPathspecs(chartDir, options.paths);
    const tagRef = `refs/tags/${formatReleaseTag(chart.name, chart.version)}`;
    // Speculatively walk from the release tag while git reads HEAD and the tagged commit: the walk is the
    // slow part, and the tag nearly always turns out to be our release commit in the same folder.
    const walkFromTag =
        options.since === undefined
            ? // null when the tag does not exist (git: unknown revision); the fallback walk below then runs,
              // and any other failure of git shows up there again, so nothing is lost by this catch.
              readCommits(options.repo, `${tagRef}..${rev}`, pathspecs).catch(() => null)
            : Promise.resolve(null);
    // One git process for HEAD, the tagged commit and whether the chart was in this folder at the tag.
    const [headObject, tagObject, taggedChartYaml] = await readObjects(options.repo, [
        `${rev}^{commit}`,
        `${tagRef}^{commit}`,
        `${tagRef}:${chart.file}`,
    ]).catch(async (error: unknown) => {
        await resolveHead(options.repo);
        throw error;
    });
    // No HEAD: resolveHead throws the precise reason (no repository, or no commit yet).
    const head = headObject?.sha ?? (await resolveHead(options.repo));
    const tagged =
        tagObject !== null && hasReleaseTrailer(commitMessage(tagObject), chart.name, chart.version)
            ? { sha: tagObject.sha, version: chart.version }
            : null;
    let range: Range;
    let raw: { sha: string; message: string }[];
    if (options.versionSource === "oci-tag") {
        range = await findTagRange(options.repo, chart.name, head, pathspecs, options.since);
        raw =
            range.kind === "first-version"
                ? []
                : await readCommits(
                      options.repo,
                      range.base === null ? head : `${range.base}..${head}`,
                      pathspecs,
                  );
    } else if (options.since !== undefined) {
        const base = await resolveCommit(options.repo, options.since, "--since");
        range = { base, pathspecs, released: null, kind: "bump" };
        raw = await readCommits(options.repo, `${base}..${head}`, pathspecs);
    } else if (tagged !== null && taggedChartYaml !== null) {
        range = { base: tagged.sha, pathspecs, released: tagged, kind: "release-commit" };
        raw = (await walkFromTag) ?? (await readCommits(options.repo, `${tagged.sha}..${head}`, pathspecs));
    } else {
        range = await findRange(options.repo, chart, chartDir, options.paths, head, tagged);
        raw = await readCommits(
            options.repo,
            range.base === null ? head : `${range.base}..${head}`,
            range.pathspecs,
        );
    }
    await shallow;
    const commits = await analyzeCommits(raw, chart.version, {
        pre1BreakingBumpsMinor: options.pre1BreakingBumpsMinor,
    });
    const bump = computeBump(commits);
    // In oci-tag mode the current version is the last release tag's; Chart.yaml's only names the first.
    const current =
        options.versionSource === "oci-tag" ? (range.released?.version ?? chart.version) : chart.version;
    const { next, reason } = decideVersion({ ...chart, version: current }, range, bump);
    return {
        chart: chart.name,
        current,
        next,
        bump,
        reason,
        base: range.base,
        head,
        commits,
        released: range.released,
        chartFile: chart.file,
        fields: chart.fields,
    };
}

/**
 * versionSource oci-tag: nothing is committed, so the last release is the highest `<chart>-<version>` tag
 * merged into HEAD (a strict SemVer version; another chart's `<chart>-extra-…` tags do not parse as one). No
 * such tag: the chart's first release, at Chart.yaml's version. `since` still overrides the start.
 */
async function findTagRange(
    repo: string,
    chart: string,
    head: string,
    pathspecs: string[],
    since: string | undefined,
): Promise<Range> {
    const out = await runGit(repo, [
        "tag",
        "--list",
        `${chart}-*`,
        "--merged",
        head,
        "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)",
    ]);
    let newest: ReleaseCommit | null = null;
    for (const line of out.split("\n").filter((l) => l !== "")) {
        const [name, object, peeled] = line.split("\0");
        const version = name.slice(chart.length + 1);
        if (!isStrictSemver(version)) continue;
        if (newest === null || compareVersions(version, newest.version) > 0) {
            newest = { sha: peeled || object, version };
        }
    }
    if (since !== undefined) {
        const base = await resolveCommit(repo, since, "--since");
        return { base, pathspecs, released: newest, kind: "release-commit" };
    }
    if (newest === null) return { base: null, pathspecs, released: null, kind: "first-version" };
    return { base: newest.sha, pathspecs, released: newest, kind: "release-commit" };
}

/** The next version from the current one, the range's kind and the commits' bump. */
function decideVersion(
    chart: ChartMetadata & { file: string },
    range: Range,
    bump: Bump | null,
): { next: string | null; reason: NextReason | null } {
    const current = chart.version;
    if (range.kind === "first-version") return { next: current, reason: "first-version" };
    const released = range.released;
    if (range.kind === "bump" || released === null || released.version === current) {
        const next = computeNextVersion(current, bump);
        return { next, reason: next === null ? null : "commits" };
    }
    // The version line was edited by hand since the last release.
    if (compareVersions(current, released.version) < 0) {
        throw new ChartReleaseError(
            `${chart.file}: version ${current} is below ${released.version}, which chart-release released in ` +
                `${released.sha.slice(0, 12)}: a version written by hand must be above the last release. Set it ` +
                `to ${released.version} (the commits since then decide the bump) or to the version to publish next`,
            EXIT.invalidInput,
        );
    }
    const required = computeNextVersion(released.version, bump);
    if (required === null || compareVersions(current, required) >= 0) {
        return { next: current, reason: "set-by-hand" };
    }
    // Written by hand, but below what the commits since the release call for: bump it like a release.
    return { next: computeNextVersion(current, bump), reason: "commits" };
}

/**
 * The start of the range when the current version's tag does not lead to its release commit in this folder:
 * the newest release commit (the version was set by hand since, or its tag is missing, or the chart folder
 * moved), else the adoption heuristic.
 */
async function findRange(
    repo: string,
    chart: ChartMetadata & { file: string },
    chartDir: string,
    globs: readonly string[],
    head: string,
    tagged: ReleaseCommit | null,
): Promise<Range> {
    const release = tagged ?? (await findLastReleaseCommit(repo, chart.name, head));
    if (release !== null) {
        const [changed, renames] = await Promise.all([
            listChangedChartYamls(repo, release.sha),
            listChartYamlRenames(repo, `${release.sha}..${head}`),
        ]);
        // A first version's release commit changes no file (the version was already written): no folder then.
        const dirs = collectFormerDirs(chart.file, renames, changed);
        return {
            base: release.sha,
            pathspecs: buildPathspecs(chartDir, globs, dirs),
            released: release,
            kind: "release-commit",
        };
    }
    // Never released by chart-release: the last change of the version line, following renames of the folder.
    const formerDirs: string[] = [];
    let file = chart.file;
    let rev = head;
    for (let hops = 0; hops < 50; hops++) {
        const change = await findLastVersionChange(repo, file, rev);
        if (change === null) break;
        const how = await describeFileChange(repo, change, file);
        if (how.kind === "renamed" && !(await isVersionChangedByRename(repo, change, how.from, file))) {
            formerDirs.push(path.posix.dirname(how.from));
            [file, rev] = [how.from, `${change}^`];
            continue;
        }
        const pathspecs = buildPathspecs(chartDir, globs, formerDirs);
        if (how.kind === "added") return { base: null, pathspecs, released: null, kind: "first-version" };
        return { base: change, pathspecs, released: null, kind: "bump" };
    }
    return {
        base: null,
        pathspecs: buildPathspecs(chartDir, globs, formerDirs),
        released: null,
        kind: "bump",
    };
}

/** Whether the commit that moved Chart.yaml from `from` to `to` also changed its `version:` line. */
async function isVersionChangedByRename(
    repo: string,
    sha: string,
    from: string,
    to: string,
): Promise<boolean> {
    const [before, after] = await readObjects(repo, [`${sha}^:${from}`, `${sha}:${to}`]);
    const versionLine = (text: string | undefined) => /^version[ \t]*:.*$/m.exec(text ?? "")?.[0].trim();
    return versionLine(before?.content) !== versionLine(after?.content);
}

/** The folders the chart had since its release: the one the release commit wrote, and each renamed from. */
function collectFormerDirs(file: string, renames: readonly [string, string][], atRelease: readonly string[]) {
    const files = new Set([file]);
    // Newest first from git log: follow each rename back from the current path.
    for (const [from, to] of renames) if (files.has(to)) files.add(from);
    if (!atRelease.some((f) => files.has(f))) for (const f of atRelease) files.add(f);
    // `files` only grows from `file` and the renames and release commit of this very chart.
    files.delete(file);
    return [...files].map((f) => path.posix.dirname(f));
}

/** The `--json` shape documented in the README. */
export function formatNextJson(result: NextResult): string {
    return JSON.stringify({
        current: result.current,
        next: result.next,
        bump: result.bump,
        reason: result.reason,
        commits: result.commits.map(({ sha, type, breaking, subject }) => ({ sha, type, breaking, subject })),
    });
}
