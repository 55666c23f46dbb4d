import { type StackModeSource } from "./deploy";
import { ChartReleaseError, EXIT, usageError } from "./errors";
import { GitError, runGit } from "./git";

/**
 * The registry path a chart is published under: `--registry`, or the stack's own, from the chart's entry in
 * `release-pipeline:charts` (`repoURL` is `oci://<registry>/<path>/<name>`: the repository its Warehouse
 * watches, so the stack file, not a workflow, says where each stack's charts go). A `--registry` that differs
 * wins (a mirror, a test registry) with a note on stderr: a chart published elsewhere is one the Warehouse
 * never sees.
 */
export function resolveRegistry(
    given: string | undefined,
    stack: StackModeSource | null,
    chart: string,
): string {
    const declared = stack?.charts.find((c) => c.name === chart);
    const suffix = `/${chart}`;
    const derived =
        declared !== undefined && !declared.repoNameDiffers && declared.repoURL.endsWith(suffix)
            ? declared.repoURL.slice(0, -suffix.length)
            : undefined;
    if (given !== undefined && derived !== undefined && given.toLowerCase() !== derived.toLowerCase()) {
        // An explicit --registry wins (a mirror, a test registry), but not silently.
        process.stderr.write(
            `chart-release: note: --registry ${given} overrides ${stack?.file}, which declares chart ${chart} at ` +
                `${declared?.repoURL} (release-pipeline:charts), where its Warehouse watches: a chart published ` +
                `under ${given} is not promoted from there\n`,
        );
    }
    const registry = given ?? derived;
    if (registry === undefined) {
        throw usageError(
            `release: --registry is required: ${stack?.file ?? "the stack file"} declares no chart named ${chart} ` +
                "in release-pipeline:charts (with a repoURL ending in its name) to take the registry from",
        );
    }
    return registry;
}

/** versionSource oci-tag writes no file, so there is nothing to write the deploy files' targetRevision with. */
export function validateVersionSource(stack: StackModeSource | null, deployFiles: readonly string[]): void {
    if (stack?.versionSource !== "oci-tag") return;
    if (stack.mode === "bump-only" || deployFiles.length > 0) {
        throw usageError(
            `${stack.file} sets \`release-pipeline:pipeline → versionSource\` to "oci-tag" (nothing is ` +
                `committed${stack.mode === "bump-only" ? `) with mode "bump-only" (chart-release would commit the deploy files` : ""}), ` +
                "so no release commit can write targetRevision: allowed: versionSource chart-yaml with bump-only " +
                "and --deploy-file, or oci-tag with prod-only or full (Kargo writes targetRevision)",
        );
    }
}

/**
 * versionSource oci-tag: tag the fetched branch tip `<chart>-<version>` and push that tag alone. The tag is
 * the lock, as the release commit is in chart-yaml mode: only the run whose tag push lands owns the version.
 * Returns "landed", or "lost" when the remote already has the tag (another run released this version: the
 * caller fetches and recomputes). A local tag that cannot be made is undone like a release commit (exit 13).
 */
export async function pushReleaseTag(
    repo: string,
    remote: string,
    commit: string,
    tag: string,
    message: string,
): Promise<"landed" | "lost"> {
    try {
        await runGit(repo, ["tag", "-a", "-F", "-", tag, commit], { input: message });
    } catch (error) {
        await runGit(repo, ["tag", "-d", tag]).catch(() => undefined);
        const detail = error instanceof GitError ? error.stderr.trim().replace(/\s+/g, " ") : String(error);
        throw new ChartReleaseError(
            `git could not tag the release commit in ${repo}: ${detail}. The release commit, tag and file edits ` +
                "were undone; nothing was pushed or published. Fix the clone's git setup (for a signing " +
                "failure: tag.gpgSign, user.signingkey) and re-run",
            EXIT.localGit,
        );
    }
    try {
        const out = await runGit(repo, ["push", "--porcelain", remote, `refs/tags/${tag}`]);
        // "=": the remote holds this very tag object already: another run made and pushed it.
        return out.split("\n").some((line) => line.startsWith("=\t")) ? "lost" : "landed";
    } catch (error) {
        await runGit(repo, ["tag", "-d", tag]);
        if (error instanceof GitError && /already exists|\[rejected\]/.test(error.stderr)) return "lost";
        throw error;
    }
}
