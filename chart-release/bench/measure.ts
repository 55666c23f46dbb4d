import { spawnSync } from "node:child_process";
import path from "node:path";

/** The installed bin, running the built bundle (dist/cli.cjs) as users and CI run it. */
export const LAUNCHER = path.resolve(__dirname, "..", "bin", "chart-release");

export interface Sample {
    /** What the command printed (trimmed), or null when it printed nothing. */
    answer: string | null;
    seconds: number;
}

export interface Measure {
    answer: string | null;
    /** Median wall time, and the minimum: on a shared machine the minimum is the least disturbed run. */
    seconds: number;
    minSeconds: number;
    runs: number;
}

/** Run one command to completion and time it (spawnSync: no event-loop work of ours inside the timing). */
export function runOnce(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Sample {
    const started = process.hrtime.bigint();
    const result = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", env, maxBuffer: 1 << 30 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status !== 0) {
        throw new Error(`${argv.join(" ")} exited ${result.status}: ${result.stderr.slice(-2000)}`);
    }
    return { answer: result.stdout.trim() || null, seconds };
}

export function summarize(samples: readonly Sample[]): Measure {
    const seconds = samples.map((s) => s.seconds).sort((a, b) => a - b);
    const answers = new Set(samples.map((s) => s.answer));
    if (answers.size > 1) throw new Error(`answer changed between runs: ${[...answers].join(" / ")}`);
    return {
        answer: samples[0]?.answer ?? null,
        seconds: seconds[Math.floor(seconds.length / 2)],
        minSeconds: seconds[0],
        runs: seconds.length,
    };
}

/**
 * Time several commands `runs` times each, round robin: a change of machine load during the measurement then
 * hits every command alike, which is what makes their ratios meaningful on a busy machine.
 */
export function timeInterleaved<K extends string>(
    commands: Readonly<Record<K, readonly string[]>>,
    runs: number,
): Record<K, Measure> {
    const names = Object.keys(commands) as K[];
    const samples = Object.fromEntries(names.map((name) => [name, [] as Sample[]])) as Record<K, Sample[]>;
    for (const name of names) runOnce(commands[name]); // warm the page cache and V8's compile cache
    for (let i = 0; i < runs; i++) {
        for (const name of names) samples[name].push(runOnce(commands[name]));
    }
    return Object.fromEntries(names.map((name) => [name, summarize(samples[name])])) as Record<K, Measure>;
}

/**
 * The `git log` that `next` runs on its fast path (from the release tag, path-limited): the part of a run
 * that no tool can skip. Kept in step with readCommits in src/git.ts.
 */
export function floorGitLog(repo: string, releaseTag: string): string[] {
    return [
        "git",
        "-C",
        repo,
        "log",
        "-z",
        "--no-merges",
        "--full-history",
        "--format=%H%x1f%B",
        `refs/tags/${releaseTag}..HEAD`,
        "--",
        ":(literal)chart",
    ];
}

export interface StartupMeasure {
    nodeStart: Measure;
    gitLog: Measure;
    next: Measure;
    /** Node's own start plus the git walk: what a run cannot go below. */
    floorSeconds: number;
    /** `next` over the floor, from medians. */
    ratio: number;
}

/** `chart-release next` against the floor (`node -e 0` + the same `git log`), interleaved, medians. */
export function measureStartup(
    repo: string,
    releaseTag: string,
    runs: number,
    extra: string[] = [],
): StartupMeasure {
    const m = timeInterleaved(
        {
            nodeStart: [process.execPath, "-e", "0"],
            gitLog: floorGitLog(repo, releaseTag),
            next: [process.execPath, LAUNCHER, "next", "--repo", repo, ...extra],
        },
        runs,
    );
    const floorSeconds = m.nodeStart.seconds + m.gitLog.seconds;
    return {
        ...m,
        gitLog: { ...m.gitLog, answer: null },
        floorSeconds,
        ratio: m.next.seconds / floorSeconds,
    };
}
