import path from "node:path";
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
    readCommits,
    readCommitsWithFiles,
    resolveCommit,
    resolveHead,
    resolveRevisions,
} from "./git";
import { formatReleaseTag } from "./sync";

export interface NextOptions {
    repo: string;
    chart: string;
    paths: readonly string[];
    since?: string;
    pre1BreakingBumpsMinor: boolean;
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

/** Normalise a chart folder given on the command line to a repo-relative path without a trailing slash. */
export function normalizeChartDir(chart: string): string {
    const normalized = path.posix.normalize(chart.replaceAll("\\", "/")).replace(/\/+$/, "");
    return normalized === "" ? "." : normalized;
}

/**
 * Compute the next chart version from the commits since the last release that touch the chart's paths.
 * The last release is the last commit that changed Chart.yaml's `version:` line, or `since` when given.
 */
export async function computeNext(options: NextOptions): Promise<NextResult> {
    const chartDir = normalizeChartDir(options.chart);
    // Load the parser while git walks the history; both take tens of milliseconds.
    void loadMessageParser().catch(() => undefined);
    // Chart.yaml first (a file read), so that HEAD and the release tag are looked up by git at once. When it
    // is missing, a --repo that is no repository is the better explanation, so that check runs first.
    const chart = await readChart(options.repo, chartDir).catch(async (error: unknown) => {
        await resolveHead(options.repo);
        throw error;
    });
    const [resolvedHead, tagged] = await resolveRevisions(options.repo, [
        "HEAD",
        `refs/tags/${formatReleaseTag(chart.name, chart.version)}`,
    ]).catch(async (error: unknown) => {
        await resolveHead(options.repo);
        throw error;
    });
    // No HEAD: resolveHead throws the precise reason (no repository, or no commit yet).
    const head = resolvedHead ?? (await resolveHead(options.repo));
    const pathspecs = buildPathspecs(chartDir, options.paths);
    const { base, raw } =
        options.since !== undefined
            ? await readSince(
                  options.repo,
                  await resolveCommit(options.repo, options.since, "--since"),
                  head,
                  pathspecs,
              )
            : await readSinceLastVersionChange(options.repo, chart.name, tagged, chart.file, head, pathspecs);
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
 * Commits since the last change of the `version:` line. Fast path: the release commit of the current version
 * (its `<chart>-<version>` tag, else the newest commit with its `Chart-Release:` trailer) is the candidate, and one path-limited walk from it both lists the commits and shows whether
 * a later commit edited the version line by hand, in which case that commit is the base. Without a release
 * commit, git searches the whole history for the line (`-G`), which costs a second walk.
 */
async function readSinceLastVersionChange(
    repo: string,
    chartName: string,
    tagged: string | null,
    chartYaml: string,
    head: string,
    pathspecs: string[],
) {
    const candidate = tagged ?? (await findLastReleaseCommit(repo, chartName));
    if (candidate !== null) {
        // Verify the candidate and walk from it at the same time; the walk is only wasted on the rare miss.
        const [isVersionChange, listed] = await Promise.all([
            changesVersionLine(repo, candidate, chartYaml),
            readCommitsWithFiles(repo, `${candidate}..${head}`, pathspecs),
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
