/**
 * Behaviour rules: objects every schema and webhook admits, yet that a controller or a proxy makes fail at
 * run time. Each rule is a small function citing the upstream code whose behaviour it encodes; each has a
 * test with the object it refuses (test/offline/behaviour). `npm run validate` and the synth apply them
 * after the schemas and the admission model.
 */
import { describeObject, type AdmissionIssue, type RuleIssue } from "../admission/objects";
import { findKargoStageLabelProblems } from "./applicationLabels";
import { findArgoCDUpdateProblems, findOciPromotedApplicationProblems } from "./argocdUpdate";
import { findIngressBackendProblems } from "./ingress";

type Rule = (obj: unknown, all: readonly unknown[]) => RuleIssue[];

const RULES: readonly Rule[] = [
    findArgoCDUpdateProblems,
    findOciPromotedApplicationProblems,
    findIngressBackendProblems,
    findKargoStageLabelProblems,
];

/** The behaviour problems of one object, judged with `all` (the files or the stack) around it. */
export function validateBehaviour(obj: unknown, all: readonly unknown[]): AdmissionIssue[] {
    const object = describeObject(obj);
    return RULES.flatMap((rule) => rule(obj, all)).map((i) => ({ object, ...i }));
}

/** Every behaviour problem of `objects`, judged together (a step and the Application it targets). */
export function validateBehaviourAll(objects: readonly unknown[]): AdmissionIssue[] {
    return objects.flatMap((obj) => validateBehaviour(obj, objects));
}
