/**
 * Issue 18: Renovate moves devData.refresh.hookChart.version in the stack files; the data Application used
 * to ignore its targetRevision, so the bump was a silent no-op. The bump must reach the Application.
 */
import { strict as assert } from "node:assert";
import { diffSynths, type SynthRow } from "../../../offline/report/diff";
import { renderResourcesJson } from "../../../offline/runtime/synth";
import { stackRaw } from "../../support/config";
import { synthesizeStack, synthesizeWith } from "../../support/stacks";

const rows = (run: Awaited<ReturnType<typeof synthesizeStack>>) =>
    JSON.parse(renderResourcesJson(run.resources)) as SynthRow[];

describe("the hook chart's version (Renovate's bump) reaches the data Application", () => {
    it("a new hookChart.version updates spec.source.targetRevision, not under ignoreChanges, with patchForce", async () => {
        const devData = stackRaw("dev").devData as { refresh: { hookChart: Record<string, string> } };
        const bumped = {
            ...devData,
            refresh: { ...devData.refresh, hookChart: { ...devData.refresh.hookChart, version: "2.0.2" } },
        };
        const base = rows(await synthesizeStack("dev"));
        const head = rows(await synthesizeWith("dev", { devData: bumped }));
        const diff = diffSynths(base, head);
        const app = diff.resources.find((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application");
        assert.ok(app, "the data Application changes");
        assert.deepEqual(app.changes, [
            { kind: "changed", path: "spec.source.targetRevision", before: "2.0.1", after: "2.0.2" },
        ]);
        const row = head.find((r) => r.urn === app.urn);
        const metadata = row?.inputs.metadata as { annotations: Record<string, string> };
        assert.equal(metadata.annotations["pulumi.com/patchForce"], "true");
    });
});
