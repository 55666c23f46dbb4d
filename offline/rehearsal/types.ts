/**
 * Plain data the rehearsal works on: the Kubernetes objects a stack declares (the synth's objects, as JSON),
 * and the few shapes of Kargo's API it reads. Only the fields the rehearsal uses are typed; everything
 * else stays `unknown`, so a renamed field surfaces as a type error here rather than a silent `undefined`.
 */

/** A declared Kubernetes object, exactly as the synth writes it. */
export interface KubeObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: {
        readonly name: string;
        readonly namespace?: string;
        readonly annotations?: Readonly<Record<string, string>>;
        readonly labels?: Readonly<Record<string, string>>;
    };
    readonly [field: string]: unknown;
}

/** One record of the synth's resources.json (`{urn, type, name, parent, inputs}`). */
export interface ResourceRecord {
    readonly urn?: string;
    readonly type: string;
    readonly name: string;
    readonly inputs: Readonly<Record<string, unknown>>;
}

/** `kargoapi.ExpressionVariable`. */
export interface ExpressionVariable {
    readonly name: string;
    readonly value?: string;
}

/** `kargoapi.PromotionStep` (api/v1alpha1/promotion_types.go), the fields the engine reads. */
export interface PromotionStep {
    readonly uses?: string;
    readonly as?: string;
    readonly if?: string;
    readonly continueOnError?: boolean;
    readonly task?: { readonly kind?: string; readonly name: string };
    readonly vars?: readonly ExpressionVariable[];
    readonly config?: Readonly<Record<string, unknown>>;
}

/** `kargoapi.FreightOrigin`. */
export interface FreightOrigin {
    readonly kind: "Warehouse";
    readonly name: string;
}

/** `kargoapi.Chart`: the Go field names are what expressions see (expr-lang fetches struct fields by name). */
export interface Chart {
    readonly RepoURL: string;
    readonly Name: string;
    readonly Version: string;
}

/** `kargoapi.FreightReference`, charts only (the stack subscribes to nothing else). */
export interface Freight {
    readonly name: string;
    readonly origin: FreightOrigin;
    readonly charts: readonly Chart[];
}

/** A chart subscription of a Warehouse (`spec.subscriptions[].chart`). */
export interface ChartSubscription {
    readonly repoURL: string;
    readonly name?: string;
    readonly semverConstraint?: string;
}

export interface FreightRequest {
    readonly origin: FreightOrigin;
    readonly sources: { readonly direct?: boolean; readonly stages?: readonly string[] };
}

/** Kargo's step statuses (`kargoapi.PromotionStepStatus`). */
export type StepStatus = "Succeeded" | "Skipped" | "Errored" | "Failed";

/** One thing the rehearsal checked on a step, passed or not. */
export interface Check {
    readonly name: string;
    readonly ok: boolean;
    readonly detail: string;
}

/** Outcome of one step runner (`promotion.StepResult` plus what the rehearsal checked). */
export interface StepOutcome {
    readonly status: StepStatus;
    readonly message?: string;
    readonly output?: Readonly<Record<string, unknown>>;
    readonly checks?: readonly Check[];
    /** Set when the step kind is not played for real; the reason is printed, the promotion goes on. */
    readonly notRehearsed?: string;
}

/** `kargoapi.StepExecutionMetadata`, plus the rehearsal's checks. */
export interface StepRecord {
    readonly alias: string;
    readonly uses: string;
    readonly status: StepStatus;
    readonly message?: string;
    readonly continueOnError: boolean;
    readonly checks: readonly Check[];
    readonly notRehearsed?: string;
}

export const KARGO_API = "kargo.akuity.io/v1alpha1";
export const ARGO_API = "argoproj.io/v1alpha1";
