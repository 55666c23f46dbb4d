import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { buildHistory, RELEASE_TAG } from "./history";
import { floorGitLog, timeInterleaved } from "./measure";

// Bundle the libraries into dist/cli.cjs, or leave them in node_modules beside a bundle of the source only?
// Builds both layouts into a temp dir and times `--version` and `next` on a tiny repository, interleaved.
//
//   tsx chart-release/bench/layouts.ts        (BENCH_STARTUP_RUNS, default 21)

const PACKAGE = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 21);

function buildLayout(dir: string, external: boolean): string {
    mkdirSync(path.join(dir, "bin"), { recursive: true });
    copyFileSync(path.join(PACKAGE, "bin", "chart-release"), path.join(dir, "bin", "chart-release"));
    const args = [path.join(PACKAGE, "scripts", "build.mjs"), "--outdir", path.join(dir, "dist")];
    execFileSync(process.execPath, external ? [...args, "--external"] : args, { stdio: "inherit" });
    // The external layout resolves the libraries from node_modules, as an install would place them.
    if (external) symlinkSync(path.join(PACKAGE, "node_modules"), path.join(dir, "node_modules"));
    return path.join(dir, "bin", "chart-release");
}

function main(): void {
    const work = path.join(tmpdir(), `chart-release-layouts-${process.pid}`);
    try {
        const bundled = buildLayout(path.join(work, "bundled"), false);
        const external = buildLayout(path.join(work, "external"), true);
        const repo = path.join(work, "tiny");
        buildHistory(repo, { commits: 2, chartEvery: 1, seed: 2 });
        console.log(
            `# load average ${loadavg()
                .map((l) => l.toFixed(2))
                .join(" ")}, ${RUNS} interleaved runs`,
        );
        const m = timeInterleaved(
            {
                "node -e 0": [process.execPath, "-e", "0"],
                "git log": floorGitLog(repo, RELEASE_TAG),
                "bundled --version": [process.execPath, bundled, "--version"],
                "external --version": [process.execPath, external, "--version"],
                "bundled next": [process.execPath, bundled, "next", "--repo", repo],
                "external next": [process.execPath, external, "next", "--repo", repo],
            },
            RUNS,
        );
        const floor = m["node -e 0"].seconds + m["git log"].seconds;
        for (const [name, measure] of Object.entries(m)) {
            const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`.padStart(8);
            console.log(
                `  ${name.padEnd(20)} median ${ms(measure.seconds)}  min ${ms(measure.minSeconds)}  ` +
                    `${(measure.seconds / floor).toFixed(2)}x the floor`,
            );
        }
    } finally {
        rmSync(work, { recursive: true, force: true });
    }
}

main();
