/**
 * Policy 9. One owner per object: an Argo CD Application that Kargo promotes lives in git, as a deploy file
 * `<deployDirectory>/<stage>/<chart>.yaml` (a stack that also declared it would revert or fight every
 * promotion), and what Kargo's argocd-update step does to it must be able to succeed:
 * - argocd-update updates only a source whose repoURL and chart equal the step's exactly
 *   (Kargo `argocd_updater.go` applyArgoCDSourceUpdate), and only an Application whose
 *   `kargo.akuity.io/authorized-stage` names the promoting stage;
 * - it compares Argo CD's sync revision with `desiredRevision`, a version; for a native `oci://` source Argo
 *   CD records the resolved digest (reposerver newOCIClientResolveRevision), for a Helm source the version
 *   (newHelmClientResolveRevision), so a promoted Application's source is Helm-type;
 * - the app-of-apps that syncs the deploy directory neither prunes (removing a file must not delete a
 *   running Application) nor self-heals (it would revert the revision argocd-update has just set).
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../lib/config";
import { deployDirectorySchema, findDeployStage, findRootApplications } from "../lib/deployFiles";
import { resolveTemplate } from "../lib/expressions";
import { expandAllPromotions, type Problem, type PromotionStep } from "../lib/kargo";
import { buildStackView, describeObject, groups, type KubeObject, type StackView } from "../lib/resources";
import { isRecord, isUnknown, readList, readPath, readString } from "../lib/values";

interface Config {
    deployDirectory: string;
}

const configSchema: PolicyConfigSchema = { properties: { deployDirectory: deployDirectorySchema } };

export const authorizedStageKey = "kargo.akuity.io/authorized-stage";

function readAnnotation(app: KubeObject): string | undefined {
    const annotations = readPath(app.props, "metadata.annotations");
    return isRecord(annotations) ? readString(annotations[authorizedStageKey]) : undefined;
}

function readSources(app: KubeObject): Record<string, unknown>[] {
    const single = readPath(app.spec, "source");
    return [
        ...(isRecord(single) ? [single] : []),
        ...readList(readPath(app.spec, "sources")).filter(isRecord),
    ];
}

/** An Application Kargo may promote (it authorizes a stage): its source form; in a deploy file, its stage. */
function findPromotedAppProblems(app: KubeObject, config: Config): Problem[] {
    const annotation = readAnnotation(app);
    if (annotation === undefined) return [];
    const problems: string[] = [];
    const stage = app.file ? findDeployStage(app.file, config.deployDirectory) : undefined;
    if (stage !== undefined && annotation.split(":")[1] !== stage) {
        problems.push(`authorizes Kargo stage "${annotation}", not the stage of its directory "${stage}"`);
    }
    readSources(app).forEach((source) => {
        const repoURL = readString(source.repoURL);
        if (repoURL?.startsWith("oci://")) {
            problems.push(
                `source ${JSON.stringify(repoURL)} is a native OCI source: Argo CD records its digest as the sync revision, so argocd-update's desiredRevision (a version) never matches; use the Helm form (repoURL without oci://, chart: <name>)`,
            );
        }
    });
    return problems.map((p) => ({ urn: app.urn, message: `${describeObject(app)} ${p}` }));
}

/** Whether Kargo's applyArgoCDSourceUpdate would apply `update` to `source`. */
export function matchesSourceUpdate(
    update: Record<string, unknown>,
    source: Record<string, unknown>,
): boolean {
    if (source.chart !== undefined || update.chart !== undefined) {
        return source.repoURL === update.repoURL && source.chart === update.chart;
    }
    const git = (url: unknown) =>
        String(url ?? "")
            .toLowerCase()
            .replace(/\.git$/, "")
            .replace(/\/$/, "");
    return git(source.repoURL) === git(update.repoURL);
}

/** One argocd-update step against the Applications the stack has in deploy files or declares. */
function findUpdateProblems(step: PromotionStep, view: StackView): Problem[] {
    if (step.uses !== "argocd-update" || step.unknownConfig) return [];
    const apps = view.findKube(groups.argo, "Application");
    return readList(step.config.apps).flatMap((entry, a) => {
        const raw = readPath(entry, "name");
        if (typeof raw !== "string" || isUnknown(raw)) return [];
        const name = resolveTemplate(raw, step.env);
        if (!name.ok) return [];
        const namespace = readString(readPath(entry, "namespace")) ?? "argocd";
        const app = apps.find((x) => x.objectName === name.value && (x.namespace ?? "argocd") === namespace);
        // An Application kept outside this stack cannot be judged here.
        if (!app) return [];
        const where = `${step.where} apps[${a}] (${describeObject(app)})`;
        const problems: string[] = [];
        const wanted = `${step.stage.namespace ?? "?"}:${step.stage.objectName}`;
        if (readAnnotation(app) !== wanted) {
            problems.push(
                `needs the annotation ${authorizedStageKey}: "${wanted}" on the Application (it has ${JSON.stringify(readAnnotation(app) ?? null)}); argocd-update refuses it otherwise`,
            );
        }
        const sources = readSources(app);
        const updates = readList(readPath(entry, "sources")).filter(isRecord);
        if (app.file === undefined && updates.some((u) => u.updateTargetRevision === true)) {
            problems.push(
                "moves the targetRevision of an Application the stack declares: two owners would fight over it; commit it as a deploy file, owned by git alone",
            );
        }
        updates.forEach((update, i) => {
            if (sources.some((s) => matchesSourceUpdate(update, s))) return;
            const shown = sources
                .map((s) => JSON.stringify({ repoURL: s.repoURL, chart: s.chart }))
                .join(", ");
            problems.push(
                `sources[${i}] ${JSON.stringify({ repoURL: update.repoURL, chart: update.chart })} matches none of its sources (${shown}) exactly, so Kargo updates nothing`,
            );
        });
        return problems.map((p) => ({ urn: step.urn, message: `${where} ${p}` }));
    });
}

function findRootProblems(app: KubeObject): Problem[] {
    return (["prune", "selfHeal"] as const)
        .filter((key) => readPath(app.spec, `syncPolicy.automated.${key}`) === true)
        .map((key) => ({
            urn: app.urn,
            message: `${describeObject(app)} syncs the deploy files with automated ${key}: true; ${
                key === "prune"
                    ? "removing a deploy file would delete a running Application"
                    : "it would revert a targetRevision argocd-update has just set"
            }`,
        }));
}

export const gitOwnedApplications: StackValidationPolicy = {
    name: "git-owned-applications",
    description:
        "Applications Kargo promotes live in deploy files (git is their only owner), authorize exactly their stage, use a Helm-type source that argocd-update can match and converge on, and the app-of-apps syncing them neither prunes nor self-heals.",
    remediationSteps:
        'Commit each promoted Application to <deployDirectory>/<stage>/<chart>.yaml (bootstrapped once, never overwritten by the stack) with annotation kargo.akuity.io/authorized-stage: "<project>:<stage>" and source { repoURL: <registry>/<path>, chart: <chart>, targetRevision: <exact version> }; give argocd-update the same repoURL and chart; set the app-of-apps to syncPolicy.automated { prune: false, selfHeal: false }.',
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema,
    validateStack: (args, reportViolation) => {
        const config = readConfig<Config>(args, configSchema);
        const view = buildStackView(args.resources);
        if (view.findKube(groups.argo, "Application").length === 0) {
            args.notApplicable("the stack declares no Argo CD Application, in a deploy file or otherwise");
        }
        const problems = [
            ...view
                .findKube(groups.argo, "Application")
                .flatMap((app) => findPromotedAppProblems(app, config)),
            ...expandAllPromotions(view).flatMap((p) => p.steps.flatMap((s) => findUpdateProblems(s, view))),
            ...findRootApplications(view, config.deployDirectory).flatMap(findRootProblems),
        ];
        for (const problem of problems) reportViolation(problem.message, problem.urn);
    },
};
