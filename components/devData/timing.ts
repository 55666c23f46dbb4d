/**
 * The three clocks of one refresh, each derived from `devData.refresh.timeout` with a margin over the one
 * inside it, so the innermost always fails first and says why:
 * 1. the script's own deadline (`TIMEOUT_SECONDS`, counted from the script's start) = `refresh.timeout`;
 * 2. the Job's `activeDeadlineSeconds`, counted by the Job controller from the Job's start, so it also
 *    covers scheduling and the image pull = script + {@link JOB_START_GRACE_SECONDS};
 * 3. what waits for the Job from outside: the Kargo step's `retry.timeout` and Pulumi's wait for the clone
 *    Cluster = Job + {@link OUTER_MARGIN_SECONDS}.
 *
 * Kargo counts a step's timeout from the step's own start (`pkg/promotion/local_orchestrator.go`,
 * `metav1.Now().Sub(meta.StartedAt.Time) > timeout`, v1.11.2), which comes before Argo CD starts the sync
 * and creates the hook Job; and a Running Promotion is re-reconciled only every `defaultRequeueInterval`
 * (5 minutes, `pkg/controller/promotions/promotions.go`). A step timeout equal to the script's would
 * end the Promotion while the Job still runs, and the next Promotion's sync would start a second one.
 */
import type { StackConfig } from "../config";

/** Scheduling, image pull and the pod's start, before the script's clock starts. */
export const JOB_START_GRACE_SECONDS = 300;

/**
 * From the Job's end to the waiter seeing it: Argo CD marking the hook and the sync failed, then Kargo's
 * next reconcile of the Promotion (at most its 5-minute requeue interval).
 */
export const OUTER_MARGIN_SECONDS = 600;

/** Seconds in a Go-style duration (`45m`, `1h30m`, `90s`). */
export function parseDurationSeconds(text: string): number {
    const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)(h|m|s)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
        throw new Error(`"${text}" is not a duration such as 45m or 1h30m`);
    }
    const unit = { h: 3600, m: 60, s: 1 } as const;
    return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2] as keyof typeof unit], 0));
}

/** 1. The refresh script's own deadline. */
export function selectScriptSeconds(cfg: StackConfig): number {
    return parseDurationSeconds(cfg.devData.refresh.timeout);
}

/** 2. `activeDeadlineSeconds` of every refresh Job. */
export function selectJobDeadlineSeconds(cfg: StackConfig): number {
    return selectScriptSeconds(cfg) + JOB_START_GRACE_SECONDS;
}

/** 3. How long anything outside the Job (Kargo's step, Pulumi's await) waits for a refresh. */
export function selectOuterWaitSeconds(cfg: StackConfig): number {
    return selectJobDeadlineSeconds(cfg) + OUTER_MARGIN_SECONDS;
}

/** A whole number of seconds as a Go duration Kargo's `retry.timeout` parses (`time.ParseDuration`). */
export function formatDuration(seconds: number): string {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s || (!h && !m) ? `${s}s` : ""}`;
}
