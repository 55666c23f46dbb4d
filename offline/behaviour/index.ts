/**
 * Behaviour rules: objects every schema and webhook admits, yet that a controller or a proxy makes fail at
 * run time. Each rule is a small function citing the upstream code whose behaviour it encodes; each has a
 * test with the object it refuses (test/offline/behaviour). `npm run validate` and the synth apply them
 * after the schemas and the admission model.
 */
import { describeObject, type AdmissionIssue, type RuleIssue } from "../admission/objects";
import { findKargoStageLabelProblems } from "./applicationLabels";
import { findArgoCDUpdateProblems, findOciPromotedApplicationProblems } from "./argocdUpdate";
import { findPartialScopeProblems } from "./freightScope";
import { findIngressBackendProblems } from "./ingress";
import { findInflationProblems } from "./promotion";
import { findVerificationProblems, type BehaviourOptions } from "./verification";

export type { BehaviourOptions } from "./verification";

type Rule = (obj: unknown, all: readonly unknown[], options: BehaviourOptions) => RuleIssue[];

const RULES: readonly Rule[] = [
    findArgoCDUpdateProblems,
    findOciPromotedApplicationProblems,
    findIngressBackendProblems,
    findKargoStageLabelProblems,
    findVerificationProblems,
    findInflationProblems,
    findPartialScopeProblems,
];

/**
 * The behaviour problems of one object, judged with `all` (the files or the stack) around it. With
 * `cluster`, `all` stands for the whole cluster (an object absent from it does not exist).
 */
export function validateBehaviour(
    obj: unknown,
    all: readonly unknown[],
    options: BehaviourOptions = { cluster: true },
): AdmissionIssue[] {
    const object = describeObject(obj);
    return RULES.flatMap((rule) => rule(obj, all, options)).map((i) => ({ object, ...i }));
}

/** Every behaviour problem of `objects`, judged together (a step and the Application it targets). */
export function validateBehaviourAll(
    objects: readonly unknown[],
    options: BehaviourOptions = { cluster: true },
): AdmissionIssue[] {
    return objects.flatMap((obj) => validateBehaviour(obj, objects, options));
}
