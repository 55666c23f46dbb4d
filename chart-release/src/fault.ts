/**
 * TEST-ONLY fault injection. `CHART_RELEASE_FAULT=<phase>` makes the process die with SIGKILL at that point of
 * `release --push`, exactly as a cancelled CI job or a lost runner would: no `finally`, no cleanup, no exit
 * code of ours. The fault-injection test uses it to prove that a rerun with `--resume` from a fresh clone
 * always reaches a consistent state. Unset (always, outside the tests) it does nothing.
 */
export const FAULT_PHASES = [
    /** Chart.yaml and deploy files written, nothing committed. */
    "before-commit",
    /** Release commit and tag made locally, `git push` not started. */
    "before-push",
    /** Commit and tag on the remote, no blob uploaded yet. */
    "after-push",
    /** The config blob uploaded, the chart archive not. */
    "after-config-blob",
    /** Both blobs uploaded, the manifest not sent. */
    "before-manifest",
    /** Half of the manifest's bytes sent, then killed mid-request. */
    "during-manifest",
] as const;

export type FaultPhase = (typeof FAULT_PHASES)[number];

/** Whether the test asked for a fault at `phase`. */
export function shouldInjectFault(phase: FaultPhase, env: NodeJS.ProcessEnv = process.env): boolean {
    return env.CHART_RELEASE_FAULT === phase;
}

/** Die here, hard, when the test asked for it. */
export function injectFault(phase: FaultPhase): void {
    if (shouldInjectFault(phase)) process.kill(process.pid, "SIGKILL");
}
