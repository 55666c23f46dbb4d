/**
 * What a stage of the pipeline takes from the other capabilities, passed in by index.ts so that the
 * pipeline never imports them: Helm values layered over a chart's own, and steps run before its chart tasks.
 */
import type { StageSpec } from "./generated";

/** Helm values a stage layers over the chart's own; the dev data-plane component adds to this. */
export type StageValues = (stage: string, chart: { readonly name: string }) => Record<string, unknown>;

/** One entry of a Stage's `promotionTemplate.spec.steps`, as the pinned Stage CRD defines it. */
export type PromotionStep = NonNullable<NonNullable<StageSpec["promotionTemplate"]>["spec"]["steps"]>[number];

/** Promotion steps a stage runs before its chart tasks. */
export type PreSteps = readonly PromotionStep[];
