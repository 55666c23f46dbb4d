/**
 * Policy 5. Kargo's git write credential is the main new attack surface ADR 009 adds: it must come from a
 * OnePasswordItem (never a literal in the program or its state), and git traffic must be HTTPS (Kargo
 * deprecated SSH URLs in 1.10 and removes them in 1.13).
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../lib/config";
import { isHttpsUrl, resolveStepValues } from "../lib/gitSteps";
import { expandAllPromotions } from "../lib/kargo";
import { buildStackView, describeObject, groups, type KubeObject } from "../lib/resources";
import { isRecord, isUnknown, readList, readPath } from "../lib/values";

interface Config {
    sharedResourcesNamespace: string;
}

const configSchema: PolicyConfigSchema = {
    properties: {
        sharedResourcesNamespace: {
            type: "string",
            description: "Kargo's shared resources namespace, where credentials for every project may live.",
            default: "kargo-shared-resources",
        },
    },
};

export const credTypeLabel = "kargo.akuity.io/cred-type";
const itemPathPattern = /^vaults\/[^/\s]+\/items\/[^/\s]+$/;

/** Names of literal keys a Secret declares in `data`/`stringData` (values may be redacted or unknown). */
export function findLiteralKeys(secret: KubeObject): string[] {
    return ["data", "stringData"].flatMap((field) => {
        const value = secret.props[field];
        return isRecord(value) ? Object.keys(value).map((k) => `${field}.${k}`) : [];
    });
}

export const credentialsFromOnePassword: StackValidationPolicy = {
    name: "credentials-from-1password",
    description:
        "Kargo credentials come from 1Password: no Secret labelled kargo.akuity.io/cred-type carries literal data, git credentials are OnePasswordItems, and git URLs are HTTPS.",
    remediationSteps:
        "Declare a OnePasswordItem (onepassword.com/v1) in the project namespace with label kargo.akuity.io/cred-type: git and spec.itemPath vaults/<vault>/items/<item> whose fields are repoURL, username, password; delete the literal Secret; use https:// git URLs.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema,
    validateStack: (args, reportViolation) => {
        const config = readConfig<Config>(args, configSchema);
        const view = buildStackView(args.resources);
        const credSecrets = view.findKube(groups.core, "Secret").filter((s) => credTypeLabel in s.labels);
        const items = view.findKube(groups.onePassword, "OnePasswordItem");
        const credItems = items.filter((i) => credTypeLabel in i.labels);
        const promotions = expandAllPromotions(view);
        const gitSteps = promotions.flatMap((p) => p.steps.filter((s) => s.uses === "git-clone"));
        const gitWarehouses = view
            .findKube(groups.kargo, "Warehouse")
            .flatMap((w) =>
                readList(w.spec.subscriptions).map((s, i) => ({ w, i, repoURL: readPath(s, "git.repoURL") })),
            )
            .filter((s) => s.repoURL !== undefined);
        if (
            credSecrets.length === 0 &&
            credItems.length === 0 &&
            gitSteps.length === 0 &&
            gitWarehouses.length === 0
        ) {
            args.notApplicable(
                "not applicable yet: no Kargo credential Secret, credential OnePasswordItem or git promotion step",
            );
        }
        for (const secret of credSecrets) {
            const keys = findLiteralKeys(secret);
            if (keys.length > 0) {
                reportViolation(
                    `${describeObject(secret)} (${credTypeLabel}: ${secret.labels[credTypeLabel]}) carries literal data (${keys.join(", ")}); source it from a OnePasswordItem`,
                    secret.urn,
                );
            }
        }
        for (const item of credItems) {
            const itemPath = item.spec.itemPath;
            if (!isUnknown(itemPath) && (typeof itemPath !== "string" || !itemPathPattern.test(itemPath))) {
                reportViolation(
                    `${describeObject(item)} has itemPath ${JSON.stringify(itemPath)}; expected vaults/<vault>/items/<item>`,
                    item.urn,
                );
            }
        }
        for (const step of gitSteps) {
            for (const value of resolveStepValues(step, ["repoURL"])) {
                if (!value.resolution.ok) {
                    reportViolation(
                        `${step.where}: cannot resolve repoURL ${JSON.stringify(value.raw)}: ${value.resolution.reason}`,
                        step.urn,
                    );
                } else if (!isHttpsUrl(value.resolution.value)) {
                    reportViolation(
                        `${step.where} clones ${JSON.stringify(value.resolution.value)}, which is not an HTTPS URL`,
                        step.urn,
                    );
                }
            }
        }
        for (const { w, i, repoURL } of gitWarehouses) {
            if (!isUnknown(repoURL) && (typeof repoURL !== "string" || !isHttpsUrl(repoURL))) {
                reportViolation(
                    `${describeObject(w)}: subscriptions[${i}].git.repoURL ${JSON.stringify(repoURL)} is not an HTTPS URL`,
                    w.urn,
                );
            }
        }
        const stagesWithGit = new Map(gitSteps.map((s) => [s.stage.urn, s.stage]));
        for (const stage of stagesWithGit.values()) {
            const namespaces = [stage.namespace, config.sharedResourcesNamespace];
            const hasItem = credItems.some(
                (i) =>
                    i.labels[credTypeLabel] === "git" &&
                    (i.namespace === undefined || namespaces.includes(i.namespace)),
            );
            if (!hasItem) {
                reportViolation(
                    `${describeObject(stage)} clones git but no OnePasswordItem labelled ${credTypeLabel}: git exists in namespace ${stage.namespace ?? "(default)"} or ${config.sharedResourcesNamespace}`,
                    stage.urn,
                );
            }
        }
    },
};
