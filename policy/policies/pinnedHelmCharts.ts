/**
 * Policy 2. Every Helm chart the stack installs has an exact version, and Kargo is the known-good release
 * the estate pinned (ADR 009: "pin a known-good Kargo release via its upstream chart"). A missing or
 * ranged version upgrades whatever the chart publishes next, on the next `pulumi up`.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../lib/config";
import { findChartReference, findChartRepo } from "../lib/helm";
import { helmTypes } from "../lib/resources";
import { findFloatingForm } from "../lib/revisions";
import { isRecord, isUnknown, toPlain } from "../lib/values";

interface Config {
    kargoChart: string;
    kargoVersion: string;
}

const configSchema: PolicyConfigSchema = {
    properties: {
        kargoChart: {
            type: "string",
            description: "Chart reference that identifies the Kargo install.",
            default: "oci://ghcr.io/akuity/kargo-charts/kargo",
        },
        kargoVersion: {
            type: "string",
            description: "The Kargo chart version the estate has vetted (release tag without the v).",
            default: "1.11.2",
        },
    },
};

/** Local chart directories are versioned by the repository that contains them. */
function isLocalChart(chart: string, props: Record<string, unknown>): boolean {
    return !findChartRepo(props) && (chart.startsWith(".") || chart.startsWith("/"));
}

export function findChartViolation(
    props: Record<string, unknown>,
    config: Config,
    name: string,
): string | undefined {
    const chart = findChartReference(props);
    if (!chart) {
        return isUnknown(props.chart) ? undefined : `Helm chart "${name}" does not name its chart`;
    }
    if (isLocalChart(chart, props)) return undefined;
    const version = isRecord(props) ? props.version : undefined;
    const form = findFloatingForm(version);
    if (form) {
        const shown = version === undefined ? "has no version" : `has version ${JSON.stringify(version)}`;
        return `Helm chart ${chart} ${shown}, ${form}; pin an exact chart version`;
    }
    if (chart === config.kargoChart && !isUnknown(version) && version !== config.kargoVersion) {
        return `Kargo chart ${chart} is at ${JSON.stringify(version)}, not the vetted ${config.kargoVersion}; upgrade deliberately by changing the pack's kargoVersion too`;
    }
    return undefined;
}

export const pinnedHelmCharts: ResourceValidationPolicy = {
    name: "pinned-helm-charts",
    description: "Every Helm chart the stack installs, Kargo included, is pinned to an exact version.",
    remediationSteps:
        "Set `version` on the helm.v3.Release / helm.v4.Chart to an exact chart version (for Kargo: the vetted release, e.g. 1.11.2, without the v). Bump it deliberately, in a reviewed change.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema,
    validateResource: (args, reportViolation) => {
        if (!helmTypes.has(args.type)) return;
        const props = toPlain(args.props);
        const violation = findChartViolation(
            isRecord(props) ? props : {},
            readConfig<Config>(args, configSchema),
            args.name,
        );
        if (violation) reportViolation(violation);
    },
};
