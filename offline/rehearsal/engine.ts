/**
 * Runs one Promotion's (inflated) steps the way kargo v1.11.2 does:
 * - pkg/promotion/local_orchestrator.go ExecuteSteps: every step in order; a step whose `if` errors, whose
 *   kind is unknown, or whose config fails to evaluate is Errored and the loop goes on (later steps decide
 *   by their own `if`); each step's output is stored in the shared state under its alias.
 * - pkg/promotion/evaluator.go ShouldSkip: no `if` → skipped once any earlier step Errored/Failed
 *   (HasFailures); an explicit `if` replaces that default entirely and must evaluate to a bool.
 *   Vars: the Promotion's vars first (no outputs in scope), then the step's (outputs in scope).
 *   BuildCtxMap/BuildExprEnv: `ctx`, `vars`, `outputs`, `stepMetas`, and `task.outputs` for task steps.
 * - pkg/promotion/orchestrator.go DetermineFinalPhase: the worst status of the steps that do not
 *   continueOnError.
 */
import { evaluateConfig, evaluateTemplate } from "./expr/template";
import { bindFunctions, hasFailures, type FreightContext } from "./expr/functions";
import { toValue, UnsupportedExpressionError, type ValueMap } from "./expr/values";
import type { ExprScope } from "./expr/evaluate";
import type { InflatedStep } from "./inflate";
import { resolveStepKind } from "./steps/registry";
import type { RunnerContext } from "./steps/context";
import type { ExpressionVariable, Freight, StepOutcome, StepRecord } from "./types";

export interface PromotionPlan {
    readonly project: string;
    readonly stage: string;
    readonly promotion: string;
    readonly target: Freight;
    readonly freight: FreightContext;
    readonly promoVars: readonly ExpressionVariable[];
    readonly steps: readonly InflatedStep[];
}

export type PromotionPhase = "Succeeded" | "Failed" | "Errored";

export interface PromotionRun {
    readonly phase: PromotionPhase;
    readonly records: readonly StepRecord[];
}

type State = Record<string, Record<string, unknown>>;

/** evaluator.go BuildCtxMap. */
function buildCtx(plan: PromotionPlan, alias: string): ValueMap {
    return toValue({
        uiBaseUrl: "",
        project: plan.project,
        promotion: plan.promotion,
        stage: plan.stage,
        targetFreight: { name: plan.target.name, alias: "", origin: { name: plan.target.origin.name } },
        meta: { promotion: { actor: "rehearsal", rollback: false }, step: { alias } },
    }) as ValueMap;
}

/** evaluator.go getTaskOutputs: the outputs of the steps of the same task, by their short alias. */
function taskOutputs(alias: string, state: State): Record<string, unknown> | undefined {
    const parts = alias.split("::");
    if (parts.length !== 2) return undefined;
    const prefix = `${parts[0]}::`;
    return Object.fromEntries(
        Object.entries(state)
            .filter(([k]) => k.startsWith(prefix) && k.split("::").length === 2)
            .map(([k, v]) => [k.slice(prefix.length), v]),
    );
}

function buildEnv(
    plan: PromotionPlan,
    step: InflatedStep,
    vars: ValueMap,
    state: State,
    records: readonly StepRecord[],
    withOutputs: boolean,
): ValueMap {
    const env: Record<string, unknown> = { ctx: buildCtx(plan, step.as), vars };
    if (withOutputs) {
        env.stepMetas = Object.fromEntries(
            records.map((r) => [r.alias, { alias: r.alias, status: r.status }]),
        );
        env.outputs = state;
        const task = taskOutputs(step.as, state);
        if (task) env.task = { outputs: task };
    }
    return toValue(env) as ValueMap;
}

function scopeFor(
    env: ValueMap,
    freight: FreightContext,
    status?: { alias: string; records: readonly StepRecord[] },
): ExprScope {
    const { functions, refused } = bindFunctions(freight, status);
    return { env, functions, refused };
}

/** evaluator.go Vars. */
function evaluateVars(
    plan: PromotionPlan,
    step: InflatedStep,
    state: State,
    records: readonly StepRecord[],
): ValueMap {
    const vars: Record<string, unknown> = {};
    for (const v of plan.promoVars) {
        const env = buildEnv(plan, step, toValue(vars) as ValueMap, state, records, false);
        vars[v.name] = evaluateTemplate(v.value ?? "", scopeFor(env, plan.freight));
    }
    for (const v of step.vars ?? []) {
        const env = buildEnv(plan, step, toValue(vars) as ValueMap, state, records, true);
        vars[v.name] = evaluateTemplate(v.value ?? "", scopeFor(env, plan.freight));
    }
    return toValue(vars) as ValueMap;
}

/** evaluator.go ShouldSkip. */
function shouldSkip(
    plan: PromotionPlan,
    step: InflatedStep,
    state: State,
    records: readonly StepRecord[],
): boolean {
    if (!step.if) return hasFailures(records);
    const vars = evaluateVars(plan, step, state, records);
    const env = buildEnv(plan, step, vars, state, records, true);
    const v = evaluateTemplate(step.if, scopeFor(env, plan.freight, { alias: step.as, records }));
    if (typeof v !== "boolean") throw new Error(`expression must evaluate to a boolean, got ${typeof v}`);
    return !v;
}

/** evaluator.go Config. */
function evaluateStepConfig(
    plan: PromotionPlan,
    step: InflatedStep,
    state: State,
    records: readonly StepRecord[],
): Record<string, unknown> {
    if (step.config === undefined) return {};
    const vars = evaluateVars(plan, step, state, records);
    const env = buildEnv(plan, step, vars, state, records, true);
    return evaluateConfig(step.config, scopeFor(env, plan.freight, { alias: step.as, records })) as Record<
        string,
        unknown
    >;
}

function describe(err: unknown): string {
    const e = err as Error;
    return e instanceof UnsupportedExpressionError ? `refused by the rehearsal: ${e.message}` : e.message;
}

function record(step: InflatedStep, outcome: StepOutcome): StepRecord {
    return {
        alias: step.as,
        uses: step.uses,
        status: outcome.status,
        message: outcome.message,
        continueOnError: step.continueOnError === true,
        checks: outcome.checks ?? [],
        notRehearsed: outcome.notRehearsed,
    };
}

/** Runs one step to its StepOutcome (never throws for anything a promotion could hit). */
function runStep(
    plan: PromotionPlan,
    step: InflatedStep,
    state: State,
    records: readonly StepRecord[],
    runner: RunnerContext,
): StepOutcome {
    try {
        if (shouldSkip(plan, step, state, records))
            return {
                status: "Skipped",
                message: step.if ? `if: ${step.if} is false` : "an earlier step failed",
            };
    } catch (err) {
        return {
            status: "Errored",
            message: `error checking if step "${step.as}" should be skipped: ${describe(err)}`,
        };
    }
    const kind = resolveStepKind(step.uses);
    if (kind.kind === "unknown") {
        return {
            status: "Errored",
            message: `step kind "${step.uses}" is not registered; verify the kind is correct`,
        };
    }
    let config: Record<string, unknown>;
    try {
        config = evaluateStepConfig(plan, step, state, records);
    } catch (err) {
        return { status: "Errored", message: `failed to build step context: ${describe(err)}` };
    }
    if (kind.kind === "not-rehearsed") {
        return {
            status: "Succeeded",
            notRehearsed: kind.reason,
            message: `not rehearsed (${kind.reason}); config evaluated`,
        };
    }
    return kind.run(config, { ...runner, alias: step.as });
}

/** orchestrator.go DetermineFinalPhase. */
export function determineFinalPhase(records: readonly StepRecord[]): PromotionPhase {
    const counted = records.filter((r) => !r.continueOnError);
    if (counted.some((r) => r.status === "Errored")) return "Errored";
    if (counted.some((r) => r.status === "Failed")) return "Failed";
    return "Succeeded";
}

export function executePromotion(plan: PromotionPlan, runner: RunnerContext): PromotionRun {
    const state: State = {};
    const records: StepRecord[] = [];
    for (const step of plan.steps) {
        const outcome = runStep(plan, step, state, records, runner);
        state[step.as] = { ...(outcome.output ?? {}) };
        records.push(record(step, outcome));
    }
    return { phase: determineFinalPhase(records), records };
}
