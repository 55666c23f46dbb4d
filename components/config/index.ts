/**
 * The stack's one typed configuration object: every `release-pipeline:*` key, validated with zod before
 * any resource is declared. Sections live in their own files; this one assembles and checks them together.
 */
import { z } from "zod";
import { accessSection } from "./access";
import { checkAccessAndGitCredential } from "./accessChecks";
import { budgetSection } from "./budget";
import { devDataSection } from "./devData";
import { checkDevData } from "./devDataChecks";
import { gitCredentialSection } from "./gitCredential";
import { kargoSection } from "./kargo";
import {
    argocdSection,
    chartsSection,
    gitopsSection,
    pipelineSection,
    verificationSection,
    webhookSection,
} from "./pipeline";

/** Pulumi config namespace (the project name in Pulumi.yaml). */
export const CONFIG_NAMESPACE = "release-pipeline";

export const stackConfigSchema = z
    .strictObject({
        pipeline: pipelineSection,
        charts: chartsSection,
        gitops: gitopsSection,
        argocd: argocdSection,
        kargo: kargoSection,
        verification: verificationSection,
        webhook: webhookSection,
        access: accessSection,
        gitCredential: gitCredentialSection,
        devData: devDataSection,
        budget: budgetSection,
        /**
         * `protect` on what holds state or serves prod (components/core/protection.ts). On unless a stack
         * turns it off; removing a protected resource takes an `up` with it off first.
         */
        protect: z.boolean().default(true),
    })
    .superRefine((cfg, ctx) => {
        checkAccessAndGitCredential(cfg, ctx);
        checkDevData(cfg, ctx);
        const seen = new Map<string, number>();
        cfg.charts.forEach((chart, i) => {
            for (const [field, value] of [
                ["name", chart.name],
                ["repoURL", chart.repoURL],
            ] as const) {
                const key = `${field}=${value}`;
                if (seen.has(key)) {
                    ctx.addIssue({
                        code: "custom",
                        input: value,
                        path: ["charts", i, field],
                        message: `duplicates charts[${seen.get(key)}].${field}; each chart needs its own`,
                    });
                }
                seen.set(key, i);
            }
        });
        if (cfg.pipeline.mode === "full" && !cfg.charts.some((c) => c.name === cfg.pipeline.devScope)) {
            ctx.addIssue({
                code: "custom",
                input: cfg.pipeline.devScope,
                path: ["pipeline", "devScope"],
                message: `names no chart; allowed: one of the configured charts (${cfg.charts.map((c) => c.name).join(", ")})`,
            });
        }
    });

export type StackConfig = z.infer<typeof stackConfigSchema>;

/** Thrown for invalid configuration; its message lists every problem, one per line. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

/**
 * Turns Pulumi's flat config map (`"release-pipeline:kargo"` → JSON text) into the object the schema
 * reads. Structured values arrive as JSON strings; plain strings stay strings.
 */
export function readRawConfig(flat: Readonly<Record<string, string>>): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    const prefix = `${CONFIG_NAMESPACE}:`;
    for (const [fullKey, text] of Object.entries(flat)) {
        if (!fullKey.startsWith(prefix)) continue;
        const key = fullKey.slice(prefix.length);
        raw[key] = parseConfigValue(text);
    }
    return raw;
}

function parseConfigValue(text: string): unknown {
    const trimmed = text.trim();
    if (
        /^[[{]/.test(trimmed) ||
        trimmed === "true" ||
        trimmed === "false" ||
        /^-?\d+(\.\d+)?$/.test(trimmed)
    ) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return text;
        }
    }
    return text;
}

function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((acc, seg) => {
        if (typeof seg === "number") return `${acc}[${seg}]`;
        return acc ? `${acc}.${String(seg)}` : String(seg);
    }, "");
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
    let cur: unknown = raw;
    for (const seg of path) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<PropertyKey, unknown>)[seg as string];
    }
    return cur;
}

function quote(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** One line per zod issue: the full key, the value it got, and what is allowed. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], raw: unknown): string[] {
    return issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
            return issue.keys.map((k) => {
                const path = [...issue.path, k];
                return `${CONFIG_NAMESPACE}:${formatPath(path)}: got ${quote(valueAt(raw, path))}; unknown key (see the config reference in README.md)`;
            });
        }
        const key = `${CONFIG_NAMESPACE}:${formatPath(issue.path)}`;
        // A defaulted value is not in the raw config; custom issues carry the value they judged.
        const value = valueAt(raw, issue.path) ?? (issue as { input?: unknown }).input;
        if (value === undefined && issue.code === "invalid_type") {
            return [`${key}: missing; required (${issue.expected})`];
        }
        return [`${key}: got ${quote(value)}; ${issue.message}`];
    });
}

/** Validates raw config (as from {@link readRawConfig}); throws {@link ConfigError} listing every problem. */
export function validateStackConfig(raw: Record<string, unknown>): StackConfig {
    const result = stackConfigSchema.safeParse(raw, { reportInput: true });
    if (!result.success) throw new ConfigError(formatIssues(result.error.issues, raw));
    return result.data;
}
