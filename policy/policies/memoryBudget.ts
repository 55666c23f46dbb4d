/**
 * Policy 8 (stack policy). The node the dev stage lands on is already ~92% committed (ADR 009 risk #1):
 * the memory the stack adds must fit a stated budget, and every container must have limits so one
 * runaway pod cannot take the node with it. Helm charts are only counted through a known list of
 * components; a chart the pack cannot see inside is reported rather than counted as zero.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../lib/config";
import { formatMemory, parseMemory } from "../lib/quantity";
import { buildStackView } from "../lib/resources";
import { isUnknown, readPath } from "../lib/values";
import { findContainers, findMemoryRequest, isKnown, type Container } from "../lib/workloads";

interface Config {
    memoryBudget: string;
    requiredLimits: ("memory" | "cpu")[];
    chartComponents: Record<string, string[]>;
}

const configSchema: PolicyConfigSchema = {
    properties: {
        memoryBudget: {
            type: "string",
            pattern: "^[0-9.]+(Ki|Mi|Gi|Ti|k|M|G|T)?$",
            description: "Total memory requests the stack may add, as a Kubernetes quantity.",
            default: "2Gi",
        },
        requiredLimits: {
            type: "array",
            items: { type: "string", enum: ["memory", "cpu"] },
            description: "Limits every container must set.",
            default: ["memory"],
        },
        chartComponents: {
            type: "object",
            additionalProperties: { type: "array", items: { type: "string" } },
            description:
                "Per chart name: values paths of its components (each with resources, optional replicas/enabled); a trailing ? marks an opt-in component.",
            default: {
                kargo: [
                    "api",
                    "api.oidc.dex?",
                    "controller",
                    "managementController",
                    "webhooksServer",
                    "externalWebhooksServer",
                    "garbageCollector",
                ],
            },
        },
    },
};

export function findMissingLimits(container: Container, required: string[]): string[] {
    const limits = readPath(container.resources, "limits");
    if (isUnknown(limits) || isUnknown(container.resources)) return [];
    return required.filter((kind) => readPath(limits, kind) === undefined);
}

/** Total of known requests × copies, and the containers whose request is not a quantity. */
export function sumMemory(containers: Container[]): {
    total: number;
    invalid: Container[];
    parts: [string, number][];
} {
    let total = 0;
    const invalid: Container[] = [];
    const parts: [string, number][] = [];
    for (const container of containers) {
        const request = findMemoryRequest(container);
        if (!isKnown(request)) continue;
        const bytes = parseMemory(request);
        if (bytes === undefined) {
            invalid.push(container);
            continue;
        }
        total += bytes * container.copies;
        parts.push([container.label, bytes * container.copies]);
    }
    return { total, invalid, parts };
}

export const memoryBudget: StackValidationPolicy = {
    name: "memory-budget",
    description:
        "The memory requests of everything the stack adds stay within the configured budget, and every container has limits.",
    remediationSteps:
        "Set resources.requests.memory and resources.limits.memory on every container (Kargo chart values per component, CNPG spec.resources, AnalysisTemplate job containers); shrink requests or raise memoryBudget in a reviewed change; list other charts' components under chartComponents.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema,
    validateStack: (args, reportViolation) => {
        const config = readConfig<Config>(args, configSchema);
        const budget = parseMemory(config.memoryBudget) ?? 0;
        const { containers, unaccountedCharts } = findContainers(
            buildStackView(args.resources),
            config.chartComponents,
        );
        for (const { chart, urn } of unaccountedCharts) {
            reportViolation(
                `Helm chart ${chart} cannot be counted: list its components under chartComponents`,
                urn,
            );
        }
        for (const container of containers) {
            const missing = findMissingLimits(container, config.requiredLimits);
            if (missing.length > 0) {
                reportViolation(
                    `${container.label} has no ${missing.map((k) => `limits.${k}`).join(" or ")}`,
                    container.urn,
                );
            }
        }
        const { total, invalid, parts } = sumMemory(containers);
        for (const container of invalid) {
            reportViolation(
                `${container.label} requests memory ${JSON.stringify(findMemoryRequest(container))}, which is not a quantity`,
                container.urn,
            );
        }
        if (total > budget) {
            const largest = [...parts]
                .sort((a, b) => b[1] - a[1])
                .slice(0, 5)
                .map(([label, bytes]) => `${label} ${formatMemory(bytes)}`);
            reportViolation(
                `memory requests total ${formatMemory(total)}, over the ${config.memoryBudget} budget (largest: ${largest.join(", ")})`,
            );
        }
    },
};
