/**
 * Every name the stack derives from the config, checked at config time against the grammar of the object
 * that will carry it, and reported at the key that produced it; then the namespaces, which must not collide
 * where Kubernetes or Kargo would mix what they hold. The derivations mirror the builders' (core/names and
 * the feature folders' names.ts); test/components/config/names.test.ts fails when they drift apart.
 */
import { applicationName, longestDevCloneBackupName, workloadNamespace } from "../../core/names";
import { isCloneProvisioned, selectDevCharts, type DevChartsInput } from "../devCharts";
import type { IssueSink } from "./format";
import type { PipelineMode } from "../pipeline";
import { describeNameProblem, type NameRule } from "./kubernetesNames";

interface ChartInput {
    readonly name: string;
    readonly namespace: string;
}

/** The sections these checks read. */
export interface NameCheckInput {
    readonly pipeline: {
        readonly mode: PipelineMode;
        readonly project: string;
        readonly devCharts: DevChartsInput["pipeline"]["devCharts"];
        readonly warehouseLayout: string;
    };
    readonly charts: readonly ChartInput[];
    readonly devData: {
        readonly prod: { readonly chart: string; readonly namespace: string; readonly clusterName: string };
        readonly clone: { readonly name: string };
        readonly refresh: { readonly cadence: string };
    };
    readonly kargo: {
        readonly namespace: string;
        readonly prerequisites: Readonly<Record<string, string>>;
    };
    readonly argocd: { readonly namespace: string };
}

export interface DerivedName {
    readonly path: (string | number)[];
    readonly input: unknown;
    readonly name: string;
    /** What the name is, as the line says it: "the dev namespace", "the refresh CronJob", ... */
    readonly what: string;
    readonly rule: NameRule;
}

/** Charts the dev stage deploys (../devCharts.ts selectDevCharts), with their index in `charts`. */
export function selectDevChartIndexes(cfg: NameCheckInput): number[] {
    const dev = new Set(selectDevCharts(cfg));
    return cfg.charts.flatMap((c, i) => (dev.has(c) ? [i] : []));
}

/** The dev data plane exists only when dev runs the cloned chart (../devCharts.ts isCloneProvisioned). */
function findClonedChart(cfg: NameCheckInput): ChartInput | undefined {
    if (!isCloneProvisioned(cfg)) return undefined;
    return cfg.charts.find((c) => c.name === cfg.devData.prod.chart);
}

function listPipelineNames(cfg: NameCheckInput): DerivedName[] {
    const dev = new Set(selectDevChartIndexes(cfg));
    return cfg.charts.flatMap((chart, i): DerivedName[] => {
        const at = (field: keyof ChartInput) => ({ path: ["charts", i, field], input: chart[field] });
        const stages = dev.has(i) ? ["dev", "prod"] : ["prod"];
        return [
            ...stages.map((stage) => ({
                ...at("namespace"),
                name: workloadNamespace(stage, chart),
                what: `the ${stage} namespace`,
                rule: "label" as const,
            })),
            ...stages.map((stage) => ({
                ...at("name"),
                name: applicationName(stage, chart),
                what: `the ${stage} Application`,
                rule: "subdomain" as const,
            })),
            { ...at("name"), name: `promote-${chart.name}`, what: "the PromotionTask", rule: "subdomain" },
            ...(cfg.pipeline.warehouseLayout === "per-chart"
                ? [{ ...at("name"), name: chart.name, what: "the Warehouse", rule: "subdomain" as const }]
                : []),
        ];
    });
}

function listDevDataNames(cfg: NameCheckInput): DerivedName[] {
    const chart = findClonedChart(cfg);
    if (!chart) return [];
    const clone = cfg.devData.clone.name;
    const at = { path: ["devData", "clone", "name"], input: clone };
    const devNamespace = workloadNamespace("dev", chart);
    return [
        // CNPG names the clone's Services <cluster>-rw/-ro/-r, and Service names are DNS-1035 labels.
        { ...at, name: `${clone}-rw`, what: "the clone's read-write Service", rule: "dns1035" },
        {
            ...at,
            name: `${clone}-refresh-seed`,
            what: "the seed Job (its pods' job-name label)",
            rule: "labelValue",
        },
        {
            ...at,
            name: `${clone}-refresh-promotion`,
            what: "the refresh hook Job (its pods' job-name label)",
            rule: "labelValue",
        },
        ...(cfg.devData.refresh.cadence === "schedule"
            ? [{ ...at, name: `${clone}-refresh`, what: "the refresh CronJob", rule: "cronJob" as const }]
            : []),
        {
            ...at,
            name: `${devNamespace}.${clone}`,
            what: "the refresher's owner label value (<dev namespace>.<clone>)",
            rule: "labelValue",
        },
        {
            path: ["devData", "prod", "clusterName"],
            input: cfg.devData.prod.clusterName,
            name: longestDevCloneBackupName(cfg.devData.prod.clusterName),
            what: "the refresher's snapshot Backup names (CloudNativePG's cnpg.io/backupName label on their VolumeSnapshots)",
            rule: "labelValue",
        },
        {
            path: ["devData", "prod", "chart"],
            input: cfg.devData.prod.chart,
            name: applicationName("dev", { name: `${chart.name}-data` }),
            what: "the dev data Application",
            rule: "subdomain",
        },
    ];
}

/** Every derived name with the key that produced it. */
export function listDerivedNames(cfg: NameCheckInput): DerivedName[] {
    return [...listPipelineNames(cfg), ...listDevDataNames(cfg)];
}

export function checkDerivedNames(cfg: NameCheckInput, sink: IssueSink): void {
    for (const derived of listDerivedNames(cfg)) {
        const problem = describeNameProblem(derived.name, derived.rule);
        if (problem === undefined) continue;
        sink.addIssue({
            code: "custom",
            path: derived.path,
            input: derived.input,
            message: `derives ${derived.what} ${JSON.stringify(derived.name)}, which is ${problem}; allowed: a shorter name`,
        });
    }
}
