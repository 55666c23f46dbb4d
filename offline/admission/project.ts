/**
 * Kargo 1.11.2's Project validating webhook (pkg/webhook/kubernetes/project/webhook.go). It validates no
 * field; on create it adopts or creates the namespace named after the Project (ensureNamespace), and that
 * is where it refuses: a namespace that exists without the project label belongs to someone else.
 */
import { findDeclared, type AdmissionContext } from "./cluster";
import { PROJECT_LABEL, labelsOf, nameOf, pointer, quote, type RuleIssue } from "./objects";

/**
 * project/webhook.go, ensureNamespace: a namespace named like the Project either does not exist (Kargo
 * creates it, labelled) or already carries `kargo.akuity.io/project: "true"`. The terminating-namespace
 * conflict needs a live cluster and is not modelled.
 */
export function validateProjectNamespaceAdoption(project: unknown, ctx: AdmissionContext): RuleIssue[] {
    const name = nameOf(project);
    const ns = findDeclared(ctx, "Namespace", name);
    if (ns === undefined || labelsOf(ns)[PROJECT_LABEL] === "true") return [];
    return [
        {
            path: pointer("metadata", "name"),
            message:
                `failed to initialize Project ${quote(name)} because namespace ${quote(name)} already exists ` +
                `and is not labeled as a Project namespace`,
        },
    ];
}

export function validateProject(project: unknown, ctx?: AdmissionContext): RuleIssue[] {
    return ctx ? validateProjectNamespaceAdoption(project, ctx) : [];
}
