import path from "node:path";
import { gunzipSync } from "node:zlib";
import { ChartReleaseError, EXIT } from "./errors";
import { readObjects, runGit, runGitBuffer } from "./git";
import { compareVersions } from "./versions";

// What `release` establishes before it changes git: each check here stands for a refusal that would
// otherwise come after the release commit and tag were pushed, leaving a version that can never be published.

/** A chart's `name:` from Chart.yaml text, without a full YAML parse (hundreds of files may be read). */
function readChartName(text: string): string | null {
    const match = /^name[ \t]*:[ \t]*(["']?)([^"'#\s]+)\1[ \t]*(?:#.*)?$/m.exec(text);
    return match ? match[2] : null;
}

/** Whether `file` is a subchart's Chart.yaml (`<chart>/charts/<sub>/Chart.yaml`): not a chart of its own. */
function isSubchart(file: string, charts: ReadonlySet<string>): boolean {
    const parts = file.split("/");
    for (let i = parts.length - 3; i >= 1; i--) {
        if (parts[i] === "charts" && charts.has([...parts.slice(0, i), "Chart.yaml"].join("/"))) return true;
    }
    return false;
}

/**
 * Refuse a chart whose `name:` another chart folder of the repository also has: both would publish into the
 * same OCI repository `<registry>/<name>` and share the release tags `<name>-<version>`, so each chart's
 * versions would be computed from, and overwrite, the other's.
 */
export async function assertUniqueChartName(
    repo: string,
    revision: string,
    chartFile: string,
    name: string,
): Promise<void> {
    const listed = await runGit(repo, ["ls-tree", "-r", "-z", "--name-only", revision]);
    const files = listed.split("\0").filter((f) => f === "Chart.yaml" || f.endsWith("/Chart.yaml"));
    const charts = new Set(files);
    const candidates = files.filter((f) => f !== chartFile && !isSubchart(f, charts));
    const objects = await readObjects(
        repo,
        candidates.map((f) => `${revision}:${f}`),
    );
    const clashes = candidates.filter((_, i) => readChartName(objects[i]?.content ?? "") === name);
    if (clashes.length > 0) {
        const folders = [path.posix.dirname(chartFile), ...clashes.map((f) => path.posix.dirname(f))];
        throw new ChartReleaseError(
            `${folders.length} chart folders are named ${name} (${folders.join(", ")}): they would publish into ` +
                `one OCI repository and share the tags ${name}-<version>, mixing their versions; give each ` +
                `chart its own name: in Chart.yaml`,
            EXIT.invalidInput,
        );
    }
}

/** The name in a chart archive's `<chart>/Chart.yaml` (a tar inside gzip), or null. */
export function readArchiveChartName(archive: Uint8Array): string | null {
    let tar: Buffer;
    try {
        tar = gunzipSync(archive);
    } catch {
        return null;
    }
    let longName: string | null = null;
    for (let offset = 0; offset + 512 <= tar.length;) {
        const header = tar.subarray(offset, offset + 512);
        if (header.every((byte) => byte === 0)) break;
        const field = (start: number, length: number) =>
            header.toString("utf8", start, start + length).replace(/\0.*$/s, "");
        const size = parseInt(field(124, 12).trim() || "0", 8);
        const type = field(156, 1);
        const prefix = field(345, 155);
        const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
        const body = tar.subarray(offset + 512, offset + 512 + size);
        longName = type === "L" ? body.toString("utf8").replace(/\0.*$/s, "") : null;
        if ((type === "0" || type === "") && /^[^/]+\/Chart\.yaml$/.test(name)) {
            return readChartName(body.toString("utf8"));
        }
        offset += 512 + Math.ceil(size / 512) * 512;
    }
    return null;
}

/**
 * Refuse a chart whose `dependencies:` are not in its `charts/` folder at the release commit, as `helm package`
 * refuses it (helm v3.18.6 pkg/action/package.go, Package.Run → CheckDependencies in pkg/action/install.go:
 * "found in Chart.yaml, but missing in charts/ directory"): chart-release publishes the committed folder, so
 * a dependency that only `helm dependency build` would fetch (a gitignored charts/*.tgz, a file:// chart
 * elsewhere) would be missing from the published chart. A dependency counts when a subchart folder or
 * archive in charts/ has its name, as in Helm.
 */
export async function assertDependenciesVendored(
    repo: string,
    revision: string,
    chartDir: string,
    fields: Record<string, unknown>,
    file: string,
): Promise<void> {
    const declared = Array.isArray(fields.dependencies) ? (fields.dependencies as unknown[]) : [];
    const wanted = declared
        .map((dep) =>
            dep !== null && typeof dep === "object" ? (dep as Record<string, unknown>).name : undefined,
        )
        .filter((name): name is string => typeof name === "string");
    if (wanted.length === 0) return;
    const chartsDir = chartDir === "." ? "charts" : `${chartDir}/charts`;
    let listing = "";
    try {
        listing = await runGit(repo, ["ls-tree", "-z", `${revision}:${chartsDir}`]);
    } catch {
        // no charts/ folder at all: every dependency is missing
    }
    const present = new Set<string>();
    for (const entry of listing.split("\0").filter((e) => e !== "")) {
        const [meta, name] = entry.split("\t");
        const [, type] = meta.split(" ");
        if (type === "tree") {
            const [object] = await readObjects(repo, [`${revision}:${chartsDir}/${name}/Chart.yaml`]);
            const subchart = object ? readChartName(object.content) : null;
            if (subchart) present.add(subchart);
        } else if (name.endsWith(".tgz")) {
            const archive = await runGitBuffer(repo, [
                "cat-file",
                "blob",
                `${revision}:${chartsDir}/${name}`,
            ]);
            const subchart = readArchiveChartName(archive);
            if (subchart) present.add(subchart);
        }
    }
    const missing = wanted.filter((name) => !present.has(name));
    if (missing.length > 0) {
        throw new ChartReleaseError(
            `${file}: dependencies ${missing.join(", ")} are declared but not in ${chartsDir}/ of the commit, so ` +
                `the published chart would lack them (helm package refuses it too: "found in Chart.yaml, but ` +
                `missing in charts/ directory"). Commit them: run helm dependency build ${chartDir} and commit ` +
                `${chartsDir}/*.tgz (remove it from .gitignore), or drop the dependencies`,
            EXIT.invalidInput,
        );
    }
}

/**
 * Refuse to publish below the newest version the registry holds: Kargo's Warehouse offers the newest versions
 * first (kargo v1.11.2 pkg/helm/chart/base_selector.go, baseSelector.sort, newest first, then
 * semversToVersionStrings keeps discoveryLimit of them), so a lower release is never the Freight it picks.
 */
export function assertNotBelowNewest(
    newest: string | null,
    version: string,
    chart: string,
    where: string,
    branch: string,
): void {
    if (newest === null || compareVersions(newest, version) <= 0) return;
    throw new ChartReleaseError(
        `${chart} ${version} would be published below ${newest}, which ${where} already holds: Kargo's Warehouse ` +
            `takes the newest version, so ${version} would never be promoted. Nothing was committed. If ${branch} ` +
            `should continue from ${newest}, set Chart.yaml's version on ${branch} to the version to publish next ` +
            `(above ${newest}); to publish an older line on purpose (a hotfix), pass --allow-older`,
        EXIT.versionExists,
    );
}
