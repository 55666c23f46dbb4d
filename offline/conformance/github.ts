/**
 * Provider cases: every @pulumi/github resource both stacks declare, in every mode, judged by
 * terraform-provider-github v6.13.0's own resource validation (conformance/internal/tfgithub), the check
 * the provider's Check runs in `pulumi preview`. The synth has no model of that provider's validation, so
 * its verdict is "admitted" for every resource it emits: any refusal upstream fails the run, which is the
 * point (a provider input the provider rejects must fail offline, not at the first preview).
 */
import type { OracleCase, Verdict } from "./cases";

export function buildGithubCases(
    sources: readonly {
        label: string;
        githubResources?: readonly { urn: string; type: string; inputs: Record<string, unknown> }[];
    }[],
): OracleCase[] {
    const seen = new Set<string>();
    const out: OracleCase[] = [];
    for (const s of sources) {
        for (const r of s.githubResources ?? []) {
            const object = { type: r.type, inputs: r.inputs };
            const key = JSON.stringify(object);
            if (seen.has(key)) continue;
            seen.add(key);
            out.push({ id: `${s.label}: ${r.urn.split("::").pop() ?? r.urn} (${r.type})`, object });
        }
    }
    return out;
}

/** What the synth says of each: it emitted the resource, so it admits it. */
export function judgeGithubWithModel(cases: readonly OracleCase[]): Verdict[] {
    return cases.map((c) => ({ id: c.id, allowed: true }));
}
