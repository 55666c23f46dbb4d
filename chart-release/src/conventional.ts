import inc from "semver/functions/inc";
import major from "semver/functions/major";
import type { Commit as ParsedMessage } from "conventional-commits-parser";

/** A commit as read from git: full sha and raw message (`%B`). */
export interface RawCommit {
    sha: string;
    message: string;
}

export type Bump = "major" | "minor" | "patch";

/** One commit after parsing, as reported by `next --json`. */
export interface AnalyzedCommit {
    sha: string;
    type: string | null;
    breaking: boolean;
    subject: string;
    bump: Bump | null;
}

export interface VersioningOptions {
    /** Below 1.0.0 a breaking change bumps the minor (0.3.1 -> 0.4.0) instead of going to 1.0.0. */
    pre1BreakingBumpsMinor: boolean;
}

export type MessageParser = (message: string) => ParsedMessage;

let parserPromise: Promise<MessageParser> | undefined;

/**
 * Load conventional-commits-parser configured exactly as semantic-release's commit-analyzer configures it
 * for the `conventionalcommits` preset. Both packages are ESM-only, hence the dynamic imports.
 */
export function loadMessageParser(): Promise<MessageParser> {
    parserPromise ??= (async () => {
        const { CommitParser } = await import("conventional-commits-parser");
        const { default: createPreset } = await import("conventional-changelog-conventionalcommits");
        // Issue references (#123) are never part of a bump decision (type, notes and revert are parsed
        // independently of them), and finding them is most of the parse time; so they are switched off.
        const parser = new CommitParser({
            ...createPreset().parser,
            issuePrefixes: undefined,
            referenceActions: undefined,
        });
        skipReferences(parser);
        return (message: string) => parser.parse(message);
    })();
    return parserPromise;
}

/**
 * Make the parser linear in the message's length. conventional-commits-parser 6.4.0 (dist/CommitParser.js,
 * parseReferences → parseReference) runs, for the header and every body line, `regexes.referenceParts.exec`;
 * with issuePrefixes unset that is dist/regex.js's `nomatchRegex`, `/(?!.*)/`, unanchored: at each of a
 * line's n positions `.*` runs to the line's end before the lookahead fails, O(n²) per line (a 200,000-character
 * subject took 13 s). It never matches, so parseReference always returns null and parseReferences always
 * []: answering [] at once gives the very same commit object. (The method is private in the typings, so the
 * instance gets an own property that shadows it; the test compares both parsers on real messages.)
 */
export function skipReferences(parser: object): void {
    (parser as { parseReferences: (input: string) => unknown[] }).parseReferences = () => [];
}

// commit-analyzer's default rules, reduced to the ones that can match a commit parsed with the
// conventionalcommits preset (it yields no `tag`, `emoji` or `component` field). The upper-case entries
// come from its JSHint rules: that is why `FIX:` releases while `Feat:` does not.
const TYPE_BUMPS: Readonly<Record<string, Bump>> = {
    feat: "minor",
    FEAT: "minor",
    fix: "patch",
    FIX: "patch",
    perf: "patch",
};

const BUMP_RANK: Readonly<Record<Bump, number>> = { patch: 1, minor: 2, major: 3 };

/** The highest of two bumps; `null` means "no release". */
export function pickHigherBump(a: Bump | null, b: Bump | null): Bump | null {
    if (a === null) return b;
    if (b === null) return a;
    return BUMP_RANK[b] > BUMP_RANK[a] ? b : a;
}

/**
 * The release a single parsed commit calls for, following commit-analyzer: any BREAKING CHANGE note
 * (footer, `!` header, or a body paragraph the parser reads as a note) is major, or minor under the pre-1.0
 * rule; a revert that survived revert pairing is a patch; otherwise the type decides.
 */
export function computeCommitBump(parsed: ParsedMessage, breakingBump: Bump): Bump | null {
    let bump: Bump | null = null;
    if (parsed.notes.length > 0) bump = breakingBump;
    if (breakingBump !== "major" && bump !== null) return bump; // custom pre-1.0 rule wins, as in commit-analyzer
    if (parsed.revert) bump = pickHigherBump(bump, "patch");
    const typeBump = parsed.type ? TYPE_BUMPS[parsed.type] : undefined;
    return pickHigherBump(bump, typeBump ?? null);
}

/**
 * Parse and analyse commits given newest first (git log order). Commits with an empty message are skipped
 * and a revert cancels the commit it reverts when both are in the list, as semantic-release does.
 */
export async function analyzeCommits(
    commits: readonly RawCommit[],
    currentVersion: string,
    options: VersioningOptions,
): Promise<AnalyzedCommit[]> {
    const messages = commits.filter((commit) => commit.message.trim() !== "");
    // Nothing to parse: the parser and filter are not even loaded.
    if (messages.length === 0) return [];
    const parse = await loadMessageParser();
    const { filterRevertedCommitsSync } = await import("conventional-commits-filter");
    const breakingBump: Bump =
        options.pre1BreakingBumpsMinor && major(currentVersion) === 0 ? "minor" : "major";
    // `hash` is the field the revert filter compares with "This reverts commit <hash>."
    const parsed = messages.map((commit) => ({ ...parse(commit.message), hash: commit.sha }));
    return [...filterRevertedCommitsSync(parsed)].map((commit) => ({
        sha: commit.hash,
        type: commit.type ?? null,
        breaking: commit.notes.length > 0,
        subject: commit.subject ?? commit.header ?? "",
        bump: computeCommitBump(commit, breakingBump),
    }));
}

/** The bump a list of analysed commits calls for. */
export function computeBump(commits: readonly AnalyzedCommit[]): Bump | null {
    return commits.reduce<Bump | null>((acc, commit) => pickHigherBump(acc, commit.bump), null);
}

/** The next version, or `null` when the bump is `null`. */
export function computeNextVersion(currentVersion: string, bump: Bump | null): string | null {
    if (bump === null) return null;
    const next = inc(currentVersion, bump);
    if (next === null) throw new Error(`cannot bump ${currentVersion}: not a SemVer version`);
    return next;
}
