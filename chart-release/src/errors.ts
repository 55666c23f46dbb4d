/**
 * Exit codes of the chart-release CLI. Each failure class has its own code so that a workflow can tell
 * "nothing to do" from "lost every race" from "refused to publish" without parsing messages.
 */
export const EXIT = {
    ok: 0,
    /** check-pr found version edits, or an unexpected internal error. */
    failed: 1,
    /** A flag or argument is wrong; the message names it. */
    usage: 2,
    /** The repository or chart is not usable: malformed Chart.yaml, unknown ref, not a git repo. */
    invalidInput: 3,
    /** The computed version already exists in the registry; nothing was changed. */
    versionExists: 4,
    /** Every attempt to push the release commit was rejected; nothing was published. */
    pushRejected: 5,
    /** The registry could not be read or written before anything was committed. */
    registry: 6,
    /** The release commit and tag are on origin but the chart push to the registry failed. */
    publishAfterCommit: 7,
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
