/**
 * Kargo 1.11.2's Warehouse webhooks (pkg/webhook/kubernetes/warehouse/webhook.go): the defaulter fills
 * discovery limits and strategies, then validateSubs runs each subscriber's ValidateSubscription
 * (pkg/subscription/{chart,git,image}.go) on the defaulted subscription.
 */
import { validateProjectNamespace, type AdmissionContext } from "./cluster";
import {
    asArray,
    asDict,
    asInt,
    asString,
    namespaceOf,
    pointer,
    quote,
    specOf,
    type Dict,
    type RuleIssue,
} from "./objects";
import { describeSemverConstraintError } from "./semver";
import { normalizeChart, normalizeGit, normalizeImage } from "./urls";

/** The defaulter's discovery limit (webhook.go defaultDiscoveryLimit, each ApplySubscriptionDefaults). */
const DEFAULT_DISCOVERY_LIMIT = 20;

/** chart.go, helmRepoURLRegex. */
const HELM_REPO_URL = /^(((https?)|(oci)):\/\/)([\w\d.-]+)(:[\d]+)?(\/.*)*$/;
/** git.go, gitURLRegex (SSH and SCP forms still accepted in 1.11). */
const GIT_URL =
    /(?:^(ssh|https?):\/\/(?:([\w-]+)(:(.+))?@)?([\w-]+(?:\.[\w-]+)*)(?::(\d{1,5}))?(\/.*)$)|(?:^([\w-]+)@([\w+]+(?:\.[\w-]+)*):(\/?.*))/;
/** git.go, branchRegex. */
const BRANCH = /^[a-zA-Z0-9]([a-zA-Z0-9._/-]*[a-zA-Z0-9_-])?$/;
/** image.go, imageRepoURLRegex. */
const IMAGE_REPO_URL = /^(\w+([.-]\w+)*(:[\d]+)?\/)?(\w+([.-]\w+)*)(\/\w+([.-]\w+)*)*$/;
const COMMIT_STRATEGIES = ["Lexical", "NewestFromBranch", "NewestTag", "SemVer"];
const IMAGE_STRATEGIES = ["Digest", "Lexical", "NewestBuild", "SemVer"];

type Path = readonly (string | number)[];

/** pkg/validation/validation.go, MinLength (Go counts bytes). */
function validateMinLength(path: Path, value: string, min: number): RuleIssue[] {
    return Buffer.byteLength(value) < min
        ? [{ path: pointer(...path), message: `must have a minimum length of ${min}` }]
        : [];
}

/** pkg/validation/validation.go, SemverConstraint (upstream's detail is empty: the parser's error is added). */
export function validateSemverConstraint(path: Path, constraint: string): RuleIssue[] {
    if (constraint === "") return [];
    const problem = describeSemverConstraintError(constraint);
    return problem === undefined
        ? []
        : [{ path: pointer(...path), message: `Invalid value: ${quote(constraint)} (${problem})` }];
}

/** The same Minimum=1/Maximum=100 check in every subscriber, after the defaulter turned 0 into 20. */
function validateDiscoveryLimit(path: Path, sub: Dict): RuleIssue[] {
    const limit = asInt(sub.discoveryLimit) || DEFAULT_DISCOVERY_LIMIT;
    if (limit < 1) return [{ path: pointer(...path, "discoveryLimit"), message: "must be >= 1" }];
    if (limit > 100) return [{ path: pointer(...path, "discoveryLimit"), message: "must be <= 100" }];
    return [];
}

/** chart.go, chartSubscriber.ValidateSubscription: URL form, `name` by scheme, constraint, limit. */
export function validateChartSubscription(path: Path, sub: Dict): RuleIssue[] {
    const repoURL = asString(sub.repoURL);
    const name = asString(sub.name);
    const issues = validateMinLength([...path, "repoURL"], repoURL, 1);
    if (!HELM_REPO_URL.test(repoURL)) {
        issues.push({ path: pointer(...path, "repoURL"), message: "must be a valid Helm repository URL" });
    }
    if (repoURL.startsWith("oci://") && name !== "") {
        issues.push({
            path: pointer(...path, "name"),
            message: "must be empty if repoURL starts with oci://",
        });
    }
    if (/^https?:\/\//.test(repoURL) && name === "") {
        issues.push({
            path: pointer(...path, "name"),
            message: "must be non-empty if repoURL starts with http:// or https://",
        });
    }
    issues.push(...validateSemverConstraint([...path, "semverConstraint"], asString(sub.semverConstraint)));
    return [...issues, ...validateDiscoveryLimit(path, sub)];
}

/** git.go, gitSubscriber.ValidateSubscription (after ApplySubscriptionDefaults). */
export function validateGitSubscription(path: Path, sub: Dict): RuleIssue[] {
    const repoURL = asString(sub.repoURL);
    const branch = asString(sub.branch);
    const strategy = asString(sub.commitSelectionStrategy) || "NewestFromBranch";
    const issues = validateMinLength([...path, "repoURL"], repoURL, 1);
    if (!GIT_URL.test(repoURL)) {
        issues.push({ path: pointer(...path, "repoURL"), message: "must be a valid Git repository URL" });
    }
    if (branch !== "") {
        if (Buffer.byteLength(branch) > 255) {
            issues.push({ path: pointer(...path, "branch"), message: "must have a maximum length of 255" });
        }
        if (!BRANCH.test(branch)) {
            issues.push({ path: pointer(...path, "branch"), message: "must be a valid branch name" });
        }
    }
    if (!COMMIT_STRATEGIES.includes(strategy)) {
        issues.push({
            path: pointer(...path, "commitSelectionStrategy"),
            message: `Unsupported value: ${quote(strategy)}: supported values: ${COMMIT_STRATEGIES.map(quote).join(", ")}`,
        });
    }
    issues.push(...validateSemverConstraint([...path, "semverConstraint"], asString(sub.semverConstraint)));
    return [...issues, ...validateDiscoveryLimit(path, sub)];
}

/**
 * image.go, imageSubscriber.ValidateSubscription (after ApplySubscriptionDefaults). The cache-by-tag
 * rule depends on the controller's CACHE_BY_TAG_POLICY (default Allow) and is not modelled.
 */
export function validateImageSubscription(path: Path, sub: Dict): RuleIssue[] {
    const repoURL = asString(sub.repoURL);
    const strategy = asString(sub.imageSelectionStrategy) || "SemVer";
    const constraint = asString(sub.constraint);
    const platform = asString(sub.platform);
    const issues = validateMinLength([...path, "repoURL"], repoURL, 1);
    if (!IMAGE_REPO_URL.test(repoURL)) {
        issues.push({ path: pointer(...path, "repoURL"), message: "must be a valid image repository URL" });
    }
    if (!IMAGE_STRATEGIES.includes(strategy)) {
        issues.push({
            path: pointer(...path, "imageSelectionStrategy"),
            message: `Unsupported value: ${quote(strategy)}: supported values: ${IMAGE_STRATEGIES.map(quote).join(", ")}`,
        });
    }
    if (strategy === "Digest" && constraint === "") {
        issues.push({
            path: pointer(...path, "constraint"),
            message: "must be set when imageSelectionStrategy is Digest",
        });
    }
    if (strategy === "SemVer") issues.push(...validateSemverConstraint([...path, "constraint"], constraint));
    // pkg/image/platform_constraint.go, parsePlatformConstraint: at least `<os>/<arch>`.
    if (platform !== "" && platform.split("/").length < 2) {
        issues.push({ path: pointer(...path, "platform"), message: "must be in format <os>/<arch>" });
    }
    return [...issues, ...validateDiscoveryLimit(path, sub)];
}

/** What identifies a subscription's repository, and how a duplicate is described (addSub). */
function subscriptionKey(kind: string, sub: Dict): { key: string; what: string } | undefined {
    const repoURL = asString(sub.repoURL);
    if (kind === "chart") {
        const isHttp = /^https?:\/\//.test(repoURL);
        const name = asString(sub.name);
        return {
            key: `chart:${normalizeChart(repoURL)}${isHttp ? `:${name}` : ""}`,
            what: isHttp ? `subscription for chart ${quote(name)}` : "subscription for chart",
        };
    }
    if (kind === "git")
        return { key: `git:${normalizeGit(repoURL)}`, what: "subscription for Git repository" };
    if (kind === "image")
        return { key: `image:${normalizeImage(repoURL)}`, what: "subscription for image repository" };
    return undefined;
}

/**
 * warehouse/webhook.go, uniqueSubSet.addSub: one subscription per repository (per chart for http(s)
 * repositories). Kargo 1.11.2 has this check but never records a subscription in the set, so it admits
 * duplicates; later Kargo (main, 559faeb36) rejects them. Modelled because a duplicate is a mistake
 * either way and an upgrade would refuse the Warehouse.
 */
export function validateSubscriptionUniqueness(subscriptions: unknown): RuleIssue[] {
    const issues: RuleIssue[] = [];
    const firstAt = new Map<string, string>();
    asArray(subscriptions).forEach((raw, i) => {
        const [kind] = Object.keys(asDict(raw));
        const id = subscriptionKey(kind, asDict(asDict(raw)[kind]));
        if (!id) return;
        const existing = firstAt.get(id.key);
        if (existing !== undefined) {
            issues.push({
                path: pointer("spec", "subscriptions", i, kind, "repoURL"),
                message:
                    `${id.what} already exists at ${quote(existing)} ` +
                    "(Kargo 1.11.2 does not enforce this yet; releases after it reject the Warehouse)",
            });
        } else {
            firstAt.set(id.key, `spec.subscriptions[${i}].${kind}`);
        }
    });
    return issues;
}

/** warehouse/webhook.go, validateSub: the subscriber for each entry (a generic one has none in 1.11.2). */
export function validateSubscription(raw: unknown, index: number): RuleIssue[] {
    const keys = Object.keys(asDict(raw));
    // More or less than one key fails JSON decoding (WarehouseSpec.UnmarshalJSON): the schema check reports it.
    if (keys.length !== 1) return [];
    const [kind] = keys;
    const path = ["spec", "subscriptions", index, kind];
    const sub = asDict(asDict(raw)[kind]);
    if (kind === "chart") return validateChartSubscription(path, sub);
    if (kind === "git") return validateGitSubscription(path, sub);
    if (kind === "image") return validateImageSubscription(path, sub);
    return [
        {
            path: pointer(...path),
            message: "subscriber registry lookup failed: no matching registration found",
        },
    ];
}

/** warehouse/webhook.go, validateSubs. */
export function validateSubs(subscriptions: unknown): RuleIssue[] {
    return [
        ...asArray(subscriptions).flatMap((sub, i) => validateSubscription(sub, i)),
        ...validateSubscriptionUniqueness(subscriptions),
    ];
}

/** warehouse/webhook.go, ValidateCreate. */
export function validateWarehouse(warehouse: unknown, ctx?: AdmissionContext): RuleIssue[] {
    const project = ctx ? validateProjectNamespace(namespaceOf(warehouse), ctx) : [];
    return [...project, ...validateSubs(specOf(warehouse).subscriptions)];
}
