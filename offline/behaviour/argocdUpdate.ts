/**
 * `argocd-update` steps that every webhook admits but that never complete, judged on hand-written objects
 * (a Stage or a promotion task, and the Applications among the same files) as Kargo v1.11.2's
 * pkg/promotion/runner/builtin/argocd_updater.go would run them. The matching and revision rules are the
 * rehearsal's (offline/rehearsal/steps/argocdUpdate.ts), so both judge a step alike.
 */
import type { RuleIssue } from "../admission/objects";
import {
    parseAuthorizedStages,
    revisionFormProblem,
    selectSourceType,
    sourceMatches,
} from "../rehearsal/steps/argocdUpdate";

const KARGO_API = "kargo.akuity.io/v1alpha1";
const AUTHORIZED_STAGE = "kargo.akuity.io/authorized-stage";

interface Meta {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
}
interface Obj {
    apiVersion?: string;
    kind?: string;
    metadata?: Meta;
    spec?: Record<string, unknown>;
}
interface SourceUpdate {
    repoURL: string;
    chart?: string;
    desiredRevision?: string;
}
interface Step {
    uses?: string;
    config?: { apps?: { name?: string; namespace?: string; sources?: SourceUpdate[] }[] };
}

const isExpression = (s: string | undefined) => s !== undefined && s.includes("${{");

/** The steps of a Stage's promotion template or of a (Cluster)PromotionTask, with their JSON pointer. */
function findSteps(obj: Obj): { path: string; step: Step }[] {
    if (obj.apiVersion !== KARGO_API) return [];
    const template = obj.spec?.promotionTemplate as { spec?: { steps?: Step[] } } | undefined;
    const [base, steps] =
        obj.kind === "Stage"
            ? ["/spec/promotionTemplate/spec/steps", template?.spec?.steps]
            : obj.kind === "PromotionTask" || obj.kind === "ClusterPromotionTask"
              ? ["/spec/steps", obj.spec?.steps as Step[] | undefined]
              : ["", undefined];
    return (steps ?? []).map((step, i) => ({ path: `${base}/${i}`, step }));
}

/** The sources of an Application, single or multi-source. */
function listSources(app: Obj): Record<string, unknown>[] {
    const spec = app.spec ?? {};
    if (Array.isArray(spec.sources)) return spec.sources as Record<string, unknown>[];
    return spec.source ? [spec.source as Record<string, unknown>] : [];
}

function findApplication(all: readonly unknown[], name: string, namespace: string): Obj | undefined {
    return (all as Obj[]).find(
        (o) =>
            o?.kind === "Application" &&
            o.apiVersion === "argoproj.io/v1alpha1" &&
            o.metadata?.name === name &&
            (o.metadata?.namespace ?? "argocd") === namespace,
    );
}

/**
 * Per source update: a native `oci://` source never converges (mustPerformUpdate compares Argo CD's recorded
 * digest with a version); a literal revision of the wrong form neither; and, when the target Application is
 * among the files, the update must match one of its sources exactly (applyArgoCDSourceUpdate) and a
 * Stage must be authorized by its annotation (authorizeArgoCDAppUpdate).
 */
export function findArgoCDUpdateProblems(obj: unknown, all: readonly unknown[]): RuleIssue[] {
    const o = obj as Obj;
    const issues: RuleIssue[] = [];
    for (const { path, step } of findSteps(o)) {
        if (step.uses !== "argocd-update") continue;
        (step.config?.apps ?? []).forEach((app, a) => {
            const appPath = `${path}/config/apps/${a}`;
            const target =
                app.name && !isExpression(app.name) && !isExpression(app.namespace)
                    ? findApplication(all, app.name, app.namespace ?? "argocd")
                    : undefined;
            (app.sources ?? []).forEach((update, s) => {
                const at = `${appPath}/sources/${s}`;
                const asSource = {
                    repoURL: update.repoURL,
                    ...(update.chart ? { chart: update.chart } : {}),
                };
                const desired = update.desiredRevision;
                // An expression's value is unknown here, but on a native OCI source any version it yields is
                // the wrong form (Argo CD reports a digest); elsewhere only a literal can be judged.
                const form =
                    desired !== undefined && (!isExpression(desired) || update.repoURL?.startsWith("oci://"))
                        ? revisionFormProblem(asSource, desired)
                        : undefined;
                if (form) issues.push({ path: `${at}/desiredRevision`, message: form });
                if (target && !listSources(target).some((src) => sourceMatches(update, src))) {
                    issues.push({
                        path: at,
                        message:
                            `matches no source of Application ${app.name}: Kargo applies an update only to a source ` +
                            "with exactly this repoURL and chart (argocd_updater.go applyArgoCDSourceUpdate), so the " +
                            "step changes nothing and waits for a revision that never comes",
                    });
                }
            });
            if (target && o.kind === "Stage") {
                const problem = checkAuthorized(target, o.metadata?.namespace ?? "", o.metadata?.name ?? "");
                if (problem) issues.push({ path: appPath, message: problem });
            }
        });
    }
    return issues;
}

function checkAuthorized(app: Obj, project: string, stage: string): string | undefined {
    const value = app.metadata?.annotations?.[AUTHORIZED_STAGE];
    const denied = `Application ${app.metadata?.name} does not permit mutation by Stage ${project}/${stage} (argocd_updater.go authorizeArgoCDAppUpdate)`;
    if (value === undefined)
        return `${denied}: it has no ${AUTHORIZED_STAGE} annotation; allowed: "${project}:${stage}"`;
    try {
        return parseAuthorizedStages(value).some((s) => s.project === project && s.stage === stage)
            ? undefined
            : `${denied}: ${AUTHORIZED_STAGE} is "${value}"; allowed: "${project}:${stage}"`;
    } catch (err) {
        return `${denied}: ${(err as Error).message}`;
    }
}

/**
 * An Application Kargo promotes (it carries the authorized-stage annotation) with an `oci://` source, with
 * or without `chart:` (Argo CD tests IsOCI() before IsHelm(), see selectSourceType): whatever revision a
 * promotion asks for, Argo CD reports the digest, so no promotion into it ever completes.
 */
export function findOciPromotedApplicationProblems(obj: unknown): RuleIssue[] {
    const app = obj as Obj;
    if (app?.kind !== "Application" || !app.metadata?.annotations?.[AUTHORIZED_STAGE]) return [];
    return listSources(app).flatMap((src, i) => {
        const repoURL = String(src.repoURL ?? "");
        if (selectSourceType(src) !== "oci") return [];
        const chart = typeof src.chart === "string" && src.chart !== "" ? src.chart : undefined;
        const path = Array.isArray(app.spec?.sources) ? `/spec/sources/${i}/repoURL` : "/spec/source/repoURL";
        return [
            {
                path,
                message:
                    `native OCI source ${repoURL} on an Application Kargo promotes` +
                    (chart
                        ? ` (chart "${chart}" beside an oci:// repoURL changes nothing: Argo CD v3.5.1 tests IsOCI() before IsHelm(), reposerver/repository/repository.go runRepoOperation)`
                        : "") +
                    ": Argo CD records the manifest " +
                    "digest as its sync revision (argo-cd v3.5.1 util/oci/client.go resolveRevision), which " +
                    "argocd-update compares with the promoted version (argocd_updater.go mustPerformUpdate), so no " +
                    "promotion completes; allowed: the Helm-type source (repoURL without oci://, chart: <name>, " +
                    "the registry enabled for OCI)",
            },
        ];
    });
}
