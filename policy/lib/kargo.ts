/**
 * Kargo promotions as they will run: each Stage's promotion template with task references inlined and
 * the vars each step sees (Stage vars, template vars, task defaults, the caller's task vars, step vars;
 * later wins, as Kargo merges them). Policies check these steps rather than raw objects, so a
 * PromotionTask is judged with the values each Stage actually passes it.
 */
import type { ExpressionEnv } from "./expressions";
import { describeObject, groups, isSameNamespace, type KubeObject, type StackView } from "./resources";
import { isRecord, isUnknown, readList, readPath, readRecord, readString, type Plain } from "./values";

export interface PromotionStep {
    stage: KubeObject;
    /** The PromotionTask the step was inlined from, if any. */
    task?: KubeObject;
    uses: string;
    config: Plain;
    /** The whole config is unknown during preview (nothing in it can be judged). */
    unknownConfig: boolean;
    env: ExpressionEnv;
    /** Where the step is declared, for messages. */
    where: string;
    /** URN of the object that declares the step (the task, or the Stage). */
    urn: string;
}

export interface Problem {
    urn: string;
    message: string;
}

export interface StagePromotion {
    stage: KubeObject;
    steps: PromotionStep[];
    problems: Problem[];
}

/** `[{name, value}]` lists as entries; a var without value stays present with `undefined`. */
export function readVars(list: unknown): [string, string | undefined][] {
    return readList(list)
        .filter(isRecord)
        .flatMap((v) => {
            const name = readString(v.name);
            if (!name) return [];
            const value =
                typeof v.value === "string" ? v.value : v.value === undefined ? undefined : String(v.value);
            return [[name, value] as [string, string | undefined]];
        });
}

function mergeVars(...lists: [string, string | undefined][][]): Map<string, string | undefined> {
    const merged = new Map<string, string | undefined>();
    for (const list of lists) {
        for (const [name, value] of list) {
            if (value !== undefined || !merged.has(name)) merged.set(name, value);
        }
    }
    return merged;
}

function findTask(view: StackView, stage: KubeObject, ref: Plain): KubeObject | undefined {
    const name = readString(ref.name);
    const kind = readString(ref.kind) ?? "PromotionTask";
    return view
        .findKube(groups.kargo, kind)
        .find((t) => t.objectName === name && (kind === "ClusterPromotionTask" || isSameNamespace(t, stage)));
}

/** Every step of one Stage's promotion, tasks inlined. */
export function expandPromotion(stage: KubeObject, view: StackView): StagePromotion {
    const ctx = { stage: stage.objectName, ...(stage.namespace ? { project: stage.namespace } : {}) };
    const base = [
        readVars(readPath(stage.spec, "vars")),
        readVars(readPath(stage.spec, "promotionTemplate.spec.vars")),
    ];
    const steps: PromotionStep[] = [];
    const problems: Problem[] = [];
    readList(readPath(stage.spec, "promotionTemplate.spec.steps")).forEach((raw, index) => {
        const step = readRecord(raw);
        const here = `${describeObject(stage)} step ${index + 1}`;
        if (isUnknown(raw) || isUnknown(step.task) || isUnknown(step.uses)) return;
        if (isRecord(step.task)) {
            if (isUnknown(step.task.name) || isUnknown(step.task.kind)) return;
            const task = findTask(view, stage, step.task);
            if (!task) {
                const kind = readString(step.task.kind) ?? "PromotionTask";
                problems.push({
                    urn: stage.urn,
                    message: `${here} uses ${kind} "${readString(step.task.name) ?? "?"}", which this stack does not declare, so its steps cannot be checked`,
                });
                return;
            }
            const callerVars = readVars(step.vars);
            readList(readPath(task.spec, "steps")).forEach((rawInner, innerIndex) => {
                const inner = readRecord(rawInner);
                if (isUnknown(rawInner) || isUnknown(inner.uses)) return;
                const vars = mergeVars(
                    ...base,
                    readVars(readPath(task.spec, "vars")),
                    callerVars,
                    readVars(inner.vars),
                );
                steps.push({
                    stage,
                    task,
                    uses: readString(inner.uses) ?? "",
                    config: readRecord(inner.config),
                    unknownConfig: isUnknown(inner.config),
                    env: { vars, ctx },
                    where: `${describeObject(task)} step ${innerIndex + 1} (${readString(inner.uses) ?? "?"}) as run by ${describeObject(stage)}`,
                    urn: task.urn,
                });
            });
            return;
        }
        steps.push({
            stage,
            uses: readString(step.uses) ?? "",
            config: readRecord(step.config),
            unknownConfig: isUnknown(step.config),
            env: { vars: mergeVars(...base, readVars(step.vars)), ctx },
            where: `${here} (${readString(step.uses) ?? "?"})`,
            urn: stage.urn,
        });
    });
    return { stage, steps, problems };
}

export function expandAllPromotions(view: StackView): StagePromotion[] {
    return view.findKube(groups.kargo, "Stage").map((stage) => expandPromotion(stage, view));
}

/** Kargo stage-name selectors: exact, or `regex:`/`regexp:`/`glob:` prefixed patterns. */
export function matchesStageName(selector: string, name: string): boolean {
    const prefixed = /^(regex|regexp|glob):(.*)$/.exec(selector);
    if (!prefixed) return selector === name;
    if (prefixed[1] === "glob") {
        const pattern = prefixed[2]
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".");
        return new RegExp(`^${pattern}$`).test(name);
    }
    return new RegExp(prefixed[2]).test(name);
}

/** Kubernetes label selector (matchLabels and matchExpressions) against a label map. */
export function matchesLabelSelector(selector: Plain, labels: Record<string, string>): boolean {
    const matchLabels = readRecord(selector.matchLabels);
    if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
    return readList(selector.matchExpressions)
        .filter(isRecord)
        .every((e) => {
            const key = readString(e.key) ?? "";
            const values = readList(e.values).map(String);
            switch (e.operator) {
                case "In":
                    return key in labels && values.includes(labels[key]);
                case "NotIn":
                    return !(key in labels) || !values.includes(labels[key]);
                case "Exists":
                    return key in labels;
                case "DoesNotExist":
                    return !(key in labels);
                default:
                    return false;
            }
        });
}
