/**
 * Policy 4, second half. Auto-promotion into prod lets an AnalysisRun verdict alone ship to production;
 * ADR 009 leaves that open (open question 4) and keeps manual approval as the backstop. Reported as
 * advisory by default; an estate that settled on manual promotion sets this policy to mandatory.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../lib/config";
import { matchesLabelSelector, matchesStageName } from "../lib/kargo";
import { buildStackView, describeObject, groups, isSameNamespace, type KubeObject } from "../lib/resources";
import { findProdStages, prodStagesSchema } from "../lib/stages";
import { isRecord, readList, readPath, readString } from "../lib/values";

interface Config {
    prodStages: string[];
}

const configSchema: PolicyConfigSchema = { properties: { prodStages: prodStagesSchema } };

/** Whether a ProjectConfig promotion policy selects the Stage (name and labels must both match). */
export function matchesPromotionPolicy(policy: Record<string, unknown>, stage: KubeObject): boolean {
    const legacy = readString(policy.stage);
    if (legacy) return legacy === stage.objectName;
    if (!isRecord(policy.stageSelector)) return false;
    const name = readString(policy.stageSelector.name);
    if (name !== undefined && !matchesStageName(name, stage.objectName)) return false;
    return matchesLabelSelector(policy.stageSelector, stage.labels);
}

export const prodAutoPromotion: StackValidationPolicy = {
    name: "prod-auto-promotion",
    description:
        "Auto-promotion into the production Stage is reported, so shipping to prod on an AnalysisRun verdict alone is a visible decision.",
    remediationSteps:
        "In the ProjectConfig set `autoPromotionEnabled: false` for the prod stage's promotion policy and promote with `kargo promote` after green dev; or accept the risk by keeping this policy advisory.",
    enforcementLevel: "advisory",
    severity: "medium",
    configSchema,
    validateStack: (args, reportViolation) => {
        const config = readConfig<Config>(args, configSchema);
        const view = buildStackView(args.resources);
        const prodStages = findProdStages(view, config.prodStages);
        const projectConfigs = view.findKube(groups.kargo, "ProjectConfig");
        if (prodStages.length === 0 || projectConfigs.length === 0) {
            args.notApplicable("the stack declares no production Stage with a ProjectConfig");
        }
        for (const projectConfig of projectConfigs) {
            readList(readPath(projectConfig.spec, "promotionPolicies")).forEach((policy, i) => {
                if (!isRecord(policy) || policy.autoPromotionEnabled !== true) return;
                for (const stage of prodStages.filter(
                    (s) => isSameNamespace(s, projectConfig) && matchesPromotionPolicy(policy, s),
                )) {
                    reportViolation(
                        `${describeObject(projectConfig)} promotionPolicies[${i}] enables auto-promotion into ${describeObject(stage)}`,
                        projectConfig.urn,
                    );
                }
            });
        }
    },
};
