import { usageError } from "./errors";
import { resolveHead, runGit } from "./git";

/** `yyyymmddHHMMSS` in UTC: numeric, so SemVer orders dev builds by time, and never has a leading zero. */
export function formatUtcStamp(date: Date): string {
    return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/** The PR build version `0.0.0-dev.<UTC stamp>.g<short sha>`: below every real release, unique per build. */
export function computeDevVersion(date: Date, shortSha: string): string {
    if (!/^[0-9a-f]{4,40}$/.test(shortSha)) throw new Error(`not a short sha: ${JSON.stringify(shortSha)}`);
    return `0.0.0-dev.${formatUtcStamp(date)}.g${shortSha}`;
}

/**
 * The build time: now, unless SOURCE_DATE_EPOCH is set (the reproducible-builds convention), so a rebuild of
 * the same commit can reproduce the same version.
 */
export function resolveBuildDate(env: NodeJS.ProcessEnv, now: Date): Date {
    const epoch = env.SOURCE_DATE_EPOCH;
    if (epoch === undefined) return now;
    // reproducible-builds.org/specs/source-date-epoch: "an ASCII representation of an integer with no
    // fractional component, identical to the output format of date +%s"; "If the value is malformed, the
    // build process SHOULD exit with a non-zero error code." The upper bound keeps the UTC stamp at 14
    // digits (year 9999), as the dev version's format and its SemVer ordering need.
    if (!/^\d+$/.test(epoch) || Number(epoch) > MAX_SOURCE_DATE_EPOCH) {
        throw usageError(
            `SOURCE_DATE_EPOCH ${JSON.stringify(epoch)}: expected whole seconds since 1970 as \`date +%s\` ` +
                `prints them, 0 to ${MAX_SOURCE_DATE_EPOCH} (9999-12-31T23:59:59Z); unset it to use the current time`,
        );
    }
    return new Date(Number(epoch) * 1000);
}

/** 9999-12-31T23:59:59Z: the last second whose UTC stamp has 14 digits. */
export const MAX_SOURCE_DATE_EPOCH = 253402300799;

export async function runDev(repo: string): Promise<string> {
    // A repository without commits has no HEAD: resolveHead says so in one line (exit 3).
    const head = await resolveHead(repo);
    const shortSha = (await runGit(repo, ["rev-parse", "--short", head])).trim();
    return computeDevVersion(resolveBuildDate(process.env, new Date()), shortSha);
}
