/**
 * Policy 4. Production only takes Freight that was verified upstream: never straight from a Warehouse, every
 * upstream Stage runs at least one AnalysisTemplate, and deploys every chart of the Freight it verifies (Kargo
 * marks a whole Freight verified, lib/freightScope.ts), so "green promotes; red holds at dev" holds.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../lib/config";
import { findUndeployedCharts } from "../lib/freightScope";
import {
    buildStackView,
    describeObject,
    groups,
    isSameNamespace,
    type KubeObject,
    type StackView,
} from "../lib/resources";
import { findProdStages, prodStagesSchema } from "../lib/stages";
import { isRecord, isUnknown, readList, readPath, readString } from "../lib/values";

interface Config {
    prodStages: string[];
    requireDeclaredTemplates: boolean;
}

const configSchema: PolicyConfigSchema = {
    properties: {
        prodStages: prodStagesSchema,
        requireDeclaredTemplates: {
            type: "boolean",
            description:
                "Referenced AnalysisTemplates must be declared in this stack (turn off if another stack owns them).",
            default: true,
        },
    },
};

/** Why one upstream Stage does not gate production, if it does not. */
export function findUpstreamProblems(
    upstream: KubeObject,
    view: StackView,
    requireDeclared: boolean,
): string[] {
    const list = readPath(upstream.spec, "verification.analysisTemplates");
    if (isUnknown(list)) return [];
    if (readList(list).length === 0)
        return [`${describeObject(upstream)} has no verification AnalysisTemplate`];
    const templates = readList(list).filter(isRecord);
    if (!requireDeclared) return [];
    return templates.flatMap((ref) => {
        if (isUnknown(ref.name) || isUnknown(ref.kind)) return [];
        const name = readString(ref.name);
        const kind = readString(ref.kind) ?? "AnalysisTemplate";
        const declared = view
            .findKube(groups.argo, kind)
            .some(
                (t) =>
                    t.objectName === name &&
                    (kind === "ClusterAnalysisTemplate" || isSameNamespace(t, upstream)),
            );
        return declared
            ? []
            : [
                  `${describeObject(upstream)} verifies with ${kind} "${name ?? "?"}", which this stack does not declare`,
              ];
    });
}

/** Each problem of one prod Stage; anything unknown during preview is skipped, not reported. */
export function findProdStageProblems(prod: KubeObject, view: StackView, config: Config): string[] {
    const requested = readPath(prod.spec, "requestedFreight");
    if (isUnknown(requested)) return [];
    if (readList(requested).length === 0) return [`${describeObject(prod)} requests no Freight`];
    // Entries unknown during preview are skipped one by one.
    const requests = readList(requested).filter(isRecord);
    const problems: string[] = [];
    const upstreamNames = new Set<string>();
    const declaredStages = view.findKube(groups.kargo, "Stage");
    requests.forEach((request, i) => {
        const origin = readString(readPath(request, "origin.name")) ?? "?";
        if (readPath(request, "sources.direct") === true) {
            problems.push(
                `${describeObject(prod)} requestedFreight[${i}] takes Freight directly from Warehouse "${origin}"`,
            );
        }
        const stages = readPath(request, "sources.stages");
        if (isUnknown(stages)) return;
        const names = readList(stages).filter((s): s is string => typeof s === "string" && !isUnknown(s));
        if (readList(stages).length === 0) {
            problems.push(
                `${describeObject(prod)} requestedFreight[${i}] (Warehouse "${origin}") names no upstream stage`,
            );
        }
        names.forEach((s) => upstreamNames.add(s));
        for (const name of names) {
            const upstream = declaredStages.find((s) => s.objectName === name && isSameNamespace(s, prod));
            const undeployed = upstream ? findUndeployedCharts(upstream, origin, view) : [];
            if (undeployed.length === 0) continue;
            problems.push(
                `${describeObject(prod)} requestedFreight[${i}] takes Freight of Warehouse "${origin}" verified in Stage "${name}", ` +
                    `which never deploys ${undeployed.join(", ")}: Kargo marks the whole Freight verified, so prod would ` +
                    `run ${undeployed.length > 1 ? "them" : "it"} unverified`,
            );
        }
    });
    for (const name of upstreamNames) {
        const upstream = view
            .findKube(groups.kargo, "Stage")
            .find((s) => s.objectName === name && isSameNamespace(s, prod));
        if (!upstream) {
            problems.push(
                `${describeObject(prod)} takes Freight from Stage "${name}", which this stack does not declare`,
            );
        } else problems.push(...findUpstreamProblems(upstream, view, config.requireDeclaredTemplates));
    }
    return problems;
}

export const gatedProd: StackValidationPolicy = {
    name: "gated-prod",
    description:
        "The production Stage takes Freight only from upstream Stages, never directly from a Warehouse; each upstream Stage verifies with at least one AnalysisTemplate and deploys every chart of the Freight it verifies.",
    remediationSteps:
        'On the prod Stage set every requestedFreight[].sources to `{ stages: ["dev"] }` (no `direct: true`); on each upstream Stage set `verification.analysisTemplates` to the reviewed templates (e.g. smoke, visual-regression) declared in the project namespace; give each chart its own Warehouse (release-pipeline:pipeline.warehouseLayout per-chart) unless the upstream Stage deploys every chart of a shared one.',
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema,
    validateStack: (args, reportViolation) => {
        const config = readConfig<Config>(args, configSchema);
        const view = buildStackView(args.resources);
        const stages = view.findKube(groups.kargo, "Stage");
        if (stages.length === 0) args.notApplicable("the stack declares no Kargo Stage");
        const prodStages = findProdStages(view, config.prodStages);
        if (prodStages.length === 0) {
            const names = stages.map((s) => s.objectName).join(", ");
            reportViolation(
                `no Stage matches prodStages ${JSON.stringify(config.prodStages)} (Stages: ${names}); set prodStages to the production stage`,
            );
        }
        for (const prod of prodStages) {
            for (const problem of findProdStageProblems(prod, view, config))
                reportViolation(problem, prod.urn);
        }
    },
};
