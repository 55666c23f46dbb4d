/**
 * Policy 5. Kargo's git write credential is the main new attack surface ADR 009 adds: it must come from a
 * OnePasswordItem (never a literal in the program or its state), and git traffic must be HTTPS (Kargo
 * deprecated SSH URLs in 1.10 and removes them in 1.13). The chart registry's read credential (Kargo's
 * `cred-type: helm`, Argo CD's `repo-creds` template) is held to the same rule, and each item must sit
 * where its reader looks (./../lib/registryCredentials.ts).
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../lib/config";
import { isHttpsUrl, resolveStepValues } from "../lib/gitSteps";
import { expandAllPromotions, type Problem, type PromotionStep } from "../lib/kargo";
import {
    argocdSecretTypeLabel,
    findArgocdSecretFindings,
    findRegistryItemFindings,
} from "../lib/registryCredentials";
import { buildStackView, describeObject, groups, type KubeObject, type StackView } from "../lib/resources";
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

/**
 * Literal keys a Secret declares in `data`/`stringData`. resources.json redacts secret values, sometimes
 * the whole map (`"stringData": "[secret]"`); that is still literal data in the program and its state.
 */
export function findLiteralKeys(secret: KubeObject): string[] {
    return ["data", "stringData"].flatMap((field) => {
        const value = secret.props[field];
        if (isRecord(value)) return Object.keys(value).map((k) => `${field}.${k}`);
        return typeof value === "string" && value !== "" && !isUnknown(value) ? [field] : [];
    });
}

/** A credential Secret declared by the stack: literal data, or a git credential not written by the operator. */
export function findSecretFindings(secret: KubeObject): Problem[] {
    const keys = findLiteralKeys(secret);
    const type = secret.labels[credTypeLabel];
    if (keys.length > 0) {
        return [
            {
                urn: secret.urn,
                message: `${describeObject(secret)} (${credTypeLabel}: ${type}) carries literal data (${keys.join(", ")}); source it from a OnePasswordItem`,
            },
        ];
    }
    if (type !== "git" && type !== "helm") return [];
    return [
        {
            urn: secret.urn,
            message: `${describeObject(secret)} is a ${type} credential declared as a Secret; declare a OnePasswordItem (the operator writes the Secret)`,
        },
    ];
}

export function findItemPathFindings(item: KubeObject): Problem[] {
    const itemPath = readPath(item.spec, "itemPath");
    if (isUnknown(itemPath) || (typeof itemPath === "string" && itemPathPattern.test(itemPath))) return [];
    return [
        {
            urn: item.urn,
            message: `${describeObject(item)} has itemPath ${JSON.stringify(itemPath)}; expected vaults/<vault>/items/<item>`,
        },
    ];
}

/** git-clone URLs (resolved) and Warehouse git subscriptions must be HTTPS. */
export function findGitUrlFindings(view: StackView, gitSteps: PromotionStep[]): Problem[] {
    const findings: Problem[] = [];
    for (const step of gitSteps) {
        for (const value of resolveStepValues(step, ["repoURL"])) {
            if (!value.resolution.ok && value.resolution.unknown) continue;
            if (!value.resolution.ok) {
                findings.push({
                    urn: step.urn,
                    message: `${step.where}: cannot resolve repoURL ${JSON.stringify(value.raw)}: ${value.resolution.reason}`,
                });
            } else if (!isHttpsUrl(value.resolution.value)) {
                findings.push({
                    urn: step.urn,
                    message: `${step.where} clones ${JSON.stringify(value.resolution.value)}, which is not an HTTPS URL`,
                });
            }
        }
    }
    for (const warehouse of view.findKube(groups.kargo, "Warehouse")) {
        readList(readPath(warehouse.spec, "subscriptions")).forEach((subscription, i) => {
            const repoURL = readPath(subscription, "git.repoURL");
            if (
                repoURL === undefined ||
                isUnknown(repoURL) ||
                (typeof repoURL === "string" && isHttpsUrl(repoURL))
            )
                return;
            findings.push({
                urn: warehouse.urn,
                message: `${describeObject(warehouse)}: subscriptions[${i}].git.repoURL ${JSON.stringify(repoURL)} is not an HTTPS URL`,
            });
        });
    }
    return findings;
}

/** Each Stage that clones needs a git credential item in its project namespace or the shared one. */
export function findMissingGitItems(
    gitSteps: PromotionStep[],
    gitItems: KubeObject[],
    config: Config,
): Problem[] {
    const stages = new Map(gitSteps.map((s) => [s.stage.urn, s.stage]));
    return [...stages.values()].flatMap((stage) => {
        const namespaces = [stage.namespace, config.sharedResourcesNamespace];
        if (gitItems.some((i) => i.namespace === undefined || namespaces.includes(i.namespace))) return [];
        return [
            {
                urn: stage.urn,
                message: `${describeObject(stage)} clones git but no OnePasswordItem labelled ${credTypeLabel}: git exists in namespace ${stage.namespace ?? "(default)"} or ${config.sharedResourcesNamespace}`,
            },
        ];
    });
}

export const credentialsFromOnePassword: StackValidationPolicy = {
    name: "credentials-from-1password",
    description:
        "Kargo and Argo CD credentials come from 1Password: no Secret labelled kargo.akuity.io/cred-type carries literal data, git and helm credentials and Argo CD repo-creds templates are OnePasswordItems (where their readers look), no Argo CD repository Secret carries a literal credential, and git URLs are HTTPS.",
    remediationSteps:
        "Declare a OnePasswordItem (onepassword.com/v1) in the project namespace with label kargo.akuity.io/cred-type: git (or helm, for a chart registry) and spec.itemPath vaults/<vault>/items/<item> whose fields are repoURL, username, password; for Argo CD, a OnePasswordItem labelled argocd.argoproj.io/secret-type: repo-creds in the Argo CD namespace (fields url, type, enableOCI, username, password); delete the literal Secret; use https:// git URLs.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema,
    validateStack: (args, reportViolation) => {
        const config = readConfig<Config>(args, configSchema);
        const view = buildStackView(args.resources);
        const credSecrets = view.findKube(groups.core, "Secret").filter((s) => credTypeLabel in s.labels);
        const items = view.findKube(groups.onePassword, "OnePasswordItem");
        const gitItems = items.filter((i) => i.labels[credTypeLabel] === "git");
        const registryItems = items.filter(
            (i) => i.labels[credTypeLabel] === "helm" || argocdSecretTypeLabel in i.labels,
        );
        const argocdSecrets = view
            .findKube(groups.core, "Secret")
            .filter((s) => argocdSecretTypeLabel in s.labels);
        const gitSteps = expandAllPromotions(view).flatMap((p) =>
            p.steps.filter((s) => s.uses === "git-clone"),
        );
        const urlFindings = findGitUrlFindings(view, gitSteps);
        // The credential checks guard credentials; until the stack declares one they have nothing to
        // check, and the policy says so instead of failing on a component that is not built yet.
        const credentialCount =
            credSecrets.length + gitItems.length + registryItems.length + argocdSecrets.length;
        if (credentialCount === 0 && urlFindings.length === 0) {
            args.notApplicable(
                `not applicable yet: no Secret labelled ${credTypeLabel}, no credential OnePasswordItem and no Argo CD repository Secret (${gitSteps.length} git-clone steps will need one)`,
            );
        }
        const findings = [
            ...urlFindings,
            ...credSecrets.flatMap(findSecretFindings),
            ...gitItems.flatMap(findItemPathFindings),
            ...registryItems.flatMap(findItemPathFindings),
            ...findRegistryItemFindings(view, registryItems, config.sharedResourcesNamespace),
            ...argocdSecrets.flatMap(findArgocdSecretFindings),
            ...(credSecrets.length > 0 || gitItems.length > 0
                ? findMissingGitItems(gitSteps, gitItems, config)
                : []),
        ];
        for (const finding of findings) reportViolation(finding.message, finding.urn);
    },
};
