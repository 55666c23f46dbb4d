/**
 * The verification a Stage starts after a successful promotion, played up to its first measurement: Kargo
 * v1.11.2 pkg/controller/stages/regular_stages.go startVerification builds the AnalysisRun with the env
 * `ctx` (project, stage), the Stage's `vars` evaluated in order, and chartFrom() over the Stage's Freight
 * collection (FreightOperations); then the builder and Rollouts' own checks of offline/behaviour/analysis
 * run on the evaluated args. No measurement is taken (the rehearsal has no dev to call).
 */
import { judgeVerification, findTemplate, type VerificationSpec } from "../behaviour/verification";
import { evaluateTemplate } from "./expr/template";
import { bindFunctions, type FreightContext } from "./expr/functions";
import { toValue, UnsupportedExpressionError, type ValueMap } from "./expr/values";
import type { ExpressionVariable, KubeObject } from "./types";

export interface VerificationRehearsal {
    /** Each Stage arg as Kargo would evaluate it against this Freight collection (or the error text). */
    readonly args: readonly { readonly name: string; readonly value: string }[];
    /** Why the AnalysisRun would error or can never fail; [] when it would start measuring. */
    readonly problems: readonly string[];
}

/** Plays `stage`'s verification (undefined when it has none) against the Freight collection `freight`. */
export function rehearseVerification(
    stage: KubeObject,
    objects: readonly KubeObject[],
    freight: FreightContext,
): VerificationRehearsal | undefined {
    const spec = (stage.spec ?? {}) as { verification?: VerificationSpec; vars?: ExpressionVariable[] };
    const verification = spec.verification;
    if (!verification || (verification.analysisTemplates ?? []).length === 0) return undefined;
    const project = stage.metadata.namespace ?? "";
    const { functions, refused } = bindFunctions(freight);
    const ctx = { project, stage: stage.metadata.name };
    // analysis_run_builder.go buildArgs: each var sees the ones before it.
    const vars: Record<string, unknown> = {};
    const scope = () => ({ env: toValue({ ctx, vars }) as ValueMap, functions, refused });
    const args: { name: string; value: string }[] = [];
    const evaluate = (value: string, name: string): unknown => {
        try {
            const result = evaluateTemplate(value, scope());
            args.push({ name, value: typeof result === "string" ? result : JSON.stringify(result) });
            return result;
        } catch (err) {
            const e = err as Error;
            args.push({ name, value: `(error: ${e.message})` });
            throw err instanceof UnsupportedExpressionError
                ? new Error(`refused by the rehearsal: ${e.message}`)
                : e;
        }
    };
    try {
        for (const v of spec.vars ?? []) vars[v.name] = evaluateTemplate(v.value ?? "", scope());
    } catch (err) {
        return {
            args,
            problems: [
                `Kargo cannot build the AnalysisRun: build spec: build arguments: ${(err as Error).message}`,
            ],
        };
    }
    const templates = (verification.analysisTemplates ?? []).map((ref) =>
        findTemplate(objects, ref, project),
    );
    return { args, problems: judgeVerification(verification, project, templates, evaluate) };
}
