/** Which Stages are production, shared by the two prod-gating policies. */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { matchesStageName } from "./kargo";
import { groups, type KubeObject, type StackView } from "./resources";

export const prodStagesSchema: PolicyConfigSchema["properties"][string] = {
    type: "array",
    items: { type: "string" },
    description: "Names of the production Stage(s): exact, or Kargo-style regex:/glob: patterns.",
    default: ["prod"],
};

export function findProdStages(view: StackView, selectors: string[]): KubeObject[] {
    return view
        .findKube(groups.kargo, "Stage")
        .filter((stage) => selectors.some((selector) => matchesStageName(selector, stage.objectName)));
}
