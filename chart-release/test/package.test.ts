import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { runCli } from "./helpers/cli";
import { commitVersion, createChartRepo, makeTempDir } from "./helpers/git-fixture";

const PACKAGE = path.join(__dirname, "..");

/** The environment for a nested npm: without the variables `npm test` sets for the outer package. */
function npmEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(
        Object.entries(process.env).filter(
            ([key]) => !/^npm_(lifecycle|package)_/.test(key) && key !== "npm_config_local_prefix",
        ),
    );
}

function npm(args: readonly string[], cwd: string): string {
    return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
        cwd,
        env: npmEnv(),
        encoding: "utf8",
    });
}

describe("chart-release installs on its own from `npm pack`", function () {
    // Packing runs the build; installing a tarball without dependencies needs no registry (--offline).
    this.timeout(180_000);
    let work: string;
    let tarball: string;
    let files: string[];
    before(() => {
        work = makeTempDir("pack");
        const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", work], PACKAGE)) as {
            filename: string;
            files: { path: string }[];
        }[];
        tarball = path.join(work, packed.filename);
        files = packed.files.map((f) => f.path).sort();
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    it("the tarball holds the launcher and the bundle, and no source, test or dependency", () => {
        assert.deepEqual(files, [
            "README.md",
            "bin/chart-release",
            "dist/THIRD_PARTY_NOTICES.txt",
            "dist/cli.cjs",
            "package.json",
        ]);
        const manifest = JSON.parse(readFileSync(path.join(PACKAGE, "package.json"), "utf8")) as {
            dependencies?: Record<string, string>;
        };
        // Bundled: nothing to resolve at run time, so nothing to install with it.
        assert.deepEqual(manifest.dependencies ?? {}, {});
    });

    it("the packed manifest runs nothing on install (issue 20: a `prepare` whose script is not in the tarball)", () => {
        const packed = JSON.parse(
            execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }),
        ) as { scripts?: Record<string, string> };
        // The scripts npm runs when the package is installed (npm's install-scripts); the bundle is built at pack.
        const onInstall = ["preinstall", "install", "postinstall", "prepare"].filter(
            (s) => s in (packed.scripts ?? {}),
        );
        assert.deepEqual(onInstall, []);
        assert.equal(packed.scripts?.prepack, "node scripts/build.mjs", "npm pack builds dist/");
    });

    it("installs into an empty folder without a warning and runs from there: --version and next", async () => {
        const app = path.join(work, "app");
        mkdirSync(app);
        const install = spawnSync(
            "npm",
            ["install", "--offline", "--no-audit", "--no-fund", "--prefix", app, tarball],
            { cwd: app, env: npmEnv(), encoding: "utf8" },
        );
        assert.equal(install.status, 0, install.stderr);
        assert.doesNotMatch(install.stderr, /npm warn/i);
        const bin = path.join(app, "node_modules", ".bin", "chart-release");
        const version = execFileSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
        assert.match(version, /^\d+\.\d+\.\d+\n$/);
        // A real run, far from the source tree and any node_modules: the bundle needs nothing beside it.
        const repoDir = path.join(work, "repo");
        const repo = createChartRepo(repoDir);
        commitVersion(repo, "2.0.0", "tagged");
        repo.commit("feat: something", ["chart/values.yaml"]);
        const next = execFileSync(process.execPath, [bin, "next", "--repo", repoDir], { encoding: "utf8" });
        assert.equal(next, "2.1.0\n");
    });

    it("a launcher without its bundle says how to build it", async () => {
        await runCli(["--version"], PACKAGE); // builds dist for the other suites, as usual
        const lonely = path.join(work, "lonely");
        mkdirSync(path.join(lonely, "bin"), { recursive: true });
        copyFileSync(path.join(PACKAGE, "bin", "chart-release"), path.join(lonely, "bin", "chart-release"));
        try {
            execFileSync(process.execPath, [path.join(lonely, "bin", "chart-release"), "--version"], {
                encoding: "utf8",
                stdio: "pipe",
            });
            assert.fail("expected the launcher to fail");
        } catch (error) {
            const { status, stderr } = error as { status: number; stderr: string };
            assert.equal(status, 1);
            assert.match(stderr, /dist\/cli\.cjs is missing: build it with `npm run build` in /);
        }
    });
});
