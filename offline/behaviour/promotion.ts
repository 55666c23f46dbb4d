/**
 * A Stage every webhook admits but whose every Promotion the Promotion webhook denies: Kargo v1.11.2
 * pkg/webhook/kubernetes/promotion/webhook.go Default copies the Stage's steps and vars (`spec.vars`, then
 * `promotionTemplate.spec.vars`) into each new Promotion and inflates its task steps (pkg/api/promotion.go
 * InflateSteps → getPromotionTaskSpec, promotionTaskVarsToStepVars); a task that does not exist, or a task
 * var without a default that neither the step nor the Stage sets, fails it, so nothing is ever promoted.
 * The inflation itself is the rehearsal's (offline/rehearsal/inflate.ts), so both judge a Stage alike.
 */
import type { RuleIssue } from "../admission/objects";
import { findTaskSpec, mapTaskVars, stepAliasAt, TaskNotFoundError } from "../rehearsal/inflate";
import type { ExpressionVariable, KubeObject, PromotionStep } from "../rehearsal/types";
import type { BehaviourOptions } from "./verification";

const KARGO_API = "kargo.akuity.io/v1alpha1";

interface StageSpec {
    readonly vars?: readonly ExpressionVariable[];
    readonly promotionTemplate?: {
        readonly spec?: {
            readonly steps?: readonly PromotionStep[];
            readonly vars?: readonly ExpressionVariable[];
        };
    };
}

/** Each task step of a Stage that InflateSteps would fail on, with upstream's message. */
export function findInflationProblems(
    obj: unknown,
    all: readonly unknown[],
    options: BehaviourOptions = {},
): RuleIssue[] {
    const stage = obj as KubeObject;
    if (stage?.apiVersion !== KARGO_API || stage.kind !== "Stage") return [];
    const spec = (stage.spec ?? {}) as StageSpec;
    const promoVars = [...(spec.vars ?? []), ...(spec.promotionTemplate?.spec?.vars ?? [])];
    const project = stage.metadata?.namespace ?? "";
    const objects = all.filter((o): o is KubeObject => !!o && typeof o === "object") as KubeObject[];
    return (spec.promotionTemplate?.spec?.steps ?? []).flatMap((step, i): RuleIssue[] => {
        if (!step.task) return [];
        const alias = stepAliasAt(step, i);
        try {
            const task = findTaskSpec(objects, project, step.task);
            mapTaskVars(task.vars ?? [], promoVars, step.vars ?? []);
            return [];
        } catch (err) {
            // A task absent from files that are only part of the cluster may well exist there.
            if (err instanceof TaskNotFoundError && !options.cluster) return [];
            return [
                {
                    path: `/spec/promotionTemplate/spec/steps/${i}/task`,
                    message:
                        "the Promotion webhook denies every Promotion of this Stage (pkg/api/promotion.go InflateSteps): " +
                        `failed to inflate Promotion steps: inflate task steps for task ${JSON.stringify(step.task.name)} ` +
                        `(${JSON.stringify(alias)}): ${(err as Error).message}`,
                },
            ];
        }
    });
}
