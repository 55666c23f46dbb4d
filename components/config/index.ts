/**
 * The stack's one typed configuration object: every `release-pipeline:*` key, validated with zod before
 * any resource is declared. Sections live in their own files; this one assembles and checks them together,
 * and reports every problem of a run at once, one line per problem, each at its key.
 */
import { z } from "zod";
import { accessSection } from "./access";
import { checkAccessAndGitCredential } from "./accessChecks";
import { budgetSection } from "./budget";
import { chartReleaseSection, checkChartRelease } from "./chartRelease";
import { CONFIG_NAMESPACE, type IssueSink } from "./checks/format";
import { formatIssues } from "./checks/issues";
import { checkDerivedNames } from "./checks/names";
import { checkNamespaces } from "./checks/namespaces";
import { findNamespaceProblems } from "./checks/stackFile";
import { checkSharedWarehouseScope } from "./devCharts";
import { devDataSection } from "./devData";
import { checkDevData } from "./devDataChecks";
import { gitCredentialSection } from "./gitCredential";
import { kargoSection } from "./kargo";
import { checkKargoExposure } from "./kargoChecks";
import {
    argocdSection,
    chartsSection,
    gitopsSection,
    pipelineSection,
    shouldRunDevStage,
    verificationSection,
    webhookSection,
} from "./pipeline";
import { checkRegistryCredential, registryCredentialSection } from "./registryCredential";
import { checkVerificationTargets } from "./verificationChecks";

export { CONFIG_NAMESPACE, formatIssues };

const sections = {
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
    chartRelease: chartReleaseSection,
    registryCredential: registryCredentialSection,
    protect: z
        .boolean()
        .prefault(true)
        .describe(
            "`protect` on what holds state or serves prod (components/core/protection.ts). On unless a stack turns it off; removing a protected resource takes an `up` with it off first.",
        ),
};
type SectionName = keyof typeof sections;

const stackConfigObject = z.strictObject(sections);
export type StackConfig = z.infer<typeof stackConfigObject>;

function checkChartsUnique(cfg: Pick<StackConfig, "charts">, sink: IssueSink): void {
    const seen = new Map<string, number>();
    cfg.charts.forEach((chart, i) => {
        for (const [field, value] of [
            ["name", chart.name],
            ["repoURL", chart.repoURL],
        ] as const) {
            const key = `${field}=${value}`;
            if (seen.has(key)) {
                sink.addIssue({
                    code: "custom",
                    input: value,
                    path: ["charts", i, field],
                    message: `duplicates charts[${seen.get(key)}].${field}; each chart needs its own`,
                });
            }
            seen.set(key, i);
        }
    });
}

/** Every name in `pipeline.devCharts` is a declared chart, named once. */
function checkDevCharts(cfg: Pick<StackConfig, "pipeline" | "charts">, sink: IssueSink): void {
    const { devCharts } = cfg.pipeline;
    if (!shouldRunDevStage(cfg) || devCharts === "all") return;
    const declared = cfg.charts.map((c) => c.name);
    devCharts.forEach((name, i) => {
        const problem = !declared.includes(name)
            ? `names no declared chart; allowed: all, or names among the declared charts (${declared.join(", ")})`
            : devCharts.indexOf(name) !== i
              ? `duplicates pipeline.devCharts[${devCharts.indexOf(name)}]; name each chart once`
              : undefined;
        if (problem)
            sink.addIssue({
                code: "custom",
                input: name,
                path: ["pipeline", "devCharts", i],
                message: problem,
            });
    });
}

/** A rule that needs more than one section, and the sections it reads. */
interface CrossCheck {
    readonly needs: readonly SectionName[];
    readonly run: (cfg: StackConfig, sink: IssueSink) => void;
}

const CROSS_CHECKS: readonly CrossCheck[] = [
    {
        needs: ["access", "gitCredential", "kargo", "gitops", "verification"],
        run: checkAccessAndGitCredential,
    },
    { needs: ["devData", "pipeline", "charts"], run: checkDevData },
    { needs: ["charts"], run: checkChartsUnique },
    { needs: ["pipeline", "charts"], run: checkDevCharts },
    { needs: ["pipeline", "charts", "verification"], run: checkVerificationTargets },
    { needs: ["pipeline", "charts"], run: checkSharedWarehouseScope },
    { needs: ["pipeline", "charts", "devData"], run: checkDerivedNames },
    { needs: ["pipeline", "charts", "devData", "kargo", "argocd"], run: checkNamespaces },
    { needs: ["kargo", "webhook"], run: checkKargoExposure },
    { needs: ["chartRelease", "pipeline", "gitops", "gitCredential"], run: checkChartRelease },
    { needs: ["registryCredential", "charts"], run: checkRegistryCredential },
];

export const stackConfigSchema = stackConfigObject.superRefine((cfg, ctx) => {
    for (const check of CROSS_CHECKS) check.run(cfg, ctx);
});

/**
 * zod runs the cross-section checks only when no section has a type error, so one wrong type would hide
 * them all. This runs each check whose own sections are valid, on those sections alone.
 */
function runCrossChecksOnValidSections(raw: Record<string, unknown>): z.core.$ZodIssue[] {
    const valid: Partial<Record<SectionName, unknown>> = {};
    for (const [name, schema] of Object.entries(sections) as [SectionName, z.ZodType][]) {
        const result = schema.safeParse(raw[name]);
        if (result.success) valid[name] = result.data;
    }
    const issues: z.core.$ZodIssue[] = [];
    const sink: IssueSink = { addIssue: (issue) => issues.push({ ...issue, path: [...issue.path] }) };
    for (const check of CROSS_CHECKS) {
        // The check reads only the sections it needs, and each of those parsed.
        if (check.needs.every((n) => n in valid)) check.run(valid as StackConfig, sink);
    }
    return issues;
}

/** Thrown for invalid configuration; its message lists every problem, one per line. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

/**
 * Turns Pulumi's flat config map (`"release-pipeline:kargo"` → JSON text) into the object the schema
 * reads. Structured values arrive as JSON strings; plain strings stay strings. Other namespaces are left
 * out (see {@link readStackConfig} for the check that they are known ones).
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

/** Validates raw config (as from {@link readRawConfig}); throws {@link ConfigError} listing every problem. */
export function validateStackConfig(raw: Record<string, unknown>): StackConfig {
    const result = stackConfigSchema.safeParse(raw, { reportInput: true });
    if (result.success) return result.data;
    const issues = [...result.error.issues, ...runCrossChecksOnValidSections(raw)];
    throw new ConfigError([...new Set(formatIssues(issues, raw, stackConfigObject))]);
}

/**
 * The program's entry: Pulumi's whole flat config map, every key in a namespace the stack or its
 * providers read, and the `release-pipeline:*` keys valid. Every problem of both kinds in one ConfigError.
 */
export function readStackConfig(flat: Readonly<Record<string, string>>): StackConfig {
    const namespaceProblems = findNamespaceProblems(Object.keys(flat));
    try {
        const cfg = validateStackConfig(readRawConfig(flat));
        if (namespaceProblems.length > 0) throw new ConfigError([]);
        return cfg;
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        throw new ConfigError([...namespaceProblems, ...err.problems]);
    }
}
