import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import semver from "semver";
import { RegistryClient } from "../src/oci";
import { runCli, type CliResult } from "./helpers/cli";
import { makeTempDir } from "./helpers/git-fixture";
import { createOrigin, gitIn } from "./helpers/origin";
import { ensureRegistry, uniqueNamespace } from "./helpers/registry";

const run = promisify(execFile);
const WORKERS = 10;

interface WorkerResult {
    merged: string;
    release: CliResult;
}

/** Merge one fix into origin's main the way a merge button would: retry until main accepts it. */
async function mergeFix(dir: string, worker: number): Promise<string> {
    const git = (...args: string[]) => run("git", ["-C", dir, ...args]);
    await run(
        "sh",
        ["-c", `mkdir -p chart/templates && echo "# worker ${worker}" > chart/templates/w${worker}.yaml`],
        { cwd: dir },
    );
    await git("add", "-A");
    await git("commit", "--quiet", "-m", `fix(chart): worker ${worker} fix`);
    for (let attempt = 0; attempt < 100; attempt++) {
        try {
            await git("push", "--quiet", "origin", "HEAD:main");
            return (await git("rev-parse", "HEAD")).stdout.trim();
        } catch {
            await git("pull", "--quiet", "--rebase", "origin", "main");
        }
    }
    throw new Error(`worker ${worker} could not merge`);
}

describe("race: 10 workers merge a fix each and run release at once against one origin", function () {
    // Ten workers, each up to 40 attempts of fetch, compute, push: 4 minutes on this shared 2-CPU machine
    // at load 19 (measured: 244 s); 170 s timed out there.
    this.timeout(420_000);
    let root: string;
    let address: string;
    before(async () => {
        address = await ensureRegistry();
        root = makeTempDir("race");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it("publishes each version once, in order, covering every merged commit exactly once", async () => {
        const namespace = uniqueNamespace("race");
        const { origin, clone } = createOrigin(root, "0.1.0");
        const clones = Array.from({ length: WORKERS }, (_, i) => clone(`worker-${i}`));
        const registryArgs = ["--registry", `oci://${address}/${namespace}`, "--plain-http"];

        const results: WorkerResult[] = await Promise.all(
            clones.map(async (repo, i) => {
                // Staggered merges, so that releases land between merges as well as after them: both the
                // "lost the race, recompute" and the "already covered by another release" paths get taken.
                await new Promise((resolve) => setTimeout(resolve, i * 150));
                const merged = await mergeFix(repo.dir, i);
                const release = await runCli(
                    [
                        "release",
                        ...registryArgs,
                        "--push",
                        "--json",
                        "--max-attempts",
                        "40",
                        "--retry-delay-ms",
                        "40",
                    ],
                    repo.dir,
                );
                return { merged, release };
            }),
        );

        for (const [i, { release }] of results.entries()) {
            assert.equal(release.code, 0, `worker ${i} exited ${release.code}: ${release.stderr}`);
        }
        const reports = results.map(({ release }) => JSON.parse(release.stdout) as Record<string, unknown>);
        const released = reports.filter((r) => r.status === "released");
        assert.ok(released.length >= 1);
        for (const report of reports)
            assert.ok(report.status === "released" || report.status === "up-to-date");

        // Versions on main rise strictly along its history, and none appears twice.
        // Release commits are the ones carrying the Chart-Release trailer (the seed's version commit has none).
        const releaseCommits = gitIn(
            origin,
            "log",
            "--reverse",
            "--first-parent",
            "--format=%H %(trailers:key=Chart-Release,valueonly,separator=%x20)",
            "main",
        )
            .trim()
            .split("\n")
            .map((line) => line.trim().split(" "))
            .filter((parts) => parts.length === 3 && parts[1] === "mychart")
            .map(([sha, , version]) => ({ sha, version }));
        const versions = releaseCommits.map((c) => c.version);
        assert.equal(versions[0], "0.1.1");
        for (let i = 1; i < versions.length; i++) {
            assert.ok(semver.gt(versions[i], versions[i - 1]), `${versions[i]} after ${versions[i - 1]}`);
        }
        assert.deepEqual(versions, released.map((r) => r.version as string).sort(semver.compare));
        for (const commit of releaseCommits) {
            assert.equal(gitIn(origin, "rev-parse", `mychart-${commit.version}^{commit}`).trim(), commit.sha);
            const chartYaml = gitIn(origin, "show", `${commit.sha}:chart/Chart.yaml`);
            assert.match(chartYaml, new RegExp(`^version: "${commit.version.replaceAll(".", "\\.")}"`, "m"));
        }

        // The registry holds exactly those versions.
        const registry = new RegistryClient({ host: address, namespace }, true);
        assert.deepEqual((await registry.listTags(`${namespace}/mychart`)).sort(semver.compare), versions);

        // No merged commit is lost, and each is covered by exactly one release.
        const onMain = new Set(gitIn(origin, "rev-list", "main").trim().split("\n"));
        const coverage = new Map<string, number>();
        for (const report of released) {
            for (const sha of report.commits as string[]) coverage.set(sha, (coverage.get(sha) ?? 0) + 1);
        }
        for (const [i, { merged }] of results.entries()) {
            assert.ok(onMain.has(merged), `worker ${i}'s merged fix ${merged} is on main`);
            assert.equal(coverage.get(merged), 1, `worker ${i}'s fix is covered by exactly one release`);
        }
        assert.equal(coverage.size, WORKERS);
        for (const report of reports.filter((r) => r.status === "up-to-date")) {
            assert.ok(versions.includes(report.current as string));
        }

        // Nothing is left to release on the final main.
        const check = clone("checker");
        const next = await runCli(["next"], check.dir);
        assert.equal(next.code, 0, next.stderr);
        assert.equal(next.stdout, "");
        assert.equal(path.basename(check.dir), "checker");
    });
});
