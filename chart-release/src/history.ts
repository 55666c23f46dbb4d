import { runGit } from "./git";

// Where a chart's history says its last release is: the release commits' trailers, the version line's last
// change (adoption), and the renames of its folder in between.

/**
 * The newest commit up to `rev` that added or removed a top-level `version:` line in the chart's Chart.yaml:
 * the ADR's "last release" heuristic, used only for a chart chart-release never released (adoption). `-G`
 * lets git do the search in one pass instead of one diff per commit.
 */
export async function findLastVersionChange(
    repo: string,
    chartYamlPath: string,
    rev = "HEAD",
): Promise<string | null> {
    const out = await runGit(repo, [
        "log",
        "-1",
        "--format=%H",
        "-G",
        "^version[[:space:]]*:",
        rev,
        "--",
        chartYamlPath,
    ]);
    return out.trim() || null;
}

/**
 * How `sha` brought `file` into being, with rename detection over the whole commit (a path-limited diff
 * cannot see a rename's other side): `added` (a new chart), `renamed` from another path, or `modified`.
 */
export async function describeFileChange(
    repo: string,
    sha: string,
    file: string,
): Promise<{ kind: "added" | "modified" } | { kind: "renamed"; from: string }> {
    const out = await runGit(repo, [
        "diff-tree",
        "-z",
        "--no-commit-id",
        "--root",
        "-r",
        "-M",
        "--name-status",
        sha,
    ]);
    const fields = out.split("\0");
    for (let i = 0; i < fields.length - 1;) {
        const status = fields[i];
        if (/^[RC]/.test(status)) {
            const [from, to] = [fields[i + 1], fields[i + 2]];
            if (to === file && status.startsWith("R")) return { kind: "renamed", from };
            if (to === file) return { kind: "added" };
            i += 3;
        } else {
            if (fields[i + 1] === file) return { kind: status === "A" ? "added" : "modified" };
            i += 2;
        }
    }
    return { kind: "modified" };
}

/**
 * Every rename of a Chart.yaml in `range`, as [from, to] paths: the chart folders a chart had since its last
 * release, so that a renamed folder's earlier commits still count (a rename is no version change).
 */
export async function listChartYamlRenames(repo: string, range: string): Promise<[string, string][]> {
    const out = await runGit(repo, [
        "log",
        "-z",
        "-M",
        "--diff-filter=R",
        "--name-status",
        "--format=",
        range,
        "--",
        ":(glob)**/Chart.yaml",
    ]);
    const fields = out.split("\0").map((field) => field.replace(/^\n+/, ""));
    const renames: [string, string][] = [];
    for (let i = 0; i < fields.length - 2; i++) {
        if (/^R\d*$/.test(fields[i])) {
            renames.push([fields[i + 1], fields[i + 2]]);
            i += 2;
        }
    }
    return renames;
}

/** The Chart.yaml files commit `sha` changed (a release commit changes exactly its chart's). */
export async function listChangedChartYamls(repo: string, sha: string): Promise<string[]> {
    const out = await runGit(repo, [
        "diff-tree",
        "-z",
        "--no-commit-id",
        "--root",
        "-r",
        "--name-only",
        sha,
        "--",
        ":(glob)**/Chart.yaml",
    ]);
    return out.split("\0").filter((name) => name !== "");
}

/** The release commit chart-release made for a chart: its sha and the version its trailer names. */
export interface ReleaseCommit {
    sha: string;
    version: string;
}

/**
 * The newest release commit chart-release made for `chart` up to `rev`, found by its `Chart-Release:`
 * trailer line (a commit that merely mentions it elsewhere in its message does not count). A message search
 * reads commit objects only, without the tree diffs that make path-limited walks slow.
 */
export async function findLastReleaseCommit(
    repo: string,
    chart: string,
    rev = "HEAD",
): Promise<ReleaseCommit | null> {
    const out = await runGit(repo, [
        "log",
        "-z",
        "--format=%H%x1f%B",
        "-F",
        `--grep=Chart-Release: ${chart} `,
        rev,
    ]);
    const trailer = `Chart-Release: ${chart} `;
    for (const entry of out.split("\0")) {
        const cut = entry.indexOf("\x1f");
        if (cut === -1) continue;
        const line = entry
            .slice(cut + 1)
            .split("\n")
            .map((l) => l.trim())
            .find((l) => l.startsWith(trailer) && /^\S+$/.test(l.slice(trailer.length)));
        if (line !== undefined) return { sha: entry.slice(0, cut), version: line.slice(trailer.length) };
    }
    return null;
}
