/**
 * The stage table. Every Stage, its promotion policy, its Applications and the pipeline diagram are derived
 * from these rows, so "dev then prod" is stated once.
 */
import type { StackConfig } from "../config";
import { selectDevCharts } from "../config/devCharts";
import { shouldRunDevStage, type ChartConfig } from "../config/pipeline";
import { applicationName } from "../core/names";
import type { Stage, StageSpec } from "../core/generated";
import { KARGO_API, MANAGED_BY } from "../core/objects";
import type { PreSteps, PromotionStep } from "../core/stage";
import { buildVerificationArgs, selectAnalysisTemplateNames } from "./verification";
import { warehouseName } from "./warehouse";
import { promotionTaskName, stepAlias } from "./names";

export interface StageRow {
    readonly name: string;
    /** Takes Freight straight from the Warehouse(s). Only the first stage of a pipeline may. */
    readonly direct: boolean;
    /** Stages whose verified Freight this stage may take. */
    readonly upstream: readonly string[];
    /** Auto-promotion, written into the ProjectConfig (the only place Kargo lets it be enabled). */
    readonly autoPromote: boolean;
    /** Charts this stage deploys (its promotion runs one task per chart). */
    readonly charts: readonly ChartConfig[];
    /** Whether AnalysisTemplates gate Freight leaving this stage. */
    readonly verify: boolean;
    readonly soakTime?: string;
    /** Steps run before the chart tasks (the dev data plane's refresh; see components/devData). */
    readonly preSteps?: PreSteps;
}

/** Charts the dev stage runs (`pipeline.devCharts`, ADR open question 3); decided in config/devCharts. */
export { selectDevCharts };

/**
 * The rows for the configured pipeline mode. `devPreSteps` are the steps the dev stage runs before its
 * chart tasks (the dev data plane's refresh), passed in by index.ts.
 */
export function buildStageTable(cfg: StackConfig, devPreSteps: PreSteps = []): StageRow[] {
    const prod = {
        name: "prod",
        autoPromote: cfg.pipeline.prodAutoPromotion,
        charts: cfg.charts,
        verify: false,
    };
    if (!shouldRunDevStage(cfg)) {
        // prod-only (Kargo only owns the targetRevision write, nothing is verified first) and bump-only
        // (no Kargo: the row still names prod's deploy files and app-of-apps).
        return [{ ...prod, direct: true, upstream: [] }];
    }
    const preSteps = [...devPreSteps];
    return [
        {
            name: "dev",
            direct: true,
            upstream: [],
            autoPromote: true,
            charts: selectDevCharts(cfg),
            verify: true,
            ...(preSteps.length > 0 ? { preSteps } : {}),
        },
        { ...prod, direct: false, upstream: ["dev"], soakTime: cfg.pipeline.prodSoakTime },
    ];
}

/**
 * Warehouses a stage requests Freight from. A stage that does not deploy a chart does not request it
 * directly; prod requests every chart but only through upstream stages, so a chart outside the dev scope
 * reaches prod only by manual approval (`kargo approve --stage prod`), never unverified by default.
 */
export function selectRequestedWarehouses(cfg: StackConfig, row: StageRow): string[] {
    const charts = row.direct ? row.charts : cfg.charts;
    return [...new Set(charts.map((c) => warehouseName(cfg, c)))];
}

export function buildStage(cfg: StackConfig, row: StageRow): Stage {
    const project = cfg.pipeline.project;
    const requestedFreight = selectRequestedWarehouses(cfg, row).map(
        (name): StageSpec["requestedFreight"][number] => ({
            origin: { kind: "Warehouse", name },
            sources: row.direct
                ? { direct: true }
                : {
                      stages: [...row.upstream],
                      ...(row.soakTime ? { requiredSoakTime: row.soakTime } : {}),
                  },
        }),
    );
    const chartSteps = row.charts.map((chart): PromotionStep => ({
        task: { name: promotionTaskName(chart) },
        as: stepAlias(chart),
        // No `if` here: Kargo's Stage webhook refuses one on a step that calls a task; the task's own steps
        // carry the per-chart condition (see buildOriginCondition in ./promotionTask).
        vars: [{ name: "app", value: applicationName(row.name, chart) }],
    }));
    const steps = [...(row.preSteps ?? []), ...chartSteps];
    const spec: StageSpec = { requestedFreight, promotionTemplate: { spec: { steps } } };
    if (row.verify) {
        spec.verification = {
            analysisTemplates: selectAnalysisTemplateNames(cfg).map((name) => ({ name })),
            args: buildVerificationArgs(cfg),
        };
    }
    return {
        apiVersion: KARGO_API,
        kind: "Stage",
        metadata: { name: row.name, namespace: project, labels: { ...MANAGED_BY } },
        spec,
    };
}

/** Promotion policies for the ProjectConfig, one per stage row. */
export function buildPromotionPolicies(rows: readonly StageRow[]): object[] {
    return rows.map((row) => ({ stageSelector: { name: row.name }, autoPromotionEnabled: row.autoPromote }));
}
