/**
 * During `pulumi preview` any value may be unknown. Whatever is unknown, the pack must not report it:
 * the compliant stack with unknowns substituted at every depth yields no violation at all (a policy
 * that trips on an unknown would either report it or throw "can't run during preview").
 */
import { strict as assert } from "node:assert";
import type { ResourceRecord } from "../../offline/policy/policyRunner";
import { loadBaseline, unknown, usePolicySession } from "./helpers";

/** Replaces everything at `depth` below `value` (0 = the value itself) with the unknown sentinel. */
function buildUnknownAt(value: unknown, depth: number): unknown {
    if (depth === 0) return unknown;
    if (Array.isArray(value)) return value.map((v) => buildUnknownAt(v, depth - 1));
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, buildUnknownAt(v, depth - 1)]));
    }
    return unknown;
}

/** Every input except the identity of Kubernetes objects (apiVersion, kind, metadata) goes unknown. */
function buildPreviewStack(depth: number): ResourceRecord[] {
    return loadBaseline().map((r) => {
        const inputs = Object.fromEntries(
            Object.entries(r.inputs).map(([k, v]) =>
                ["apiVersion", "kind", "metadata"].includes(k) ? [k, v] : [k, buildUnknownAt(v, depth)],
            ),
        );
        return { ...r, inputs };
    });
}

describe("policy: unknown values during preview", () => {
    const pack = usePolicySession();
    for (const depth of [0, 1, 2, 3, 4, 5, 6, 8, 12]) {
        it(`reports nothing when every input ${depth} levels down is unknown`, async () => {
            const stack = buildPreviewStack(depth);
            assert.ok(JSON.stringify(stack).includes(unknown));
            assert.deepEqual((await pack.analyze(stack)).violations, []);
        });
    }

    it("reports nothing when object names and labels are unknown", async () => {
        const stack = loadBaseline().map((r) => {
            const metadata = r.inputs.metadata as Record<string, unknown> | undefined;
            return metadata
                ? { ...r, inputs: { ...r.inputs, metadata: { ...metadata, labels: unknown } } }
                : r;
        });
        // Without labels the git credential item is not recognisable, so policy 5 is simply not applicable.
        const analysis = await pack.analyze(stack);
        assert.deepEqual(analysis.violations, []);
    });
});
