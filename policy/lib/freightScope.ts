/**
 * Freight an upstream Stage verifies as a whole though it deploys only part of it. Kargo v1.11.2 marks every
 * Freight of a Stage's collection verified once its AnalysisRun passes (pkg/controller/stages/
 * regular_stages.go markFreightVerifiedForStage) and offers it downstream (api/v1alpha1/stage_types.go
 * IsFreightAvailable): a Warehouse subscribing to charts the upstream Stage never deploys sends those to
 * prod "verified". Kept in step with the offline model (offline/behaviour/freightScope.ts) by
 * test/policy/freightScope.test.ts, which feeds both the same table (the pack is published on its own).
 */
import { expandPromotion } from "./kargo";
import { groups, isSameNamespace, type KubeObject, type StackView } from "./resources";
import { isUnknown, readList, readPath, readString } from "./values";

/** The `chartFrom(<first argument>)` calls in a value, the argument as written. */
const chartFrom = /chartFrom\(\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^,)]*)/g;

function collectStrings(value: unknown, out: string[]): boolean {
    if (isUnknown(value)) return false;
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) return value.every((v) => collectStrings(v, out));
    else if (value !== null && typeof value === "object")
        return Object.values(value).every((v) => collectStrings(v, out));
    return true;
}

/**
 * The chart repoURLs a Stage's promotion reads with chartFrom() (its steps, tasks inlined): what it deploys.
 * Undefined when that cannot be known here (a task not declared, a value unknown during preview, a
 * chartFrom() argument that is not a literal).
 */
export function findDeployedCharts(stage: KubeObject, view: StackView): Set<string> | undefined {
    const promotion = expandPromotion(stage, view);
    if (promotion.problems.length > 0) return undefined;
    const values: string[] = [];
    for (const step of promotion.steps) {
        if (step.unknownConfig || !collectStrings(step.config, values)) return undefined;
    }
    const charts = new Set<string>();
    for (const value of values) {
        for (const m of value.matchAll(chartFrom)) {
            const literal = /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/.exec(m[1].trim());
            if (!literal) return undefined;
            charts.add(literal[1] !== undefined ? (JSON.parse(`"${literal[1]}"`) as string) : literal[2]);
        }
    }
    return charts;
}

/**
 * The charts of Warehouse `warehouse` that `upstream` receives (it requests the Warehouse) and verifies but
 * never deploys; [] when it deploys them all, does not receive the Warehouse, or nothing can be known.
 */
export function findUndeployedCharts(upstream: KubeObject, warehouse: string, view: StackView): string[] {
    const requests = readList(readPath(upstream.spec, "requestedFreight"));
    if (!requests.some((r) => readString(readPath(r, "origin.name")) === warehouse)) return [];
    const w = view
        .findKube(groups.kargo, "Warehouse")
        .find((x) => x.objectName === warehouse && isSameNamespace(x, upstream));
    if (!w) return [];
    const subscribed = readList(readPath(w.spec, "subscriptions")).flatMap((s) => {
        const repoURL = readPath(s, "chart.repoURL");
        return typeof repoURL === "string" && !isUnknown(repoURL) ? [repoURL] : [];
    });
    const deployed = findDeployedCharts(upstream, view);
    return deployed ? subscribed.filter((c) => !deployed.has(c)) : [];
}
