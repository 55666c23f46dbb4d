/**
 * Policy 1. Argo CD must deploy exact versions, and Kargo must only ever write the version of the Freight
 * it promotes: floating revisions would bring back the untracked "whatever is newest" deploys ADR 009
 * rejects, and a chartFrom() that does not match its Warehouse byte for byte silently returns nothing.
 * Applications committed as deploy files are judged like declared ones. The one source allowed to follow a
 * branch is an app-of-apps syncing the deploy directory: what it deploys is the files, pinned themselves.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../lib/config";
import { deployDirectorySchema, isDeployFilesSource } from "../lib/deployFiles";
import { findChartFromRepo } from "../lib/expressions";
import { expandAllPromotions, type PromotionStep } from "../lib/kargo";
import {
    buildStackView,
    describeObject,
    groups,
    isSameNamespace,
    type KubeObject,
    type StackView,
} from "../lib/resources";
import { findFloatingForm } from "../lib/revisions";
import { isRecord, isUnknown, readList, readPath, readRecord } from "../lib/values";

interface Config {
    revisionKeyPattern: string;
    deployDirectory: string;
}

const configSchema: PolicyConfigSchema = {
    properties: {
        revisionKeyPattern: {
            type: "string",
            description:
                "Regular expression for yaml-update/json-update keys that write an Argo CD targetRevision.",
            default: "(^|\\.)targetRevision$",
        },
        deployDirectory: deployDirectorySchema,
    },
};

interface Finding {
    urn: string;
    message: string;
}

const pinAdvice = "pin an exact version such as 1.4.2";

/**
 * targetRevision of every source of an Application or ApplicationSet template. With `deployDirectory`, a
 * declared Application's git source syncing that directory may follow a branch (not HEAD, not empty).
 */
export function findRevisionFindings(object: KubeObject, deployDirectory?: string): Finding[] {
    const specPath = object.kind === "ApplicationSet" ? "template.spec" : "";
    if (isUnknown(readPath(object.props, specPath ? `spec.${specPath}` : "spec"))) return [];
    const spec = readRecord(specPath ? readPath(object.spec, specPath) : object.spec);
    const prefix = specPath ? `spec.${specPath}` : "spec";
    const sources: [string, unknown][] = [];
    if (spec.source !== undefined) sources.push([`${prefix}.source`, spec.source]);
    readList(spec.sources).forEach((s, i) => sources.push([`${prefix}.sources[${i}]`, s]));
    if (sources.length === 0 && !isUnknown(spec.source) && !isUnknown(spec.sources)) {
        return [
            {
                urn: object.urn,
                message: `${describeObject(object)} declares no source with a pinned targetRevision`,
            },
        ];
    }
    return sources.flatMap(([path, source]) => {
        if (isUnknown(source)) return [];
        const revision = isRecord(source) ? source.targetRevision : undefined;
        const form = findFloatingForm(revision);
        if (!form) return [];
        const appOfApps =
            deployDirectory !== undefined &&
            object.file === undefined &&
            isDeployFilesSource(source, deployDirectory);
        if (appOfApps && form === "a branch or tag name") return [];
        const shown = revision === undefined ? "is not set" : `is ${JSON.stringify(revision)}`;
        return [
            {
                urn: object.urn,
                message: `${describeObject(object)}: ${path}.targetRevision ${shown}, ${form}; ${pinAdvice}`,
            },
        ];
    });
}

function findWarehouseRepos(view: StackView, stage: KubeObject): Set<string> {
    const repos = view
        .findKube(groups.kargo, "Warehouse")
        .filter((w) => isSameNamespace(w, stage))
        .flatMap((w) => readList(readPath(w.spec, "subscriptions")).map((s) => readPath(s, "chart.repoURL")));
    return new Set(repos.filter((r): r is string => typeof r === "string"));
}

/** A write is checked only when its value is known; each failure names the step and the key. */
function checkWrittenRevision(
    step: PromotionStep,
    key: string,
    value: unknown,
    repos: Set<string>,
): Finding[] {
    if (isUnknown(value)) return [];
    const repo = findChartFromRepo(value, step.env);
    if (!repo.ok && repo.unknown) return [];
    if (!repo.ok) {
        return [{ urn: step.urn, message: `${step.where} writes ${key}, but ${repo.reason}` }];
    }
    if (repos.has(repo.value)) return [];
    const known = [...repos].map((r) => JSON.stringify(r)).join(", ") || "none";
    return [
        {
            urn: step.urn,
            message: `${step.where} writes ${key} from chartFrom(${JSON.stringify(repo.value)}), which matches no Warehouse chart repoURL exactly (Warehouses: ${known})`,
        },
    ];
}

/** Steps that write a targetRevision: yaml/json updates of a revision key, argocd-update with updateTargetRevision. */
export function findStepFindings(step: PromotionStep, keyPattern: RegExp, repos: Set<string>): Finding[] {
    if (step.uses === "yaml-update" || step.uses === "json-update") {
        return readList(step.config.updates)
            .filter(isRecord)
            .filter((u) => typeof u.key === "string" && keyPattern.test(u.key))
            .flatMap((u) => checkWrittenRevision(step, String(u.key), u.value, repos));
    }
    if (step.uses === "argocd-update") {
        return readList(step.config.apps).flatMap((app, a) =>
            readList(readPath(app, "sources"))
                .filter((s) => readPath(s, "updateTargetRevision") === true)
                .flatMap((s, i) =>
                    checkWrittenRevision(
                        step,
                        `apps[${a}].sources[${i}].desiredRevision`,
                        readPath(s, "desiredRevision"),
                        repos,
                    ),
                ),
        );
    }
    return [];
}

export const noFloatingTargetRevision: StackValidationPolicy = {
    name: "no-floating-target-revision",
    description:
        "Argo CD Applications and ApplicationSets, declared or committed as deploy files, pin every targetRevision to an exact version (an app-of-apps syncing the deploy directory may follow a branch), and every promotion step that writes a targetRevision writes the promoted chartFrom() version of a Warehouse repoURL.",
    remediationSteps:
        'Set targetRevision to an exact chart version (no *, HEAD, branch, empty value, range, partial version or digest). In yaml-update/argocd-update steps write "${{ chartFrom("<repoURL>").Version }}" with the Warehouse subscription\'s repoURL copied byte for byte (same scheme, no trailing slash), as a literal or a var with a literal value.',
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema,
    validateStack: (args, reportViolation) => {
        const config = readConfig<Config>(args, configSchema);
        const keyPattern = new RegExp(config.revisionKeyPattern);
        const view = buildStackView(args.resources);
        const apps = [
            ...view.findKube(groups.argo, "Application"),
            ...view.findKube(groups.argo, "ApplicationSet"),
        ];
        const promotions = expandAllPromotions(view);
        if (apps.length === 0 && promotions.length === 0) {
            args.notApplicable("the stack declares no Argo CD Application, ApplicationSet or Kargo Stage");
        }
        const findings = [
            ...apps.flatMap((app) => findRevisionFindings(app, config.deployDirectory)),
            ...promotions.flatMap((p) => {
                const repos = findWarehouseRepos(view, p.stage);
                return [...p.problems, ...p.steps.flatMap((s) => findStepFindings(s, keyPattern, repos))];
            }),
        ];
        for (const finding of findings) reportViolation(finding.message, finding.urn);
    },
};
