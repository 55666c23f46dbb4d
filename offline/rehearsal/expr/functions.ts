/**
 * Kargo's expression functions, bound as kargo v1.11.2 binds them (pkg/expressions/function/functions.go):
 * FreightOperations (chartFrom, warehouse), StatusOperations (always, failure, success, status) and the
 * template functions of pkg/expressions/json_templates.go (quote, unsafeQuote). Data operations that read
 * the cluster (secret, configMap, …) are refused: the rehearsal never reads or invents a secret.
 */
import type { ExprFunction } from "./evaluate";
import { quote } from "./template";
import { chartValue, isStruct, originValue, type Value } from "./values";
import type { ChartSubscription, Freight, FreightOrigin, FreightRequest, StepRecord } from "../types";

/** What chartFrom() resolves against: the Stage's requested Freight, their Warehouses, the Freight collection. */
export interface FreightContext {
    readonly requests: readonly FreightRequest[];
    readonly subscriptionsByWarehouse: ReadonlyMap<string, readonly ChartSubscription[]>;
    readonly collection: readonly Freight[];
}

function argString(args: readonly Value[], i: number, what: string): string {
    const v = args[i];
    if (typeof v !== "string")
        throw new Error(`${what} must be string, got ${v === null ? "nil" : typeof v}`);
    return v;
}

function argOrigin(v: Value, what: string): FreightOrigin {
    if (!isStruct(v) || v.typeName !== "v1alpha1.FreightOrigin") {
        throw new Error(`${what} must be FreightOrigin (use warehouse("<name>"))`);
    }
    return { kind: "Warehouse", name: String(v.fields.Name) };
}

/**
 * pkg/controller/freight/finder.go FindChart: without an origin, exactly one requested Warehouse may
 * subscribe to (repoURL, name) — none is an error ("not found in referenced Freight"), two are ambiguous.
 * With the origin known, the chart comes from that origin's Freight in the collection, and is nil when the
 * collection holds no Freight from it (nothing from that origin promoted yet).
 */
export function findChart(
    ctx: FreightContext,
    repoURL: string,
    chartName: string,
    desired?: FreightOrigin,
): Value {
    let origin = desired;
    if (!origin) {
        for (const req of ctx.requests) {
            const subs = ctx.subscriptionsByWarehouse.get(req.origin.name);
            if (!subs) throw new Error(`Warehouse "${req.origin.name}" not found in the project namespace`);
            for (const sub of subs) {
                if (sub.repoURL === repoURL && (sub.name ?? "") === chartName) {
                    if (origin) {
                        throw new Error(
                            `multiple requested Freight could potentially provide a chart from repository ${repoURL}: ` +
                                "please provide a Freight origin to disambiguate",
                        );
                    }
                    origin = req.origin;
                }
            }
        }
        if (!origin) {
            throw new Error(
                chartName === ""
                    ? `chart from repo ${repoURL} not found in referenced Freight`
                    : `chart "${chartName}" from repo ${repoURL} not found in referenced Freight`,
            );
        }
    }
    for (const f of ctx.collection) {
        if (f.origin.name !== origin.name) continue;
        const chart = f.charts.find((c) => c.RepoURL === repoURL && c.Name === chartName);
        if (chart) return chartValue(chart);
    }
    return null;
}

/** functions.go getChartFromFreight: chartFrom(repoURL[, chartName][, origin]). */
export function chartFromFunction(ctx: FreightContext): ExprFunction {
    return (args) => {
        if (args.length === 0 || args.length > 3)
            throw new Error(`expected 1-3 arguments, got ${args.length}`);
        const repoURL = argString(args, 0, "first argument");
        let chartName = "";
        let origin: FreightOrigin | undefined;
        if (args.length >= 2) {
            if (typeof args[1] === "string") chartName = args[1];
            else origin = argOrigin(args[1], "second argument");
        }
        if (args.length === 3) {
            if (chartName === "")
                throw new Error("when using three arguments, second argument must be string");
            origin = argOrigin(args[2], "third argument");
        }
        return findChart(ctx, repoURL, chartName, origin);
    };
}

/** functions.go warehouse(). */
const warehouseFunction: ExprFunction = (args) => {
    if (args.length !== 1) throw new Error(`expected 1 argument, got ${args.length}`);
    const name = argString(args, 0, "argument");
    if (name === "") throw new Error("name must not be empty");
    return originValue(name);
};

/** kargoapi StepExecutionMetadataList.HasFailures: Errored or Failed, ignoring continueOnError steps. */
export function hasFailures(records: readonly StepRecord[]): boolean {
    return records.some((r) => !r.continueOnError && (r.status === "Errored" || r.status === "Failed"));
}

/** functions.go getStatus: the status of a step of the same task namespace, by its short alias; "" if none. */
function statusFunction(currentAlias: string, records: readonly StepRecord[]): ExprFunction {
    const namespaceOf = (alias: string) => {
        const parts = alias.split("::");
        return parts.length === 2 ? { ns: parts[0], short: parts[1] } : { ns: "", short: alias };
    };
    const current = namespaceOf(currentAlias).ns;
    return (args) => {
        if (args.length !== 1) throw new Error(`expected 1 argument, got ${args.length}`);
        const alias = argString(args, 0, "argument");
        if (alias === "") throw new Error("argument must not be empty");
        const hit = records.find((r) => {
            const { ns, short } = namespaceOf(r.alias);
            return ns === current && short === alias;
        });
        return hit ? hit.status : "";
    };
}

const noArgs =
    (fn: () => Value): ExprFunction =>
    (args) => {
        if (args.length !== 0) throw new Error(`expected 0 arguments, got ${args.length}`);
        return fn();
    };

const quoteFunction: ExprFunction = (args) => {
    if (args.length !== 1) throw new Error(`expected 1 argument, got ${args.length}`);
    return quote(args[0]);
};

export interface FunctionSet {
    readonly functions: ReadonlyMap<string, ExprFunction>;
    readonly refused: ReadonlyMap<string, string>;
}

/**
 * The functions of one evaluation. `status` (StatusOperations) is bound for `if` and config, not for vars,
 * exactly as pkg/promotion/evaluator.go's Vars/ShouldSkip/Config bind them.
 */
export function bindFunctions(
    freight: FreightContext,
    status?: { readonly alias: string; readonly records: readonly StepRecord[] },
): FunctionSet {
    const functions = new Map<string, ExprFunction>([
        ["chartFrom", chartFromFunction(freight)],
        ["warehouse", warehouseFunction],
        ["quote", quoteFunction],
        ["unsafeQuote", quoteFunction],
    ]);
    if (status) {
        functions.set(
            "always",
            noArgs(() => true),
        );
        functions.set(
            "failure",
            noArgs(() => hasFailures(status.records)),
        );
        functions.set(
            "success",
            noArgs(() => !hasFailures(status.records)),
        );
        functions.set("status", statusFunction(status.alias, status.records));
    }
    const secret = "secrets are never read by the rehearsal";
    const cluster = "reads live cluster state the rehearsal does not have";
    const refused = new Map<string, string>([
        ["secret", secret],
        ["sharedSecret", secret],
        ["configMap", cluster],
        ["sharedConfigMap", cluster],
        ["freightMetadata", cluster],
        ["stageMetadata", cluster],
        ["commitFrom", "the stack subscribes to charts only"],
        ["imageFrom", "the stack subscribes to charts only"],
        ["artifactFrom", "the stack subscribes to charts only"],
        ["semverDiff", "not bound by the rehearsal yet"],
        ["semverParse", "not bound by the rehearsal yet"],
        ["asYAML", "not bound by the rehearsal yet"],
        ["asJSON", "not bound by the rehearsal yet"],
    ]);
    return { functions, refused };
}
