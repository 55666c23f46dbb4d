import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface HistoryPlan {
    commits: number;
    /** One commit in `chartEvery` touches chart/; the rest touch src/. */
    chartEvery: number;
    seed: number;
}

/** The tag chart-release itself pushes with the release commit the histories start from. */
export const RELEASE_TAG = "mychart-1.2.3";

/** A small deterministic PRNG (mulberry32): the same plan always builds the same history. */
function createRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

// Every tool must give the same answer on the same repository, so the commits outside chart/ never call
// for more than the chart's own (no feat, no breaking change there): semantic-release, which has no path
// filter, then agrees with the path-filtered tools although it analyses ten times as many commits.
const CHART_TYPES = [
    "feat(chart)",
    "fix",
    "fix(chart)",
    "chore",
    "docs",
    "refactor",
    "perf",
    "test",
    "style",
];
const OTHER_TYPES = ["fix", "chore", "docs", "refactor", "ci", "build", "fix(api)", "perf", "test"];

function pick<T>(items: readonly T[], random: () => number): T {
    return items[Math.floor(random() * items.length)];
}

function data(content: string): string {
    return `data ${Buffer.byteLength(content)}\n${content}\n`;
}

/**
 * Build `dir` (branch main; start version 1.2.3, tagged v1.2.3, mychart-v1.2.3 and mychart-1.2.3) and a bare
 * `origin` with `git fast-import`: one process instead of thousands of `git commit` calls.
 */
export function buildHistory(dir: string, plan: HistoryPlan): { origin: string } {
    mkdirSync(dir, { recursive: true });
    const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" });
    git("init", "--quiet", "-b", "main");
    const random = createRandom(plan.seed);
    const start = 1_700_000_000;
    const who = (t: number) => `Bench <bench@example.invalid> ${t} +0000`;
    const chartYaml = "apiVersion: v2\nname: mychart\n# written on main by chart-release\nversion: 1.2.3\n";
    let stream =
        `commit refs/heads/main\nmark :1\nauthor ${who(start)}\ncommitter ${who(start)}\n` +
        data("chore(release): mychart 1.2.3\n\n[skip ci]\n\nChart-Release: mychart 1.2.3") +
        `M 100644 inline chart/Chart.yaml\n${data(chartYaml)}` +
        `M 100644 inline chart/values.yaml\n${data("replicaCount: 1")}` +
        `M 100644 inline src/main.go\n${data("package main")}` +
        `M 100644 inline README.md\n${data("# bench")}` +
        `reset refs/tags/v1.2.3\nfrom :1\n` +
        `reset refs/tags/mychart-v1.2.3\nfrom :1\n` +
        `reset refs/tags/${RELEASE_TAG}\nfrom :1\n`;
    for (let i = 1; i <= plan.commits; i++) {
        const t = start + i * 60;
        const touchesChart = i % plan.chartEvery === 0;
        const type = pick(touchesChart ? CHART_TYPES : OTHER_TYPES, random);
        const file = touchesChart ? `chart/templates/t${i % 7}.yaml` : `src/pkg${i % 50}/file.go`;
        const body = random() < 0.3 ? `\n\nDetails for change ${i}.\n\nRefs: #${i}` : "";
        stream +=
            `commit refs/heads/main\nmark :${i + 1}\nauthor ${who(t)}\ncommitter ${who(t)}\n` +
            data(`${type}: change ${i}${body}`) +
            `from :${i}\nM 100644 inline ${file}\n${data(`# change ${i}`)}`;
    }
    execFileSync("git", ["-C", dir, "fast-import", "--quiet"], { input: stream, maxBuffer: 1 << 30 });
    git("checkout", "--quiet", "-f", "main");
    const origin = `${dir}.origin.git`;
    execFileSync("git", ["init", "--quiet", "--bare", "-b", "main", origin]);
    git("remote", "add", "origin", origin);
    git("push", "--quiet", "origin", "main", "--tags");
    // semantic-release-monorepo reads the package name from a package.json in the folder it runs in.
    writeFileSync(
        path.join(dir, "chart", "package.json"),
        JSON.stringify({ name: "mychart", version: "0.0.0" }),
    );
    return { origin };
}
