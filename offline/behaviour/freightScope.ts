/**
 * Freight a Stage verifies but only partly deployed. Kargo v1.11.2 verifies a Stage's current Freight as a
 * whole: pkg/controller/stages/regular_stages.go markFreightVerifiedForStage marks every Freight of the
 * collection verified once its AnalysisRun passes, and api/v1alpha1/stage_types.go IsFreightAvailable then
 * offers it to every Stage that takes it from there. So when a Warehouse subscribes to several charts and the
 * upstream Stage deploys only some of them (a shared Warehouse with a partial dev scope), the downstream
 * Stage takes the others as "verified" though they never ran upstream. One pure function, read by the
 * behaviour rules, pipeline.md and the rehearsal alike (the gated-prod policy keeps the same rule in step,
 * policy/lib/freightScope.ts, tested on the same table).
 */
import type { RuleIssue } from "../admission/objects";

const KARGO_API = "kargo.akuity.io/v1alpha1";

interface Obj {
    apiVersion?: string;
    kind?: string;
    metadata?: { name?: string; namespace?: string };
    spec?: Record<string, unknown>;
}
interface Request {
    origin?: { kind?: string; name?: string };
    sources?: { direct?: boolean; stages?: string[] };
}
interface Step {
    task?: { name?: string; kind?: string };
    [key: string]: unknown;
}

/** One downstream request that takes, as verified upstream, charts the upstream Stage never deploys. */
export interface UndeployedCharts {
    readonly namespace: string;
    readonly downstream: string;
    /** Index in the downstream Stage's `spec.requestedFreight`. */
    readonly request: number;
    readonly upstream: string;
    readonly warehouse: string;
    /** The Warehouse's chart repoURLs the upstream Stage's steps never read with chartFrom(). */
    readonly charts: readonly string[];
}

const kargo = (all: readonly unknown[], kind: string, namespace?: string): Obj[] =>
    (all as Obj[]).filter(
        (o) =>
            o?.apiVersion === KARGO_API &&
            o.kind === kind &&
            (namespace === undefined || o.metadata?.namespace === namespace),
    );

/** The `chartFrom(<first argument>)` calls in a value, the argument as written (a literal, or not). */
const CHART_FROM = /chartFrom\(\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^,)]*)/g;

/**
 * The chart repoURLs a Stage's promotion reads with chartFrom() (its own steps and the steps of the tasks it
 * calls): what it deploys. Undefined when an argument is not a literal, or a task is not among the objects,
 * so the set cannot be known here.
 */
export function selectDeployedCharts(stage: Obj, all: readonly unknown[]): Set<string> | undefined {
    const namespace = stage.metadata?.namespace ?? "";
    const template = stage.spec?.promotionTemplate as { spec?: { steps?: Step[] } } | undefined;
    const values: string[] = [];
    for (const step of template?.spec?.steps ?? []) {
        if (!step.task) {
            collectStrings(step, values);
            continue;
        }
        const kind = step.task.kind === "ClusterPromotionTask" ? "ClusterPromotionTask" : "PromotionTask";
        const task = kargo(all, kind, kind === "PromotionTask" ? namespace : undefined).find(
            (t) => t.metadata?.name === step.task?.name,
        );
        if (!task) return undefined;
        collectStrings(task.spec?.steps ?? [], values);
    }
    const charts = new Set<string>();
    for (const value of values) {
        for (const m of value.matchAll(CHART_FROM)) {
            const literal = /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/.exec(m[1].trim());
            if (!literal) return undefined;
            charts.add(literal[1] !== undefined ? (JSON.parse(`"${literal[1]}"`) as string) : literal[2]);
        }
    }
    return charts;
}

/** Every string anywhere in a value (step configs, `if`, vars). */
function collectStrings(value: unknown, out: string[]): void {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, out));
    else if (value !== null && typeof value === "object")
        Object.values(value).forEach((v) => collectStrings(v, out));
}

/** The chart repoURLs a Warehouse subscribes to. */
function warehouseCharts(warehouse: Obj): string[] {
    const subs = (warehouse.spec?.subscriptions as { chart?: { repoURL?: string } }[] | undefined) ?? [];
    return subs.flatMap((s) => (typeof s.chart?.repoURL === "string" ? [s.chart.repoURL] : []));
}

/**
 * Every request of a Stage for a Warehouse's Freight from an upstream Stage that itself requests that
 * Warehouse yet deploys only some of its charts. [] when nothing can be known (a task or a chartFrom()
 * argument not among the objects).
 */
export function findUndeployedFreightCharts(all: readonly unknown[]): UndeployedCharts[] {
    const found: UndeployedCharts[] = [];
    for (const downstream of kargo(all, "Stage")) {
        const namespace = downstream.metadata?.namespace ?? "";
        const stages = kargo(all, "Stage", namespace);
        const requests = (downstream.spec?.requestedFreight as Request[] | undefined) ?? [];
        requests.forEach((req, i) => {
            const name = req.origin?.name ?? "";
            const warehouse = kargo(all, "Warehouse", namespace).find((w) => w.metadata?.name === name);
            if (!warehouse || (req.origin?.kind ?? "Warehouse") !== "Warehouse") return;
            for (const upName of req.sources?.stages ?? []) {
                const upstream = stages.find((s) => s.metadata?.name === upName);
                const upRequests = (upstream?.spec?.requestedFreight as Request[] | undefined) ?? [];
                // An upstream that never receives the Warehouse's Freight verifies none of it (approval only).
                if (!upstream || !upRequests.some((r) => r.origin?.name === name)) continue;
                const deployed = selectDeployedCharts(upstream, all);
                if (!deployed) continue;
                const charts = warehouseCharts(warehouse).filter((c) => !deployed.has(c));
                if (charts.length === 0) continue;
                found.push({
                    namespace,
                    downstream: downstream.metadata?.name ?? "",
                    request: i,
                    upstream: upName,
                    warehouse: name,
                    charts,
                });
            }
        });
    }
    return found;
}

/** The sentence every report uses for one finding. */
export function describeUndeployedCharts(u: UndeployedCharts): string {
    return (
        `takes Freight of Warehouse ${u.warehouse} verified in Stage ${u.upstream}, which never deploys ` +
        `${u.charts.join(", ")} (no chartFrom() of it in its promotion): Kargo marks the whole Freight verified ` +
        "(regular_stages.go markFreightVerifiedForStage, stage_types.go IsFreightAvailable), so " +
        `${u.downstream} would run versions ${u.upstream} never ran, as verified; allowed: one Warehouse per chart ` +
        `(pipeline.warehouseLayout: per-chart), or deploy every chart of ${u.warehouse} in ${u.upstream}`
    );
}

/** The behaviour rule, on the downstream Stage's request. */
export function findPartialScopeProblems(obj: unknown, all: readonly unknown[]): RuleIssue[] {
    const stage = obj as Obj;
    if (stage?.apiVersion !== KARGO_API || stage.kind !== "Stage") return [];
    return findUndeployedFreightCharts(all)
        .filter(
            (u) => u.downstream === stage.metadata?.name && u.namespace === (stage.metadata?.namespace ?? ""),
        )
        .map((u) => ({ path: `/spec/requestedFreight/${u.request}`, message: describeUndeployedCharts(u) }));
}
