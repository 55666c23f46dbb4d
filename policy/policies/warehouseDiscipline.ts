/**
 * Policy 3. Warehouses discover Freight from OCI by semver within a bounded window: chartFrom() and
 * argocd-update match the oci:// URL exactly, an empty constraint means "always latest", and an unbounded
 * discovery keeps every version ever published as candidate Freight.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../lib/config";
import { buildKubeObject, describeObject, groups } from "../lib/resources";
import { isRecord, isUnknown, readList, readPath, toPlain } from "../lib/values";

interface Config {
    repoPrefixes: string[];
    maxDiscoveryLimit: number;
}

const configSchema: PolicyConfigSchema = {
    properties: {
        repoPrefixes: {
            type: "array",
            items: { type: "string" },
            description: "Allowed chart repoURL prefixes (all must be oci://).",
            default: ["oci://"],
        },
        maxDiscoveryLimit: {
            type: "integer",
            minimum: 1,
            maximum: 100,
            description: "Largest discoveryLimit allowed (Kargo accepts 1-100).",
            default: 100,
        },
    },
};

const matchesEverything = new Set(["*", "x", "X", ">=0.0.0", ">0.0.0-0"]);

/** Problems of one chart subscription, each phrased as a sentence fragment. */
export function findSubscriptionProblems(chart: Record<string, unknown>, config: Config): string[] {
    const problems: string[] = [];
    const repoURL = chart.repoURL;
    const prefixes = config.repoPrefixes.filter((p) => p.startsWith("oci://"));
    if (
        !isUnknown(repoURL) &&
        (typeof repoURL !== "string" || !prefixes.some((p) => repoURL.startsWith(p)))
    ) {
        problems.push(`repoURL ${JSON.stringify(repoURL)} is not under ${prefixes.join(" or ") || "oci://"}`);
    }
    const constraint = chart.semverConstraint;
    if (!isUnknown(constraint)) {
        if (typeof constraint !== "string" || constraint.trim() === "") {
            problems.push("semverConstraint is empty, so every new version (any major) becomes Freight");
        } else if (matchesEverything.has(constraint.trim())) {
            problems.push(`semverConstraint ${JSON.stringify(constraint)} matches every version`);
        }
    }
    const limit = chart.discoveryLimit;
    if (!isUnknown(limit)) {
        if (limit === undefined) problems.push("discoveryLimit is not set");
        else if (
            typeof limit !== "number" ||
            !Number.isInteger(limit) ||
            limit < 1 ||
            limit > config.maxDiscoveryLimit
        ) {
            problems.push(
                `discoveryLimit ${JSON.stringify(limit)} is not an integer from 1 to ${config.maxDiscoveryLimit}`,
            );
        }
    }
    return problems;
}

export const warehouseDiscipline: ResourceValidationPolicy = {
    name: "warehouse-discipline",
    description:
        "Warehouse chart subscriptions use an oci:// repoURL, a non-empty semverConstraint and a discoveryLimit.",
    remediationSteps:
        "In each `subscriptions[].chart`: set repoURL to oci://<registry>/<path>/<chart> (no `name` for OCI), a semverConstraint that bounds the major version (e.g. ^1.0.0 or <1.0.0), and discoveryLimit (1-100, e.g. 20).",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema,
    validateResource: (args, reportViolation) => {
        const props = toPlain(args.props);
        const object = buildKubeObject({
            urn: args.urn,
            type: args.type,
            name: args.name,
            props: isRecord(props) ? props : {},
        });
        if (!object || object.group !== groups.kargo || object.kind !== "Warehouse") return;
        const config = readConfig<Config>(args, configSchema);
        readList(readPath(object.spec, "subscriptions")).forEach((subscription, i) => {
            if (!isRecord(subscription) || !isRecord(subscription.chart)) return;
            for (const problem of findSubscriptionProblems(subscription.chart, config)) {
                reportViolation(`${describeObject(object)}: subscriptions[${i}].chart ${problem}`);
            }
        });
    },
};
