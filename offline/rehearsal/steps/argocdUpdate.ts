/**
 * `argocd-update`, checked as kargo v1.11.2 pkg/promotion/runner/builtin/argocd_updater.go would act on the
 * declared Applications (no cluster, no sync):
 * - getAuthorizedApplications: the Application must exist in `namespace` (default `argocd`) and
 *   authorizeArgoCDAppUpdate: its `kargo.akuity.io/authorized-stage` annotation (parsed by pkg/api/stage.go
 *   AuthorizedStages: comma list of `<project>:<stage>`, globs rejected) must name this project and stage.
 * - buildDesiredSources/applyArgoCDSourceUpdate: each `sources[]` update must match a source — exact
 *   repoURL and chart when either has a chart (Helm), normalized git URL otherwise.
 * - mustPerformUpdate compares the sync result's revision with `desiredRevision`. Argo CD (v3.5.1)
 *   records, for a native `oci://` source, the manifest digest (util/oci/client.go resolveRevision →
 *   resolveDigest), for a Helm chart the chart version, for git the commit SHA. A desiredRevision of another
 *   form never matches: the step re-syncs until its 5-minute default timeout and the promotion errors.
 */
import { valid } from "semver";
import { applicationKey, type RunnerContext } from "./context";
import type { Check, StepOutcome } from "../types";

interface SourceUpdate {
    readonly repoURL: string;
    readonly chart?: string;
    readonly desiredRevision?: string;
    readonly updateTargetRevision?: boolean;
}

interface AppUpdate {
    readonly name?: string;
    readonly namespace?: string;
    readonly selector?: unknown;
    readonly sources?: readonly SourceUpdate[];
}

/** pkg/api/stage.go AuthorizedStages. */
export function parseAuthorizedStages(value: string): { project: string; stage: string }[] {
    const stages: { project: string; stage: string }[] = [];
    for (const raw of value.split(",")) {
        const entry = raw.trim();
        if (entry === "") continue;
        const at = entry.indexOf(":");
        const project = at < 0 ? "" : entry.slice(0, at).trim();
        const stage = at < 0 ? "" : entry.slice(at + 1).trim();
        if (!project || !stage)
            throw new Error(`invalid authorized Stage "${entry}": expected format "<project>:<stage>"`);
        if (project.includes("*") || stage.includes("*")) {
            throw new Error(
                `invalid authorized Stage "${entry}": deprecated glob expressions are no longer supported`,
            );
        }
        stages.push({ project, stage });
    }
    if (stages.length === 0) throw new Error(`no authorized Stages found in "${value}"`);
    return stages;
}

/** pkg/urls/git.go NormalizeGit, for http(s) URLs and anything else compared lower-cased as is. */
export function normalizeGit(url: string): string {
    const lower = url.toLowerCase();
    if (!/^https?:\/\//.test(lower)) return lower;
    try {
        const u = new URL(lower);
        u.username = "";
        u.password = "";
        u.pathname = u.pathname.replace(/\/$/, "").replace(/\.git$/, "");
        return u.toString().replace(/\/$/, "");
    } catch {
        return url;
    }
}

/** argocd_updater.go applyArgoCDSourceUpdate's applicability test. */
export function sourceMatches(update: SourceUpdate, source: Record<string, unknown>): boolean {
    const chart = typeof source.chart === "string" ? source.chart : "";
    const repoURL = typeof source.repoURL === "string" ? source.repoURL : "";
    if (chart !== "" || (update.chart ?? "") !== "")
        return repoURL === update.repoURL && chart === (update.chart ?? "");
    return normalizeGit(repoURL) === normalizeGit(update.repoURL);
}

/**
 * Argo CD v3.5.1's source type as the repo server picks it (reposerver/repository/repository.go
 * runRepoOperation: `case source.IsOCI()` before `case source.IsHelm()`; pkg/apis/application/v1alpha1/
 * types.go IsOCI is the `oci://` prefix alone): an `oci://` repoURL is OCI even with `chart:` set.
 */
export function selectSourceType(source: Record<string, unknown>): "oci" | "helm" | "git" {
    const repoURL = typeof source.repoURL === "string" ? source.repoURL : "";
    if (repoURL.startsWith("oci://")) return "oci";
    return typeof source.chart === "string" && source.chart !== "" ? "helm" : "git";
}

/** The revision form Argo CD reports for a source; undefined when any form can converge. */
export function revisionFormProblem(source: Record<string, unknown>, desired: string): string | undefined {
    const repoURL = String(source.repoURL ?? "");
    const type = selectSourceType(source);
    if (type === "oci") {
        if (/^sha256:[a-f0-9]{64}$/.test(desired)) return undefined;
        return (
            `desiredRevision "${desired}" never converges on the native OCI source ${repoURL}: Argo CD records the ` +
            "resolved manifest digest as the sync revision (argo-cd v3.5.1 util/oci/client.go resolveRevision/" +
            "resolveDigest), and kargo's argocd_updater.go mustPerformUpdate compares it with desiredRevision, so " +
            "the step re-syncs until its 5m timeout" +
            (typeof source.chart === "string" && source.chart !== ""
                ? `; chart "${source.chart}" beside it changes nothing, Argo CD tests IsOCI() before IsHelm()`
                : "") +
            ". Use a Helm-type OCI source (repoURL without oci://, chart set)"
        );
    }
    if (type === "helm") {
        return valid(desired) === desired
            ? undefined
            : `desiredRevision "${desired}" is not an exact chart version: Argo CD records the resolved version, so it never matches`;
    }
    return /^[0-9a-f]{40}$/.test(desired)
        ? undefined
        : `desiredRevision "${desired}" is not a commit SHA: Argo CD records the resolved commit of a git source, so it never matches`;
}

function checkApp(update: AppUpdate, ctx: RunnerContext, checks: Check[]): string | undefined {
    if (update.selector !== undefined)
        return "apps[].selector is not rehearsed: the rehearsal has no label index of live Applications";
    const namespace = update.namespace || "argocd";
    const name = update.name ?? "";
    const app = ctx.applications.get(applicationKey(namespace, name));
    const label = `Application ${namespace}/${name}`;
    if (!app) {
        checks.push({ name: `${label} exists`, ok: false, detail: "not declared by the stack" });
        return `unable to find Argo CD Application "${name}" in namespace "${namespace}"`;
    }
    const access = ctx.argoAccess?.get(applicationKey(namespace, name));
    if (access && !access.ok) {
        checks.push({ name: `${label} created by Argo CD`, ok: false, detail: access.detail });
        return `Argo CD Application "${name}" in namespace "${namespace}" is not established: ${access.detail}`;
    }
    checks.push({ name: `${label} exists`, ok: true, detail: access?.detail ?? "declared by the stack" });
    const annotation = app.annotations["kargo.akuity.io/authorized-stage"];
    const denied =
        `Argo CD Application "${name}" in namespace "${namespace}" does not permit mutation by ` +
        `Kargo Stage ${ctx.stage} in namespace ${ctx.project}`;
    let authorized: { project: string; stage: string }[] = [];
    try {
        authorized = annotation === undefined ? [] : parseAuthorizedStages(annotation);
    } catch (err) {
        checks.push({ name: `${label} authorized-stage`, ok: false, detail: (err as Error).message });
        return `Argo CD Application "${name}" in namespace "${namespace}" is not authorized (${(err as Error).message})`;
    }
    if (!authorized.some((a) => a.project === ctx.project && a.stage === ctx.stage)) {
        const detail =
            annotation === undefined
                ? "annotation kargo.akuity.io/authorized-stage missing"
                : `"${annotation}"`;
        checks.push({ name: `${label} authorized-stage = ${ctx.project}:${ctx.stage}`, ok: false, detail });
        return `Argo CD Application "${name}" in namespace "${namespace}" is not authorized: ${denied} (${detail})`;
    }
    checks.push({
        name: `${label} authorized-stage = ${ctx.project}:${ctx.stage}`,
        ok: true,
        detail: annotation ?? "",
    });
    for (const src of update.sources ?? []) {
        const index = app.sources.findIndex((s) => sourceMatches(src, s));
        const what = `source ${src.repoURL}${src.chart ? ` chart ${src.chart}` : ""}`;
        if (index < 0) {
            const have = app.sources
                .map((s) => `${String(s.repoURL)}${s.chart ? ` chart ${String(s.chart)}` : ""}`)
                .join("; ");
            checks.push({ name: `${label} has ${what}`, ok: false, detail: `sources: ${have}` });
            return (
                `no source of Argo CD Application "${name}" in namespace "${namespace}" matched update for source with ` +
                `repoURL ${src.repoURL}${src.chart ? ` and chart "${src.chart}"` : ""} (the Application has: ${have})`
            );
        }
        checks.push({ name: `${label} has ${what}`, ok: true, detail: `sources[${index}]` });
        const desired = src.desiredRevision ?? "";
        if (desired !== "") {
            const problem = revisionFormProblem(app.sources[index], desired);
            checks.push({
                name: `${label} converges on desiredRevision ${desired}`,
                ok: !problem,
                detail: problem ?? "revision form matches what Argo CD records",
            });
            if (problem) return problem;
        }
        if (src.updateTargetRevision && desired !== "") app.sources[index].targetRevision = desired;
    }
    return undefined;
}

export function runArgocdUpdate(cfg: { apps?: readonly AppUpdate[] }, ctx: RunnerContext): StepOutcome {
    const checks: Check[] = [];
    for (const update of cfg.apps ?? []) {
        const problem = checkApp(update, ctx, checks);
        if (problem) return { status: "Errored", message: problem, checks };
    }
    return { status: "Succeeded", checks, notRehearsed: undefined };
}
