/**
 * Whether a revision string is an exact version. ADR 009 keeps "what is deployed" as an auditable,
 * git-recorded pin, so anything that can move (or means "latest") is floating.
 */
import { isUnknown } from "./values";

const exactVersion = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Ordered: the first matching form names the problem. */
const floatingForms: [RegExp, string][] = [
    [/^\s*$/, "empty (Argo CD and Helm then take the latest/HEAD)"],
    [/^\*$/, "a wildcard (*)"],
    [/^head$/i, "HEAD"],
    [/^(sha256|sha512):[a-f0-9]{32,}$|@sha256:|^[a-f0-9]{40}$|^[a-f0-9]{64}$/i, "a digest"],
    [/\{\{|\$\{/, "a template expression"],
    [/^\^/, "a caret range (^)"],
    [/^~/, "a tilde range (~)"],
    [/^(>=|<=|>|<|!=|=)/, "a comparison range (>=, >, <, <=, =)"],
    [/\|\||\s-\s|,/, "a compound range"],
    [/^v?\d+(\.\d+)?$/, "a partial version (missing minor or patch)"],
    [/^v?(\d+|[xX*])(\.(\d+|[xX*])){0,2}(-\S+)?$/, "an x-range (x, X or * in a version part)"],
];

/** Undefined when the revision is an exact version (or unknown during preview); else what it is. */
export function findFloatingForm(revision: unknown): string | undefined {
    if (isUnknown(revision)) return undefined;
    if (revision === undefined || revision === null) return floatingForms[0][1];
    const text = String(revision).trim();
    if (exactVersion.test(text)) return undefined;
    for (const [pattern, form] of floatingForms) {
        if (pattern.test(text)) return form;
    }
    return "a branch or tag name";
}

export function isExactVersion(value: unknown): boolean {
    return typeof value === "string" && exactVersion.test(value.trim());
}
