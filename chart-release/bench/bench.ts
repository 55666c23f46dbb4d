import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { buildHistory } from "./history";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const LAUNCHER = path.join(ROOT, "chart-release", "bin", "chart-release");
const SEMANTIC_RELEASE = path.join(ROOT, "node_modules", "semantic-release", "bin", "semantic-release.js");
const SIZES = (process.env.BENCH_SIZES ?? "1000,10000").split(",").map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Measure {
    answer: string | null;
    /** Median wall time, and the minimum: on a shared machine the minimum is the least disturbed run. */
    seconds: number;
    minSeconds: number;
}

interface Timing extends Measure {
    tool: string;
}

async function time(runs: number, fn: () => Promise<string | null>): Promise<Measure> {
    const samples: number[] = [];
    let answer: string | null = null;
    for (let i = 0; i < runs; i++) {
        const started = process.hrtime.bigint();
        const result = await fn();
        samples.push(Number(process.hrtime.bigint() - started) / 1e9);
        if (i > 0 && result !== answer)
            throw new Error(`answer changed between runs: ${answer} then ${result}`);
        answer = result;
    }
    samples.sort((a, b) => a - b);
    return { answer, seconds: samples[Math.floor(samples.length / 2)], minSeconds: samples[0] };
}

async function chartRelease(repo: string, extra: string[]): Promise<string | null> {
    const { stdout } = await run(process.execPath, [
        LAUNCHER,
        "next",
        "--repo",
        repo,
        "--breaking-pre1",
        "major",
        ...extra,
    ]);
    return stdout.trim() || null;
}

/** Read semantic-release's answer from its log, as the corpus harness did. */
function readSemanticReleaseAnswer(log: string): string | null {
    const next = /next release version is (\S+)/.exec(log);
    if (next) return next[1];
    if (/There are no relevant changes/.test(log)) return null;
    throw new Error(`no answer in semantic-release output:\n${log.slice(-2000)}`);
}

async function semanticRelease(cwd: string, config: string, origin: string): Promise<string | null> {
    const { stdout, stderr } = await run(
        process.execPath,
        [
            SEMANTIC_RELEASE,
            "--dry-run",
            "--no-ci",
            "--extends",
            config,
            "--repository-url",
            origin,
            "--branches",
            "main",
        ],
        { cwd, env: { ...process.env, CI: "", GITHUB_ACTIONS: "" }, maxBuffer: 1 << 30 },
    );
    return readSemanticReleaseAnswer(stdout + stderr);
}

function writeConfigs(dir: string): { plain: string; monorepo: string } {
    const plugins = `plugins: [["@semantic-release/commit-analyzer", { preset: "conventionalcommits" }]]`;
    // The config files live under the project so that semantic-release resolves its plugins from our
    // node_modules; the benchmark repositories themselves stay in the temp dir.
    const plain = path.join(dir, "sr-conventionalcommits.cjs");
    writeFileSync(plain, `module.exports = { tagFormat: "v\${version}", ${plugins} };\n`);
    const monorepo = path.join(dir, "srm-conventionalcommits.cjs");
    writeFileSync(monorepo, `module.exports = { ${plugins} };\n`);
    return { plain, monorepo: `semantic-release-monorepo,${monorepo}` };
}

async function benchSize(commits: number, work: string, configs: { plain: string; monorepo: string }) {
    const repo = path.join(work, `history-${commits}`);
    const built = Date.now();
    const { origin } = buildHistory(repo, { commits, chartEvery: 10, seed: commits });
    console.log(
        `# load average ${loadavg()
            .map((l) => l.toFixed(2))
            .join(" ")}`,
    );
    console.log(`# ${commits} commits built in ${((Date.now() - built) / 1000).toFixed(1)} s (${repo})`);
    const timings: Timing[] = [];
    const record = (tool: string, result: Measure) => {
        timings.push({ tool, ...result });
        const { answer, seconds, minSeconds } = result;
        console.log(
            `  ${tool.padEnd(44)} ${String(answer).padEnd(8)} median ${seconds.toFixed(3)} s  min ${minSeconds.toFixed(3)} s`,
        );
    };
    record("chart-release next (chart/)", await time(RUNS, () => chartRelease(repo, [])));
    record(
        "chart-release next --path '**' (whole repo)",
        await time(RUNS, () => chartRelease(repo, ["--path", "**"])),
    );
    record(
        "semantic-release (whole repo)",
        await time(RUNS, () => semanticRelease(repo, configs.plain, origin)),
    );
    const monorepoRuns = commits >= 10_000 ? 1 : RUNS;
    record(
        "semantic-release-monorepo (chart/)",
        await time(monorepoRuns, () => semanticRelease(path.join(repo, "chart"), configs.monorepo, origin)),
    );
    const [crChart, crWhole, sr, srm] = timings;
    if (crChart.answer !== srm.answer || crWhole.answer !== sr.answer) {
        throw new Error(`answers differ at ${commits} commits: ${JSON.stringify(timings)}`);
    }
    return {
        commits,
        timings,
        // The headline: what a CI job pays for the next version with each tool (medians; `min` from the
        // least disturbed runs). Like for like: plain semantic-release against `next --path '**'`, both
        // analysing every commit of the repository.
        ratios: {
            semanticReleaseOverNext: sr.seconds / crChart.seconds,
            monorepoOverNext: srm.seconds / crChart.seconds,
            semanticReleaseOverWholeRepoNext: sr.seconds / crWhole.seconds,
        },
        minRatios: {
            semanticReleaseOverNext: sr.minSeconds / crChart.minSeconds,
            monorepoOverNext: srm.minSeconds / crChart.minSeconds,
            semanticReleaseOverWholeRepoNext: sr.minSeconds / crWhole.minSeconds,
        },
    };
}

async function main(): Promise<void> {
    const work = path.join(tmpdir(), `chart-release-bench-${process.pid}`);
    const resultsDir = path.join(ROOT, "bench-results");
    mkdirSync(work, { recursive: true });
    mkdirSync(resultsDir, { recursive: true });
    const configs = writeConfigs(path.join(ROOT, "chart-release", "bench"));
    try {
        const results = [];
        for (const size of SIZES) {
            const result = await benchSize(size, work, configs);
            results.push(result);
            for (const [label, ratios] of [
                ["median", result.ratios],
                ["min", result.minRatios],
            ] as const) {
                console.log(
                    `  ratios (${label}): semantic-release / next = ${ratios.semanticReleaseOverNext.toFixed(1)}x, ` +
                        `semantic-release-monorepo / next = ${ratios.monorepoOverNext.toFixed(1)}x, ` +
                        `semantic-release / next --path '**' = ${ratios.semanticReleaseOverWholeRepoNext.toFixed(1)}x`,
                );
            }
        }
        const file = path.join(resultsDir, "versioning.json");
        const machine = { cpus: cpus().length, loadAverage: loadavg().map((l) => Number(l.toFixed(2))) };
        writeFileSync(file, JSON.stringify({ node: process.version, machine, runs: RUNS, results }, null, 2));
        console.log(
            `machine: ${machine.cpus} CPUs, load average ${machine.loadAverage.join(" ")} at the end`,
        );
        console.log(`results written to ${file}`);
    } finally {
        rmSync(work, { recursive: true, force: true });
        rmSync(configs.plain, { force: true });
        rmSync(configs.monorepo.split(",")[1], { force: true });
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
