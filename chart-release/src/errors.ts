/**
 * Exit codes of the chart-release CLI. Each failure class has its own code so that a workflow can tell
 * "nothing to do" from "lost every race" from "refused to publish" without parsing messages. The README's
 * exit-code table documents every one of them.
 */
export const EXIT = {
    ok: 0,
    /** check-pr found version edits. */
    failed: 1,
    /** A flag or argument is wrong, or flags contradict the stack config; the message names it. */
    usage: 2,
    /** The repository, chart, deploy file or stack config is not usable: malformed, missing, unknown ref. */
    invalidInput: 3,
    /** The computed version already exists in the registry or as a git tag; nothing was changed. */
    versionExists: 4,
    /** Every attempt to push the release commit was rejected; nothing was published. */
    pushRejected: 5,
    /** The registry could not be read or written before anything was committed. */
    registry: 6,
    /** The release commit and tag are on origin but the chart push to the registry failed. */
    publishAfterCommit: 7,
    /** Uncommitted changes under the chart's paths or the files the release writes; nothing was changed. */
    dirtyTree: 8,
    /** A shallow clone: the history since the last release may be cut off, so no answer is trusted. */
    shallow: 9,
    /** `release --push` outside the release branch, or with local commits the remote branch lacks. */
    notReleaseBranch: 10,
    /** git could not fetch from, query or push to the remote (other than a lost race). */
    remote: 11,
    /** `--resume` found a release tag whose commit is not on the remote branch; nothing was published. */
    unverifiedRelease: 12,
    /** git could not make the release commit or tag in this clone (signing, hooks); undone, nothing pushed. */
    localGit: 13,
    /** A bug or an unforeseen failure: one line (CHART_RELEASE_DEBUG=1 adds the stack). sysexits EX_SOFTWARE. */
    internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that carries the exit code the CLI must end with. */
export class ChartReleaseError extends Error {
    constructor(
        message: string,
        readonly exitCode: ExitCode,
    ) {
        super(message);
        this.name = "ChartReleaseError";
    }
}

export function usageError(message: string): ChartReleaseError {
    return new ChartReleaseError(message, EXIT.usage);
}

/** The first non-empty line of a (possibly multi-line) message: every failure ends in one line. */
export function firstLine(text: string): string {
    return (
        text
            .split("\n")
            .map((line) => line.trim())
            .find((line) => line !== "") ?? ""
    );
}
