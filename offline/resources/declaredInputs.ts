/**
 * Rules on what the stack hands the engine and its providers (resources.json: type, inputs, recorded
 * options), for what no Kubernetes schema or webhook sees: a provider's own argument validation, and how
 * long the engine waits. Each rule cites the upstream code it encodes; the synth fails on any problem.
 */
import { parseDurationSeconds } from "../../components/devData/timing";
import type { SynthRow } from "../report/diff";

/** One problem, naming the resource by URN and the input or option at fault. */
export interface DeclaredInputProblem {
    readonly urn: string;
    readonly path: string;
    readonly message: string;
}

type Rule = (row: SynthRow) => DeclaredInputProblem[];

export const SERVICE_TOKEN_TYPE = "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken";
export const JOB_TYPE = "kubernetes:batch/v1:Job";

/**
 * terraform-provider-cloudflare v5 (under @pulumi/cloudflare 6.22.1),
 * internal/services/zero_trust_access_service_token/schema.go ResourceSchema: `client_secret_version` and
 * `previous_client_secret_expires_at` each carry an `AlsoRequires` validator naming the other, so the
 * provider refuses the plan (`pulumi preview`) when exactly one is set.
 */
export function findServiceTokenPairProblems(row: SynthRow): DeclaredInputProblem[] {
    if (row.type !== SERVICE_TOKEN_TYPE) return [];
    const pair = ["clientSecretVersion", "previousClientSecretExpiresAt"] as const;
    const set = pair.filter((k) => row.inputs[k] !== undefined && row.inputs[k] !== null);
    if (set.length !== 1) return [];
    const other = pair.find((k) => k !== set[0]);
    return [
        {
            urn: row.urn,
            path: set[0],
            message: `is sent without ${other}; the Cloudflare provider refuses one without the other (AlsoRequires in the service token schema); send both or neither`,
        },
    ];
}

/** pulumi-kubernetes provider/pkg/await/job.go `DefaultJobTimeoutMins`: how long a Job is awaited by default. */
export const DEFAULT_JOB_AWAIT_SECONDS = 10 * 60;
const SKIP_AWAIT = "pulumi.com/skipAwait";

const TIMEOUT_SECONDS = "pulumi.com/timeoutSeconds";

/**
 * How long pulumi-kubernetes awaits a Job, and what says so: the resource's custom create timeout, else a
 * whole-number `pulumi.com/timeoutSeconds` annotation, else {@link DEFAULT_JOB_AWAIT_SECONDS}
 * (provider/pkg/metadata/overrides.go `TimeoutDuration`, read through await/awaiters.go `getTimeout`; read at
 * v4.32.0, the newest tag in the mirror).
 */
export function selectJobAwait(row: SynthRow): { seconds: number; what: string } {
    const timeouts = (row.options?.customTimeouts ?? {}) as { create?: string };
    if (timeouts.create) {
        return {
            seconds: parseDurationSeconds(timeouts.create),
            what: `customTimeouts.create ${timeouts.create}`,
        };
    }
    const metadata = (row.inputs.metadata ?? {}) as { annotations?: Record<string, string> };
    const annotated = metadata.annotations?.[TIMEOUT_SECONDS];
    if (annotated !== undefined && /^[0-9]+$/.test(annotated)) {
        return { seconds: Number(annotated), what: `${TIMEOUT_SECONDS} ${annotated}` };
    }
    return { seconds: DEFAULT_JOB_AWAIT_SECONDS, what: "the default 10m" };
}

/**
 * pulumi-kubernetes awaits a Job until it completes (await/job.go jobInitAwaiter), for as long as
 * {@link selectJobAwait} says. A Job whose `activeDeadlineSeconds` is not shorter than that may still be
 * running when `pulumi up` gives up and marks the create failed.
 */
export function findJobAwaitProblems(row: SynthRow): DeclaredInputProblem[] {
    if (row.type !== JOB_TYPE) return [];
    const metadata = (row.inputs.metadata ?? {}) as { annotations?: Record<string, string> };
    if (metadata.annotations?.[SKIP_AWAIT] === "true") return [];
    const deadline = (row.inputs.spec as { activeDeadlineSeconds?: unknown } | undefined)
        ?.activeDeadlineSeconds;
    const { seconds: awaited, what } = selectJobAwait(row);
    if (typeof deadline !== "number") {
        return [
            {
                urn: row.urn,
                path: "spec.activeDeadlineSeconds",
                message: `is unset, so the Job may outlive ${what} pulumi up waits for it; set a deadline below the await timeout`,
            },
        ];
    }
    if (awaited > deadline) return [];
    return [
        {
            urn: row.urn,
            path: "options.customTimeouts.create",
            message: `pulumi up waits ${what} (${awaited}s) for a Job that may run ${deadline}s (spec.activeDeadlineSeconds); allowed: a create timeout above the Job's deadline`,
        },
    ];
}

const RULES: readonly Rule[] = [findServiceTokenPairProblems, findJobAwaitProblems];

export const REPOSITORY_FILE_TYPE = "github:index/repositoryFile:RepositoryFile";
export const RULESET_TYPE = "github:index/repositoryRuleset:RepositoryRuleset";

interface RulesetInputs {
    name?: string;
    repository?: string;
    target?: string;
    enforcement?: string;
    conditions?: { refName?: { includes?: string[]; excludes?: string[] } };
    rules?: { filePathRestriction?: { restrictedFilePaths?: string[] } };
    bypassActors?: { actorType?: string; actorId?: number; bypassMode?: string }[];
}

/** GitHub's fnmatch with FNM_PATHNAME for push rulesets: `*` stays inside a segment, `**` crosses them. */
export function matchesFilePath(pattern: string, path: string): boolean {
    const re = pattern
        .split("**")
        .map((part) =>
            part
                .split("*")
                .map((t) => t.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
                .join("[^/]*"),
        )
        .join(".*");
    return new RegExp(`^${re}$`).test(path);
}

/** Whether an active ruleset applies to a commit of `path` on `branch`. */
function rulesetCovers(r: RulesetInputs, branch: string, path: string): boolean {
    if (r.enforcement !== "active") return false;
    if (r.target === "push") {
        return (r.rules?.filePathRestriction?.restrictedFilePaths ?? []).some((p) =>
            matchesFilePath(p, path),
        );
    }
    if (r.target === "branch") {
        const ref = `refs/heads/${branch}`;
        const names = r.conditions?.refName;
        const hit = (list?: string[]) => (list ?? []).some((p) => p === "~ALL" || matchesFilePath(p, ref));
        return hit(names?.includes) && !hit(names?.excludes);
    }
    return false;
}

/**
 * A deploy file the stack commits (a chart or stage added after the first bootstrap) is refused by any
 * ruleset of the same repository that covers it unless the committer bypasses that ruleset: the stack
 * commits as the user of `github:token`, declared as a `User` bypass actor (gitCredential.bootstrapUserId,
 * components/access/repoRules.ts buildBootstrapActor). The bypass list is managed by the stack, so it
 * cannot be widened by hand.
 */
export function findBlockedRepositoryFiles(rows: readonly SynthRow[]): DeclaredInputProblem[] {
    const rulesets = rows.filter((r) => r.type === RULESET_TYPE).map((r) => r.inputs as RulesetInputs);
    return rows
        .filter((r) => r.type === REPOSITORY_FILE_TYPE)
        .flatMap((row) => {
            const file = row.inputs as { repository?: string; branch?: string; file?: string };
            const blocking = rulesets.filter(
                (r) =>
                    r.repository === file.repository &&
                    rulesetCovers(r, file.branch ?? "", file.file ?? "") &&
                    !(r.bypassActors ?? []).some((a) => a.actorType === "User" && a.bypassMode === "always"),
            );
            return blocking.map((r) => ({
                urn: row.urn,
                path: "file",
                message: `${file.file} on ${file.branch} would be refused by the ruleset "${r.name}" when the stack adds it later: no bypass actor is the bootstrap identity (a User, gitCredential.bootstrapUserId)`,
            }));
        });
}

/** Every problem of every declared row, and of the rows judged together. */
export function findDeclaredInputProblems(rows: readonly SynthRow[]): DeclaredInputProblem[] {
    return [
        ...rows.flatMap((row) => RULES.flatMap((rule) => rule(row))),
        ...findBlockedRepositoryFiles(rows),
    ];
}
