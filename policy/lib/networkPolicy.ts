/**
 * What an egress NetworkPolicy lets a namespace's pods reach: enough to show that a dev namespace cannot
 * open a connection into a prod namespace. NetworkPolicies are additive, so every policy selecting the
 * pods counts; a selector the pack cannot evaluate is reported, never assumed to exclude prod.
 */
import type { KubeObject } from "./resources";
import { isRecord, isUnknown, readList, readPath, readRecord, readString } from "./values";

const NAME_LABEL = "kubernetes.io/metadata.name";

/** True when `value` is unknown (preview) anywhere inside: such a part is not judged. */
export function hasUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(hasUnknown);
    return isRecord(value) && Object.values(value).some(hasUnknown);
}

/** True for `{}` (or an absent selector): it selects every pod of the namespace. */
export function selectsEveryPod(policy: KubeObject): boolean {
    const selector = readRecord(readPath(policy.spec, "podSelector"));
    return (
        readList(selector.matchExpressions).length === 0 &&
        Object.keys(readRecord(selector.matchLabels)).length === 0
    );
}

/** A policy restricts egress when its policyTypes say so (or, unset, when it has egress rules). */
export function restrictsEgress(policy: KubeObject): boolean {
    const types = readPath(policy.spec, "policyTypes");
    if (Array.isArray(types)) return types.includes("Egress");
    return readPath(policy.spec, "egress") !== undefined;
}

/** Whether a namespaceSelector matches namespace `ns`: true, false, or undefined when it cannot tell. */
export function matchesNamespace(selector: unknown, ns: string): boolean | undefined {
    if (isUnknown(selector)) return undefined;
    const labels = readRecord(readPath(selector, "matchLabels"));
    let result: boolean | undefined = true;
    for (const [key, value] of Object.entries(labels)) {
        if (key !== NAME_LABEL) result = undefined;
        else if (value !== ns) return false;
    }
    for (const expression of readList(readPath(selector, "matchExpressions"))) {
        const key = readString(readPath(expression, "key"));
        const operator = readString(readPath(expression, "operator"));
        const values = readList(readPath(expression, "values"));
        if (key !== NAME_LABEL) {
            result = undefined;
            continue;
        }
        const listed = values.includes(ns);
        if (operator === "In" && !listed) return false;
        if (operator === "NotIn" && listed) return false;
        if (operator === "DoesNotExist") return false;
        if (!["In", "NotIn", "Exists"].includes(operator ?? "")) result = undefined;
    }
    return result;
}

/** How one egress rule could reach a prod namespace, one phrase each; empty when it cannot. */
export function findEgressHoles(rule: unknown, prodNamespaces: readonly string[]): string[] {
    if (!isRecord(rule) || hasUnknown(rule.to)) return [];
    const peers = readList(rule.to);
    if (peers.length === 0) return ["allows egress to every destination (no `to`)"];
    return peers.flatMap((peer): string[] => {
        if (!isRecord(peer) || hasUnknown(peer)) return [];
        if (peer.ipBlock !== undefined) {
            const block = readRecord(peer.ipBlock);
            return readList(block.except).length === 0
                ? [`allows every address in ${String(block.cidr)} with no except, prod's pods included`]
                : [];
        }
        if (peer.namespaceSelector === undefined) return []; // a podSelector alone stays in the namespace
        return prodNamespaces.flatMap((ns) => {
            const match = matchesNamespace(peer.namespaceSelector, ns);
            if (match === false) return [];
            return [
                match
                    ? `allows egress to prod namespace ${ns}`
                    : `has a namespaceSelector that cannot be shown to exclude prod namespace ${ns}`,
            ];
        });
    });
}
