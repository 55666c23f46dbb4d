import path from "node:path";
import { readChart } from "./chart";
import {
    analyzeCommits,
    computeBump,
    computeNextVersion,
    type AnalyzedCommit,
    type Bump,
} from "./conventional";
import { buildPathspecs, findLastVersionChange, readCommits, resolveCommit } from "./git";

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
    const chart = await readChart(options.repo, chartDir);
    const head = await resolveCommit(options.repo, "HEAD", "--repo");
    const base =
        options.since !== undefined
            ? await resolveCommit(options.repo, options.since, "--since")
            : await findLastVersionChange(options.repo, chart.file);
    const range = base === null ? head : `${base}..${head}`;
    const raw = await readCommits(options.repo, range, buildPathspecs(chartDir, options.paths));
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

/** The `--json` shape documented in the README. */
export function formatNextJson(result: NextResult): string {
    return JSON.stringify({
        current: result.current,
        next: result.next,
        bump: result.bump,
        commits: result.commits.map(({ sha, type, breaking, subject }) => ({ sha, type, breaking, subject })),
    });
}
