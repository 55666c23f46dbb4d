import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { buildHistory, RELEASE_TAG } from "./history";
import { LAUNCHER, measureStartup, runOnce, summarize, type Measure, type Sample } from "./measure";

const ROOT = path.resolve(__dirname, "..", "..");
// semantic-release and its monorepo plugin are the benchmark's own dependencies (bench/package.json), so that
// nobody installs them to run chart-release.
const SEMANTIC_RELEASE = path.join(
    __dirname,
    "node_modules",
    "semantic-release",
    "bin",
    "semantic-release.js",
);
const SIZES = (process.env.BENCH_SIZES ?? "1000,10000").split(",").filter(Boolean).map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NEXT_RUNS = Number(process.env.BENCH_NEXT_RUNS ?? 9);
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 15);

/** The targets, on medians measured in one run against the same repositories. */
const TARGETS = {
    /** `next` on a tiny repository over Node's start plus the same git log: at most. */
    startupOverFloor: 1.5,
    /** At 10,000 commits: at least. */
    semanticReleaseOverNext: 15,
    monorepoOverNext: 150,
};

interface Timing extends Measure {
    tool: string;
}

function chartRelease(repo: string, extra: string[] = []): string[] {
    return [process.execPath, LAUNCHER, "next", "--repo", repo, "--breaking-pre1", "major", ...extra];
}

/** Read semantic-release's answer from its log, as the corpus harness did. */
function readSemanticReleaseAnswer(log: string): string | null {
    const next = /next release version is (\S+)/.exec(log);
    if (next) return next[1];
    if (/There are no relevant changes/.test(log)) return null;
    throw new Error(`no answer in semantic-release output:\n${log.slice(-2000)}`);
}

function semanticRelease(cwd: string, config: string, origin: string): Sample {
    const args = [
        "--dry-run",
        "--no-ci",
        "--extends",
        config,
        "--repository-url",
        origin,
        "--branches",
        "main",
    ];
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [SEMANTIC_RELEASE, ...args], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, CI: "", GITHUB_ACTIONS: "" },
        maxBuffer: 1 << 30,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { answer: readSemanticReleaseAnswer(result.stdout + result.stderr), seconds };
}

function repeat(runs: number, sample: () => Sample): Measure {
    return summarize(Array.from({ length: runs }, sample));
}

function writeConfigs(dir: string): { plain: string; monorepo: string } {
    const plugins = `plugins: [["@semantic-release/commit-analyzer", { preset: "conventionalcommits" }]]`;
    // The config files live beside the benchmark's node_modules so that semantic-release resolves its plugins
    // there; the benchmark repositories themselves stay in the temp dir.
    const plain = path.join(dir, "sr-conventionalcommits.cjs");
    writeFileSync(plain, `module.exports = { tagFormat: "v\${version}", ${plugins} };\n`);
    const monorepo = path.join(dir, "srm-conventionalcommits.cjs");
    writeFileSync(monorepo, `module.exports = { ${plugins} };\n`);
    return { plain, monorepo: `semantic-release-monorepo,${monorepo}` };
}

function printTiming(tool: string, { answer, seconds, minSeconds, runs }: Measure): void {
    console.log(
        `  ${tool.padEnd(46)} ${String(answer).padEnd(8)} median ${seconds.toFixed(3)} s  min ${minSeconds.toFixed(3)} s  (${runs} runs)`,
    );
}

function printLoad(): void {
    console.log(
        `# load average ${loadavg()
            .map((l) => l.toFixed(2))
            .join(" ")}`,
    );
}

/** Start-up: `next` on a two-commit repository against Node's start plus the git log it runs. */
function benchStartup(work: string) {
    const repo = path.join(work, "history-2");
    buildHistory(repo, { commits: 2, chartEvery: 1, seed: 2 });
    printLoad();
    console.log("# start-up: 2 commits since the last release, interleaved runs");
    const m = measureStartup(repo, RELEASE_TAG, STARTUP_RUNS);
    printTiming("node -e 0", m.nodeStart);
    printTiming("git log (path-filtered, as next runs it)", m.gitLog);
    console.log(
        `  ${"floor = node -e 0 + git log".padEnd(46)} ${"".padEnd(8)} median ${m.floorSeconds.toFixed(3)} s`,
    );
    printTiming("chart-release next", m.next);
    console.log(`  next / floor = ${m.ratio.toFixed(2)}x (target <= ${TARGETS.startupOverFloor}x)`);
    return m;
}

function benchSize(commits: number, work: string, configs: { plain: string; monorepo: string }) {
    const repo = path.join(work, `history-${commits}`);
    const built = Date.now();
    const { origin } = buildHistory(repo, { commits, chartEvery: 10, seed: commits });
    printLoad();
    console.log(`# ${commits} commits built in ${((Date.now() - built) / 1000).toFixed(1)} s (${repo})`);
    const startup = measureStartup(repo, RELEASE_TAG, NEXT_RUNS, ["--breaking-pre1", "major"]);
    const timings: Timing[] = [];
    const record = (tool: string, measure: Measure) => {
        timings.push({ tool, ...measure });
        printTiming(tool, measure);
    };
    record("floor: node -e 0 + git log (medians)", {
        ...startup.gitLog,
        seconds: startup.floorSeconds,
        minSeconds: startup.nodeStart.minSeconds + startup.gitLog.minSeconds,
    });
    record("chart-release next (chart/)", startup.next);
    record(
        "chart-release next --path '**' (whole repo)",
        repeat(NEXT_RUNS, () => runOnce(chartRelease(repo, ["--path", "**"]))),
    );
    record(
        "semantic-release (whole repo)",
        repeat(RUNS, () => semanticRelease(repo, configs.plain, origin)),
    );
    // At 10,000 commits one run of the monorepo plugin takes about a minute: once is enough for a 150x margin.
    record(
        "semantic-release-monorepo (chart/)",
        repeat(commits >= 10_000 ? 1 : RUNS, () =>
            semanticRelease(path.join(repo, "chart"), configs.monorepo, origin),
        ),
    );
    const [, crChart, crWhole, sr, srm] = timings;
    if (crChart.answer !== srm.answer || crWhole.answer !== sr.answer) {
        throw new Error(`answers differ at ${commits} commits: ${JSON.stringify(timings)}`);
    }
    const ratios = {
        nextOverFloor: crChart.seconds / startup.floorSeconds,
        semanticReleaseOverNext: sr.seconds / crChart.seconds,
        monorepoOverNext: srm.seconds / crChart.seconds,
        semanticReleaseOverWholeRepoNext: sr.seconds / crWhole.seconds,
    };
    console.log(
        `  ratios (medians): next / floor = ${ratios.nextOverFloor.toFixed(2)}x, ` +
            `semantic-release / next = ${ratios.semanticReleaseOverNext.toFixed(1)}x, ` +
            `semantic-release-monorepo / next = ${ratios.monorepoOverNext.toFixed(1)}x, ` +
            `semantic-release / next --path '**' = ${ratios.semanticReleaseOverWholeRepoNext.toFixed(1)}x`,
    );
    return { commits, timings, ratios };
}

/** The targets this run met or missed (the 10,000-commit ones only when that size ran). */
function checkTargets(startupRatio: number, results: ReturnType<typeof benchSize>[]): string[] {
    const missed: string[] = [];
    if (startupRatio > TARGETS.startupOverFloor) {
        missed.push(`start-up: next / floor ${startupRatio.toFixed(2)}x > ${TARGETS.startupOverFloor}x`);
    }
    const large = results.find((r) => r.commits === 10_000);
    if (large && large.ratios.semanticReleaseOverNext < TARGETS.semanticReleaseOverNext) {
        missed.push(
            `10,000 commits: semantic-release / next ${large.ratios.semanticReleaseOverNext.toFixed(1)}x`,
        );
    }
    if (large && large.ratios.monorepoOverNext < TARGETS.monorepoOverNext) {
        missed.push(
            `10,000 commits: semantic-release-monorepo / next ${large.ratios.monorepoOverNext.toFixed(1)}x`,
        );
    }
    return missed;
}

function main(): void {
    if (!existsSync(LAUNCHER.replace(/bin[/\\]chart-release$/, path.join("dist", "cli.cjs")))) {
        throw new Error("chart-release/dist/cli.cjs is missing: run `npm run build --prefix chart-release`");
    }
    if (!existsSync(SEMANTIC_RELEASE)) {
        throw new Error("semantic-release is missing: run `npm ci --prefix chart-release/bench` first");
    }
    const work = path.join(tmpdir(), `chart-release-bench-${process.pid}`);
    const resultsDir = path.join(ROOT, "bench-results");
    mkdirSync(work, { recursive: true });
    mkdirSync(resultsDir, { recursive: true });
    const configs = writeConfigs(__dirname);
    try {
        const startup = benchStartup(work);
        const results = SIZES.map((size) => benchSize(size, work, configs));
        const file = path.join(resultsDir, "versioning.json");
        const machine = { cpus: cpus().length, loadAverage: loadavg().map((l) => Number(l.toFixed(2))) };
        const missed = checkTargets(startup.ratio, results);
        const report = {
            date: new Date().toISOString(),
            node: process.version,
            machine,
            targets: TARGETS,
            startup,
            results,
            missed,
        };
        writeFileSync(file, JSON.stringify(report, null, 2));
        console.log(
            `machine: ${machine.cpus} CPUs, load average ${machine.loadAverage.join(" ")} at the end`,
        );
        console.log(`results written to ${file}`);
        for (const line of missed) console.log(`TARGET MISSED: ${line}`);
        if (missed.length === 0) console.log("all targets met");
        // A missed target fails the run, unless asked only to report (a machine too busy to judge).
        if (missed.length > 0 && process.env.BENCH_REPORT_ONLY !== "1") process.exitCode = 1;
    } finally {
        rmSync(work, { recursive: true, force: true });
        rmSync(configs.plain, { force: true });
        rmSync(configs.monorepo.split(",")[1], { force: true });
    }
}

main();
