import { readChart } from "./chart";
import {
    analyzeCommits,
    computeBump,
    computeNextVersion,
    loadMessageParser,
    type AnalyzedCommit,
    type Bump,
} from "./conventional";
import {
    buildPathspecs,
    changesVersionLine,
    findLastReleaseCommit,
    findLastVersionChange,
    readCommitObjects,
    readCommits,
    readCommitsWithFiles,
    resolveCommit,
    resolveHead,
    type RawCommitWithFiles,
} from "./git";
import { assertNotShallow, resolveRepoPath, validatePathGlobs } from "./safety";
import { formatReleaseTag, hasReleaseTrailer } from "./sync";

export interface NextOptions {
    repo: string;
    chart: string;
    paths: readonly string[];
    since?: string;
    pre1BreakingBumpsMinor: boolean;
    /** The caller already refused a shallow clone (release does, once per run, before its retry loop). */
    shallowChecked?: boolean;
}

export interface NextResult {
    chart: string;
    current: string;
    next: string | null;
    bump: Bump | null;
    /** The commit the range starts after (exclusive), or null when the whole history counts. */
    base: string | null;
    head: string;
    commits: AnalyzedCommit[];
}

/** The chart folder given on the command line as a repo-relative path; outside the repository is refused. */
export function normalizeChartDir(repo: string, chart: string): string {
    return resolveRepoPath(repo, chart, "--chart");
}

/**
 * Compute the next chart version from the commits since the last release that touch the chart's paths.
 * The last release is the last commit that changed Chart.yaml's `version:` line, or `since` when given.
 */
export async function computeNext(options: NextOptions): Promise<NextResult> {
    const chartDir = normalizeChartDir(options.repo, options.chart);
    validatePathGlobs(options.paths);
    // Load the parser while git walks the history; both take tens of milliseconds. A failure here is not
    // lost: analyzeCommits awaits the same promise below and throws it.
    void loadMessageParser().catch(() => undefined);
    // Checked alongside the walk (no extra latency); awaited before any answer is given.
    const shallow = options.shallowChecked ? Promise.resolve() : assertNotShallow(options.repo);
    shallow.catch(() => undefined); // awaited below; this only keeps an early rejection from going unhandled
    // Chart.yaml first (a file read), so that HEAD and the release tag are looked up by git at once. When it
    // is missing, a --repo that is no repository is the better explanation, so that check runs first.
    const chart = await readChart(options.repo, chartDir).catch(async (error: unknown) => {
        await resolveHead(options.repo);
        throw error;
    });
    const pathspecs = buildPathspecs(chartDir, options.paths);
    const tagRef = `refs/tags/${formatReleaseTag(chart.name, chart.version)}`;
    // Speculatively walk from the release tag while git reads HEAD and the tagged commit: the walk is the
    // slow part, and the tag nearly always turns out to be our release commit.
    const walkFromTag =
        options.since === undefined
            ? // null when the tag does not exist (git: unknown revision); the fallback walk below then runs,
              // and any other failure of git shows up there again, so nothing is lost by this catch.
              readCommitsWithFiles(options.repo, `${tagRef}..HEAD`, pathspecs).catch(() => null)
            : Promise.resolve(null);
    // One git process for HEAD and the tagged commit. A tagged commit that carries our trailer for this very
    // version is a release commit chart-release made, so it is known to have set the version line.
    const [headObject, tagObject] = await readCommitObjects(options.repo, ["HEAD", tagRef]).catch(
        async (error: unknown) => {
            await resolveHead(options.repo);
            throw error;
        },
    );
    // No HEAD: resolveHead throws the precise reason (no repository, or no commit yet).
    const head = headObject?.sha ?? (await resolveHead(options.repo));
    const released =
        tagObject !== null && hasReleaseTrailer(tagObject.message, chart.name, chart.version)
            ? { sha: tagObject.sha, walk: walkFromTag }
            : null;
    const { base, raw } =
        options.since !== undefined
            ? await readSince(
                  options.repo,
                  await resolveCommit(options.repo, options.since, "--since"),
                  head,
                  pathspecs,
              )
            : await readSinceLastVersionChange(
                  options.repo,
                  chart.name,
                  released,
                  chart.file,
                  head,
                  pathspecs,
              );
    await shallow;
    const commits = await analyzeCommits(raw, chart.version, {
        pre1BreakingBumpsMinor: options.pre1BreakingBumpsMinor,
    });
    const bump = computeBump(commits);
    return {
        chart: chart.name,
        current: chart.version,
        next: computeNextVersion(chart.version, bump),
        bump,
        base,
        head,
        commits,
    };
}

async function readSince(repo: string, base: string | null, head: string, pathspecs: string[]) {
    return { base, raw: await readCommits(repo, base === null ? head : `${base}..${head}`, pathspecs) };
}

/**
 * Commits since the last change of the `version:` line, in one path-limited walk when possible. The start is
 * the release commit of the current version (`released`, from its tag), else the newest commit with a
 * `Chart-Release:` trailer for this chart once a diff confirms it set the version line. The walk from there
 * also lists changed files, which shows whether a later commit edited the version line by hand; that commit
 * then becomes the start. Without any release commit, git searches the whole history for the line (`-G`),
 * the ADR's heuristic, at the cost of a second walk.
 */
async function readSinceLastVersionChange(
    repo: string,
    chartName: string,
    released: { sha: string; walk: Promise<RawCommitWithFiles[] | null> } | null,
    chartYaml: string,
    head: string,
    pathspecs: string[],
) {
    const candidate = released?.sha ?? (await findLastReleaseCommit(repo, chartName));
    if (candidate !== null) {
        // Verify a trailer-only candidate while walking from it; the walk is only wasted on the rare miss.
        const [isVersionChange, listed] = await Promise.all([
            released !== null || changesVersionLine(repo, candidate, chartYaml),
            (released ? released.walk : Promise.resolve(null)).then(
                (walked) => walked ?? readCommitsWithFiles(repo, `${candidate}..${head}`, pathspecs),
            ),
        ]);
        if (isVersionChange) {
            for (const commit of listed) {
                if (
                    commit.files.includes(chartYaml) &&
                    (await changesVersionLine(repo, commit.sha, chartYaml))
                ) {
                    return readSince(repo, commit.sha, head, pathspecs);
                }
            }
            return {
                base: candidate as string | null,
                raw: listed.map(({ sha, message }) => ({ sha, message })),
            };
        }
    }
    return readSince(repo, await findLastVersionChange(repo, chartYaml), head, pathspecs);
}

/** The `--json` shape documented in the README. */
export function formatNextJson(result: NextResult): string {
    return JSON.stringify({
        current: result.current,
        next: result.next,
        bump: result.bump,
        commits: result.commits.map(({ sha, type, breaking, subject }) => ({ sha, type, breaking, subject })),
    });
}
