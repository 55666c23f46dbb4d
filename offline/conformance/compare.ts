/**
 * The differential verdict: the TypeScript model and upstream must agree on every case. The one exception
 * is an entry of the reviewed allow-list (./allowList.ts), and only where the model is the stricter side
 * (it refuses what upstream admits), each with its reason. A model that admits what upstream refuses is
 * never allowed: that is a defect a real cluster would find first.
 */
import type { OracleCase, Verdict } from "./cases";

export type Harness = "apiserver" | "analysis" | "expressions" | "github";

/** A reviewed case where the model is deliberately stricter than upstream. */
export interface AllowEntry {
    readonly harness: Harness;
    /** Matches the case id (the object and the mutation). */
    readonly case: RegExp;
    /** Matches the model's message, so the entry covers one rule, not every refusal of the case. */
    readonly modelMessage: RegExp;
    readonly reason: string;
}

export interface Disagreement {
    readonly id: string;
    readonly model: Verdict;
    readonly oracle: Verdict;
}

export interface Comparison {
    readonly agreed: number;
    readonly allowed: readonly { readonly id: string; readonly reason: string }[];
    readonly disagreements: readonly Disagreement[];
    /** Allow-list entries of this harness that matched no case: stale, to be removed. */
    readonly unusedEntries: readonly AllowEntry[];
}

/** Compares the two sides case by case; a case either side did not answer is an error. */
export function compareVerdicts(
    harness: Harness,
    cases: readonly OracleCase[],
    model: readonly Verdict[],
    oracle: readonly Verdict[],
    allowList: readonly AllowEntry[],
): Comparison {
    const byId = (vs: readonly Verdict[], side: string): Map<string, Verdict> => {
        const m = new Map(vs.map((v) => [v.id, v]));
        const missing = cases.filter((c) => !m.has(c.id)).map((c) => c.id);
        if (missing.length > 0)
            throw new Error(
                `${harness}: ${side} gave no verdict for ${missing.length} case(s), first: ${missing[0]}`,
            );
        return m;
    };
    const models = byId(model, "the model");
    const oracles = byId(oracle, "upstream");
    const entries = allowList.filter((e) => e.harness === harness);
    const used = new Set<AllowEntry>();
    let agreed = 0;
    const allowed: { id: string; reason: string }[] = [];
    const disagreements: Disagreement[] = [];
    for (const c of cases) {
        const m = models.get(c.id) as Verdict;
        const o = oracles.get(c.id) as Verdict;
        if (m.allowed === o.allowed && sameResult(m, o)) {
            agreed++;
            continue;
        }
        const entry =
            !m.allowed && o.allowed
                ? entries.find((e) => e.case.test(c.id) && e.modelMessage.test(m.message ?? ""))
                : undefined;
        if (entry) {
            used.add(entry);
            allowed.push({ id: c.id, reason: entry.reason });
        } else {
            disagreements.push({ id: c.id, model: m, oracle: o });
        }
    }
    return { agreed, allowed, disagreements, unusedEntries: entries.filter((e) => !used.has(e)) };
}

/** Both sides produced a value (expressions): the values must be equal too. */
function sameResult(m: Verdict, o: Verdict): boolean {
    if (!m.allowed || m.result === undefined || o.result === undefined) return true;
    return stableJson(m.result) === stableJson(o.result);
}

/** JSON with object keys sorted: Go's encoding/json writes map keys in order, JavaScript in insertion order. */
function stableJson(v: unknown): string {
    return JSON.stringify(v, (_key, value: unknown) =>
        value && typeof value === "object" && !Array.isArray(value)
            ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
            : value,
    );
}

/** Markdown lines for a report: one per disagreement, with both sides' words. */
export function describeDisagreements(harness: Harness, ds: readonly Disagreement[]): string[] {
    return ds.map((d) => {
        const side = (v: Verdict): string =>
            v.allowed
                ? `admits${v.result !== undefined ? ` (${JSON.stringify(v.result)})` : ""}`
                : `refuses: ${v.message ?? ""}`;
        return `- ${harness}: ${d.id}\n  - model ${side(d.model)}\n  - upstream ${side(d.oracle)}`;
    });
}
