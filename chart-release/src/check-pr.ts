import { ChartReleaseError, EXIT } from "./errors";
import type { CommandOutcome } from "./outcome";
import { GitError, resolveCommit, runGit } from "./git";
import { assertNotShallow } from "./safety";

/** One forbidden edit: the file, the line (new-file numbering for additions, old-file for removals). */
export interface VersionEdit {
    file: string;
    line: number;
    change: "added" | "removed";
    text: string;
    rule: "chart-version" | "target-revision";
}

interface FileDiff {
    file: string;
    isNew: boolean;
    isDeleted: boolean;
    added: { line: number; text: string }[];
    removed: { line: number; text: string }[];
}

// Only the chart's own top-level `version:` (no indentation): `dependencies[].version` may change freely.
const CHART_VERSION_LINE = /^version\s*:/;
const TARGET_REVISION_LINE = /^\s*(?:-\s+)?["']?targetRevision["']?\s*:/;

/** Split `git diff --unified=0` output into per-file added and removed lines with their line numbers. */
export function parseUnifiedDiff(diff: string): FileDiff[] {
    const files: FileDiff[] = [];
    let current: FileDiff | undefined;
    let oldLine = 0;
    let newLine = 0;
    for (const line of diff.split("\n")) {
        if (line.startsWith("diff --git ")) {
            current = { file: "", isNew: false, isDeleted: false, added: [], removed: [] };
            files.push(current);
        } else if (!current) {
            continue;
        } else if (line.startsWith("new file mode")) {
            current.isNew = true;
        } else if (line.startsWith("deleted file mode")) {
            current.isDeleted = true;
        } else if (line.startsWith("--- ")) {
            if (line !== "--- /dev/null") current.file = line.slice(6);
        } else if (line.startsWith("+++ ")) {
            if (line !== "+++ /dev/null") current.file = line.slice(6);
        } else if (line.startsWith("@@")) {
            const match = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
            if (match) [oldLine, newLine] = [Number(match[1]), Number(match[2])];
        } else if (line.startsWith("+")) {
            current.added.push({ line: newLine++, text: line.slice(1) });
        } else if (line.startsWith("-")) {
            current.removed.push({ line: oldLine++, text: line.slice(1) });
        }
    }
    return files;
}

function isChartYaml(file: string): boolean {
    return file === "Chart.yaml" || file.endsWith("/Chart.yaml");
}

/**
 * The edits a PR must not make: a changed top-level `version:` in any Chart.yaml, or a changed
 * `targetRevision:` in a deploy file. Files the PR creates or deletes are exempt (a new chart needs an initial
 * version), and a line removed and re-added unchanged is a move, not an edit.
 */
export function findVersionEdits(
    files: readonly FileDiff[],
    isDeployFile: (file: string) => boolean,
): VersionEdit[] {
    const edits: VersionEdit[] = [...findMovedChartVersionEdits(files)];
    for (const diff of files) {
        if (diff.isNew || diff.isDeleted) continue;
        const rule = isChartYaml(diff.file)
            ? "chart-version"
            : isDeployFile(diff.file)
              ? "target-revision"
              : null;
        if (rule === null) continue;
        const pattern = rule === "chart-version" ? CHART_VERSION_LINE : TARGET_REVISION_LINE;
        const added = diff.added.filter((l) => pattern.test(l.text));
        const removed = diff.removed.filter((l) => pattern.test(l.text));
        const addedTexts = added.map((l) => l.text.trim());
        const removedTexts = removed.map((l) => l.text.trim());
        for (const l of added) {
            if (!removedTexts.includes(l.text.trim()))
                edits.push({ file: diff.file, ...l, change: "added", rule });
        }
        for (const l of removed) {
            if (!addedTexts.includes(l.text.trim())) {
                // A changed value shows up as one removal and one addition; report the addition only.
                if (added.length === 0) edits.push({ file: diff.file, ...l, change: "removed", rule });
            }
        }
    }
    return edits;
}

/** `name:` and the `version:` line of a Chart.yaml given as its lines (a whole added or deleted file). */
function readChartLines(lines: readonly { line: number; text: string }[]) {
    const name = lines
        .map((l) => /^name\s*:\s*["']?([^"'#\s]+)/.exec(l.text)?.[1])
        .find((n) => n !== undefined);
    const version = lines.find((l) => CHART_VERSION_LINE.test(l.text));
    return { name, version };
}

/**
 * A chart folder moved in the PR shows up as one Chart.yaml deleted and one added (the diff has no rename
 * detection, so a moved file is exempt like a new one): pair them by the chart's `name:` and report a
 * version that differs between the two as an edit of the new file's version line.
 */
function findMovedChartVersionEdits(files: readonly FileDiff[]): VersionEdit[] {
    const deleted = files
        .filter((d) => d.isDeleted && isChartYaml(d.file))
        .map((d) => ({ file: d.file, ...readChartLines(d.removed) }));
    const edits: VersionEdit[] = [];
    for (const diff of files.filter((d) => d.isNew && isChartYaml(d.file))) {
        const added = readChartLines(diff.added);
        if (added.name === undefined || added.version === undefined) continue;
        const before = deleted.find((d) => d.name === added.name);
        if (before?.version === undefined) continue;
        const [was, now] = [before.version.text.trim(), added.version.text.trim()];
        if (was.replace(/\s+/g, " ") === now.replace(/\s+/g, " ")) continue;
        edits.push({
            file: diff.file,
            line: added.version.line,
            change: "added",
            text: `${now} (moved from ${before.file}, where it was ${was})`,
            rule: "chart-version",
        });
    }
    return edits;
}

export function formatVersionEdit(edit: VersionEdit): string {
    const what = edit.rule === "chart-version" ? "changes the chart `version:`" : "changes `targetRevision:`";
    const verb = edit.change === "added" ? "" : " (removed line)";
    return `${edit.file}:${edit.line}: PR ${what}${verb}: ${edit.text.trim()}`;
}

export interface CheckPrArgs {
    repo: string;
    base: string;
    head: string;
    deployGlobs: string[];
    json?: boolean;
    /** Also print each edit as a GitHub Actions `::error` workflow command. */
    annotations?: boolean;
}

/** Diff the PR (merge base of base and head, to head) and report every forbidden version edit. */
export async function runCheckPr(args: CheckPrArgs): Promise<CommandOutcome> {
    // The merge base of a shallow clone can be wrong or missing: refuse rather than check the wrong diff.
    await assertNotShallow(args.repo);
    const base = await resolveCommit(args.repo, args.base, "--base");
    const head = await resolveCommit(args.repo, args.head, "--head");
    let mergeBase: string;
    try {
        mergeBase = (await runGit(args.repo, ["merge-base", base, head])).trim();
    } catch (error) {
        // merge-base exits 1, silently, only when the commits share no history; anything else is a real error.
        if (!(error instanceof GitError && error.code === 1)) throw error;
        throw new ChartReleaseError(
            `--base ${args.base} and --head ${args.head} share no history`,
            EXIT.invalidInput,
        );
    }
    const deploySpecs = args.deployGlobs.map((glob) => `:(glob)${glob}`);
    const diff = await runGit(args.repo, [
        "-c",
        "core.quotePath=false",
        "diff",
        "--unified=0",
        "--no-color",
        "--no-ext-diff",
        "--no-renames",
        mergeBase,
        head,
        "--",
        ":(glob)**/Chart.yaml",
        ...deploySpecs,
    ]);
    // Only deploy files reach this point besides Chart.yaml: git already applied the deploy globs.
    const edits = findVersionEdits(parseUnifiedDiff(diff), (file) => !isChartYaml(file));
    return formatCheckPrOutcome(args, edits);
}

/** Escape a workflow command's message (`%`, CR, LF) and, for properties, also `:` and `,`, as @actions/core does. */
function escapeCommandData(text: string, property = false): string {
    const escaped = text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
    return property ? escaped.replaceAll(":", "%3A").replaceAll(",", "%2C") : escaped;
}

/**
 * A GitHub Actions error annotation for one edit. Line numbers of removed lines are old-file numbers that
 * the PR's head does not have, so those annotate the file without a line.
 */
export function formatAnnotation(edit: VersionEdit): string {
    const properties = [
        `file=${escapeCommandData(edit.file, true)}`,
        ...(edit.change === "added" ? [`line=${edit.line}`] : []),
        `title=${escapeCommandData("chart-release check-pr", true)}`,
    ];
    return `::error ${properties.join(",")}::${escapeCommandData(formatVersionEdit(edit))}`;
}

/**
 * The outcome of check-pr, exit 1 on any edit. Edits go to stderr as `file:line: …`; stdout carries the
 * verdict: a line of text, the annotations when running in Actions, or one JSON document under --json.
 */
export function formatCheckPrOutcome(args: CheckPrArgs, edits: readonly VersionEdit[]): CommandOutcome {
    const ok = edits.length === 0;
    const stderr = ok
        ? []
        : [
              ...edits.map(formatVersionEdit),
              `check-pr: ${edits.length} forbidden edit(s): versions are written on main after merge (ADR 009 decision 1)`,
          ];
    const stdout = args.json
        ? [JSON.stringify({ ok, base: args.base, head: args.head, edits })]
        : ok
          ? [`check-pr: ok, no version: or targetRevision: edits between ${args.base} and ${args.head}`]
          : args.annotations
            ? edits.map(formatAnnotation)
            : [];
    return { stdout, stderr, exitCode: ok ? EXIT.ok : EXIT.failed };
}
