/**
 * Kargo's `kargo.akuity.io/stage` label (api/v1alpha1/labels.go `LabelKeyStage`, v1.11.2) is one Kargo sets
 * on objects it creates for a Stage (Promotions, AnalysisRuns: pkg/controller/stages/regular_stages.go,
 * pkg/webhook/kubernetes/promotion/webhook.go) and reads back from those only. Nothing in Kargo reads it
 * from an Argo CD Application: what ties an Application to a Stage is the `kargo.akuity.io/authorized-stage`
 * annotation. On an Application the label only suggests a link that does not exist.
 */
import { asDict, type RuleIssue } from "../admission/objects";

export const KARGO_STAGE_LABEL = "kargo.akuity.io/stage";

export function findKargoStageLabelProblems(obj: unknown): RuleIssue[] {
    const o = asDict(obj);
    if (o.apiVersion !== "argoproj.io/v1alpha1" || o.kind !== "Application") return [];
    const labels = asDict(asDict(o.metadata).labels);
    if (!(KARGO_STAGE_LABEL in labels)) return [];
    return [
        {
            path: `/metadata/labels/${KARGO_STAGE_LABEL.replace("/", "~1")}`,
            message:
                "Kargo never reads its stage label from an Application (it sets it on its own Promotions and AnalysisRuns); the link to a Stage is the kargo.akuity.io/authorized-stage annotation; use a label of your own for the stage",
        },
    ];
}
