import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A scratch directory under the OS temp dir; tests never write inside the project. */
export function makeTempDir(prefix: string): string {
    return mkdtempSync(path.join(tmpdir(), `chart-release-${prefix}-`));
}

/**
 * A real git repository with fixed identity and commit dates that advance 60 s per commit, as the corpus
 * harness did, so every run builds the same history.
 */
export class GitFixture {
    private clock = Date.UTC(2026, 0, 1);
    private counter = 0;
    readonly shas = new Map<string, string>();

    constructor(readonly dir: string) {}

    static init(dir: string, branch = "main"): GitFixture {
        mkdirSync(dir, { recursive: true });
        const fixture = new GitFixture(dir);
        fixture.git("init", "--quiet", "-b", branch);
        fixture.git("config", "user.name", "Chart Release Test");
        fixture.git("config", "user.email", "chart-release@example.invalid");
        fixture.git("config", "commit.gpgsign", "false");
        fixture.git("config", "tag.gpgsign", "false");
        return fixture;
    }

    private env(): NodeJS.ProcessEnv {
        const date = new Date(this.clock).toISOString();
        return { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    }

    git(...args: string[]): string {
        return execFileSync("git", ["-C", this.dir, ...args], { encoding: "utf8", env: this.env() });
    }

    gitInput(input: string, ...args: string[]): string {
        return execFileSync("git", ["-C", this.dir, ...args], { encoding: "utf8", env: this.env(), input });
    }

    write(file: string, content: string): void {
        const absolute = path.join(this.dir, file);
        mkdirSync(path.dirname(absolute), { recursive: true });
        writeFileSync(absolute, content);
    }

    /** Append one line to each path and commit them with `message` (empty paths: an empty commit). */
    commit(message: string, paths: readonly string[], id?: string): string {
        this.clock += 60_000;
        this.counter += 1;
        for (const file of paths) {
            const absolute = path.join(this.dir, file);
            mkdirSync(path.dirname(absolute), { recursive: true });
            appendFileSync(absolute, `# change ${this.counter}\n`);
            this.git("add", "--", file);
        }
        const flags = paths.length === 0 ? ["--allow-empty"] : [];
        if (message === "") flags.push("--allow-empty-message");
        this.gitInput(message, "commit", "--quiet", "--no-verify", ...flags, "-F", "-");
        const sha = this.head();
        if (id !== undefined) this.shas.set(id, sha);
        return sha;
    }

    /** Commit whatever is staged or written, with `message`. */
    commitAll(message: string): string {
        this.clock += 60_000;
        this.git("add", "-A");
        this.gitInput(message, "commit", "--quiet", "--no-verify", "-F", "-");
        return this.head();
    }

    revert(sha: string): string {
        this.clock += 60_000;
        this.git("revert", "--no-edit", sha);
        return this.head();
    }

    merge(branch: string, message: string): string {
        this.clock += 60_000;
        this.git("merge", "--quiet", "--no-ff", "-m", message, branch);
        return this.head();
    }

    head(): string {
        return this.git("rev-parse", "HEAD").trim();
    }
}

export const CHART_YAML = `# Helm chart for the corpus and release tests.
apiVersion: v2
name: mychart
description: A chart whose version is written on main only
type: application
# chart-release owns the next line; PRs must not touch it (ADR 009).
version: "0.0.0" # keep the quotes
appVersion: "1.0.0"
dependencies:
  - name: redis
    version: 19.0.0
    repository: oci://registry-1.docker.io/bitnamicharts
`;

/** The corpus's first commit: `chore: initial import` of the chart, a Go file and a README. */
export function createChartRepo(dir: string, branch = "main"): GitFixture {
    const repo = GitFixture.init(dir, branch);
    repo.write("chart/Chart.yaml", CHART_YAML);
    repo.write("chart/values.yaml", "replicaCount: 1\n");
    repo.write("chart/templates/deployment.yaml", "# deployment\n");
    // The dependency, vendored as `helm dependency build` leaves it unpacked: a release refuses a chart whose
    // dependencies are not in charts/ (src/preflight.ts), as helm package does.
    repo.write("chart/charts/redis/Chart.yaml", "apiVersion: v2\nname: redis\nversion: 19.0.0\n");
    repo.write("src/main.go", "package main\n");
    repo.write("README.md", "# corpus\n");
    repo.commitAll("chore: initial import");
    return repo;
}

/**
 * Set Chart.yaml's version in a release commit: "plain" like a version bumped by hand or by an older tool,
 * "trailer" with the `Chart-Release:` trailer chart-release writes, "tagged" with the trailer and the
 * `<chart>-<version>` tag, exactly as a chart-release run leaves it.
 */
export function commitVersion(
    repo: GitFixture,
    version: string,
    mark: "plain" | "trailer" | "tagged" = "plain",
): string {
    const text = CHART_YAML.replace('version: "0.0.0"', `version: "${version}"`);
    repo.write("chart/Chart.yaml", text);
    const trailer = mark === "plain" ? "" : `\n\nChart-Release: mychart ${version}`;
    const sha = repo.commitAll(`chore(release): mychart ${version}\n\n[skip ci]${trailer}`);
    if (mark === "tagged") repo.git("tag", "-a", "-m", `mychart ${version}`, `mychart-${version}`);
    return sha;
}
