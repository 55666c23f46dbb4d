/**
 * From a Stage's promotion template to the flat list of steps a Promotion runs, as kargo v1.11.2 builds it:
 * the Stage webhook's task-reference rule (pkg/webhook/kubernetes/stage/webhook.go
 * validatePromotionStepTaskRefs), then task inflation (pkg/api/promotion.go InflateSteps, inflateTaskSteps,
 * promotionTaskVarsToStepVars, generatePromotionTaskStepAlias; api/v1alpha1/promotion_types.go GetAlias).
 */
import { KARGO_API, type ExpressionVariable, type KubeObject, type PromotionStep } from "./types";

/** An inflated step: its alias is final (`<stepAlias>::<taskStepAlias>` for a task's steps). */
export interface InflatedStep extends PromotionStep {
    readonly as: string;
    readonly uses: string;
    /** The Stage step a task step came from, for messages. */
    readonly fromTask?: string;
}

export interface AdmissionProblem {
    readonly step: string;
    readonly reason: string;
}

/** promotion_types.go PromotionStep.GetAlias. */
export function stepAliasAt(step: PromotionStep, index: number): string {
    if (step.as) return step.as;
    return step.task ? `task-${index + 1}` : `step-${index + 1}`;
}

/**
 * webhook.go validatePromotionStepTaskRefs: a Stage step that references a task may carry neither `if` nor
 * `config`. Kargo's admission webhook refuses the whole Stage, so nothing of it can be promoted.
 */
export function validateTaskRefs(steps: readonly PromotionStep[]): AdmissionProblem[] {
    const problems: AdmissionProblem[] = [];
    steps.forEach((step, i) => {
        if (!step.task) return;
        const at = `spec.promotionTemplate.spec.steps[${i}] (${stepAliasAt(step, i)})`;
        if (step.if) {
            problems.push({
                step: at,
                reason: "PromotionTemplate step referencing a task cannot have an 'if' condition",
            });
        }
        if (step.config !== undefined) {
            problems.push({
                step: at,
                reason: "PromotionTemplate step referencing a task cannot have a config",
            });
        }
    });
    return problems;
}

/**
 * promotion.go promotionTaskVarsToStepVars: each task var without a value must be set (non-empty) by the
 * step or the Promotion; defaults come first, the step's vars after them (so they win when evaluated in
 * order, pkg/promotion/evaluator.go Vars). A var set on the Promotion suppresses the task default.
 */
export function mapTaskVars(
    taskVars: readonly ExpressionVariable[],
    promoVars: readonly ExpressionVariable[],
    stepVars: readonly ExpressionVariable[],
): ExpressionVariable[] {
    const setOn = (vars: readonly ExpressionVariable[]) =>
        new Set(vars.filter((v) => (v.value ?? "") !== "").map((v) => v.name));
    const onPromo = setOn(promoVars);
    const onStep = setOn(stepVars);
    const vars: ExpressionVariable[] = [];
    for (const v of taskVars) {
        if (onPromo.has(v.name)) continue;
        if ((v.value ?? "") !== "") {
            vars.push(v);
            continue;
        }
        if (!onStep.has(v.name)) throw new Error(`missing value for variable "${v.name}"`);
    }
    return [...vars, ...stepVars];
}

export interface TaskSpec {
    readonly vars?: readonly ExpressionVariable[];
    readonly steps?: readonly PromotionStep[];
}

/** A task reference that names no object among those standing for the cluster (c.Get's NotFound). */
export class TaskNotFoundError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "TaskNotFoundError";
    }
}

/**
 * promotion.go getPromotionTaskSpec: PromotionTask in the project namespace (ClusterPromotionTasks too).
 * Not found is the API server's NotFound text (`promotiontasks.kargo.akuity.io "x" not found`).
 */
export function findTaskSpec(
    objects: readonly KubeObject[],
    project: string,
    ref: NonNullable<PromotionStep["task"]>,
): TaskSpec {
    const kind = ref.kind || "PromotionTask";
    if (kind !== "PromotionTask" && kind !== "ClusterPromotionTask") {
        throw new Error(`unknown task reference kind "${kind}"`);
    }
    const task = objects.find(
        (o) =>
            o.apiVersion === KARGO_API &&
            o.kind === kind &&
            o.metadata.name === ref.name &&
            (kind === "ClusterPromotionTask" || o.metadata.namespace === project),
    );
    if (!task) throw new TaskNotFoundError(`${kind.toLowerCase()}s.kargo.akuity.io "${ref.name}" not found`);
    return (task.spec ?? {}) as TaskSpec;
}

/**
 * promotion.go InflateSteps/inflateTaskSteps. The task's steps are copied as they are — their own `if`
 * included; the Stage step's `if` is not copied (the webhook refuses it anyway) — with the alias
 * `<stageStepAlias>::<taskStepAlias>` and the mapped vars prepended to each step's own vars.
 */
export function inflateSteps(
    steps: readonly PromotionStep[],
    objects: readonly KubeObject[],
    project: string,
    promoVars: readonly ExpressionVariable[],
): InflatedStep[] {
    const out: InflatedStep[] = [];
    steps.forEach((step, i) => {
        const alias = stepAliasAt(step, i);
        if (!step.task) {
            out.push({ ...step, as: alias, uses: step.uses ?? "" });
            return;
        }
        let spec: TaskSpec;
        let vars: ExpressionVariable[];
        try {
            spec = findTaskSpec(objects, project, step.task);
            vars = mapTaskVars(spec.vars ?? [], promoVars, step.vars ?? []);
        } catch (err) {
            throw new Error(
                `inflate task steps for task "${step.task.name}" ("${alias}"): ${(err as Error).message}`,
            );
        }
        (spec.steps ?? []).forEach((taskStep, j) => {
            out.push({
                ...taskStep,
                as: `${alias}::${stepAliasAt(taskStep, j)}`,
                uses: taskStep.uses ?? "",
                vars: [...vars, ...(taskStep.vars ?? [])],
                fromTask: step.task?.name,
            });
        });
    });
    return out;
}
