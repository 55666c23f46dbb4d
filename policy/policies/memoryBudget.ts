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
import { findPods, type Container, type Pod } from "../lib/workloads";

interface Config {
    memoryBudget: string;
    limitsBudget: string;
    requiredLimits: ("memory" | "cpu")[];
    chartComponents: Record<string, string[]>;
}

const quantity = "^([0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?)$";

const configSchema: PolicyConfigSchema = {
    properties: {
        memoryBudget: {
            type: "string",
            pattern: quantity,
            description:
                "Total memory requests the stack may add. Default: the stack's own default budget (components/config/budget.ts): the ADR's busiest node, 16Gi at ~92%, leaves 1310Mi; 1152Mi keeps 158Mi spare.",
            // Kept equal to the stack's default by test/policy/packDefaults.test.ts.
            default: "1152Mi",
        },
        limitsBudget: {
            type: "string",
            pattern: `${quantity}|^$`,
            description:
                "Total memory limits the stack may add (the worst case if every container peaks at once); empty: not checked. Default: the stack's own (2x the requests budget).",
            default: "2304Mi",
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

/** What a container reserves: `requests.memory`, else its limit (Kubernetes defaults one to the other). */
export function findMemoryRequest(container: Container, kind: "requests" | "limits"): unknown {
    const value = readPath(container.resources, `${kind}.memory`);
    return value === undefined && kind === "requests"
        ? readPath(container.resources, "limits.memory")
        : value;
}

export interface MemoryTotal {
    total: number;
    /** Each pod's share (already times its copies), largest first. */
    parts: [string, number][];
    /** Containers whose value is set but is not a quantity. */
    invalid: { container: Container; value: unknown }[];
}

/** Sum over pods of max(sum of containers, largest init container) x copies; unknown values count 0. */
export function sumMemory(pods: Pod[], kind: "requests" | "limits"): MemoryTotal {
    const invalid: MemoryTotal["invalid"] = [];
    const bytes = (container: Container): number => {
        const value = findMemoryRequest(container, kind);
        if (value === undefined || isUnknown(value)) return 0;
        const parsed = parseMemory(value);
        // A request borrowed from an invalid limit is reported once, by the limits pass.
        const own = readPath(container.resources, `${kind}.memory`) !== undefined;
        if (parsed === undefined && own) invalid.push({ container, value });
        return parsed ?? 0;
    };
    const parts = pods.map((pod): [string, number] => {
        const main = pod.containers.reduce((sum, c) => sum + bytes(c), 0);
        const init = Math.max(0, ...pod.initContainers.map(bytes));
        return [pod.label, Math.max(main, init) * pod.copies];
    });
    const total = parts.reduce((sum, [, b]) => sum + b, 0);
    return { total, parts: parts.filter(([, b]) => b > 0).sort((a, b) => b[1] - a[1]), invalid };
}

function describeOverrun(kind: string, sum: MemoryTotal, budget: string): string {
    const largest = sum.parts.slice(0, 5).map(([label, b]) => `${label} ${formatMemory(b)}`);
    return `memory ${kind} total ${formatMemory(sum.total)}, over the ${budget} budget (largest: ${largest.join(", ")})`;
}

export const memoryBudget: StackValidationPolicy = {
    name: "memory-budget",
    description:
        "The memory requests (and, when configured, limits) of everything the stack adds stay within the budget, and every container has limits.",
    remediationSteps:
        "Set resources.requests.memory and resources.limits.memory on every container (Kargo chart values per component, CNPG spec.resources, AnalysisTemplate job containers); shrink requests or raise memoryBudget in a reviewed change; list other charts' components under chartComponents.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema,
    validateStack: (args, reportViolation) => {
        const config = readConfig<Config>(args, configSchema);
        const { pods, unaccountedCharts } = findPods(buildStackView(args.resources), config.chartComponents);
        for (const { chart, urn } of unaccountedCharts) {
            reportViolation(
                `Helm chart ${chart} cannot be counted: list its components under chartComponents`,
                urn,
            );
        }
        for (const container of pods.flatMap((p) => [...p.initContainers, ...p.containers])) {
            const missing = findMissingLimits(container, config.requiredLimits);
            if (missing.length > 0) {
                reportViolation(
                    `${container.label} has no ${missing.map((k) => `limits.${k}`).join(" or ")}`,
                    container.urn,
                );
            }
        }
        const budgets: ["requests" | "limits", string][] = [
            ["requests", config.memoryBudget],
            ["limits", config.limitsBudget],
        ];
        for (const [kind, budget] of budgets) {
            const sum = sumMemory(pods, kind);
            for (const { container, value } of sum.invalid) {
                reportViolation(
                    `${container.label} ${kind} memory ${JSON.stringify(value)}, which is not a quantity`,
                    container.urn,
                );
            }
            const allowed = parseMemory(budget);
            if (allowed !== undefined && sum.total > allowed)
                reportViolation(describeOverrun(kind, sum, budget));
        }
    },
};
