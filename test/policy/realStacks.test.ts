/**
 * The stacks this repository actually declares, synthesized in-process and run through the real pack:
 * no mandatory violation, with the pack config the synth derives from each stack's own config (budget,
 * deploy directory, GitOps repo, dev hostnames). The preview variant marks every value the offline run invented for another
 * resource's output (the mock runtime's `<name>-id`) as unknown, which is what `pulumi preview` sends.
 */
import { strict as assert } from "node:assert";
import { readRawConfig, validateStackConfig } from "../../components/config";
import {
    validateResourceRecords,
    type PackConfig,
    type ResourceRecord,
} from "../../offline/policy/policyRunner";
import { buildPolicyConfigForStack } from "../../offline/policy/policyStackConfig";
import { STACKS, loadStackFile, renderResourcesJson, runStack } from "../../offline/runtime/synth";
import { unknown, usePolicySession } from "./helpers";

/** Replaces mock output ids with the unknown sentinel, leaving everything the program wrote itself. */
function buildPreview(value: unknown, ids: Set<string>): unknown {
    if (typeof value === "string") return ids.has(value) ? unknown : value;
    if (Array.isArray(value)) return value.map((v) => buildPreview(v, ids));
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, buildPreview(v, ids)]));
    }
    return value;
}

describe("policy: the real stacks", function () {
    this.timeout(120_000);
    const pack = usePolicySession();
    for (const stack of STACKS) {
        let resources: ResourceRecord[] = [];
        let config: PackConfig = {};
        before(async () => {
            const file = loadStackFile(stack);
            config = buildPolicyConfigForStack(validateStackConfig(readRawConfig(file.config)));
            const run = await runStack(stack, file);
            resources = validateResourceRecords(JSON.parse(renderResourcesJson(run.resources)));
        });

        it(`${stack} has no mandatory violation`, async () => {
            // A stack this small would pass vacuously if the kinds the pack guards were missing.
            const types = new Set(resources.map((r) => r.type));
            for (const type of [
                "kubernetes:kargo.akuity.io/v1alpha1:Stage",
                "kubernetes:helm.sh/v3:Release",
            ]) {
                assert.ok(types.has(type), `${stack} declares no ${type}`);
            }
            const analysis = await pack.analyze(resources, config);
            assert.deepEqual(
                analysis.violations.filter((v) => v.enforcementLevel === "mandatory"),
                [],
            );
            // Every policy applies: the stacks declare credentials, Access and (dev) the clone by now.
            assert.deepEqual(analysis.notApplicable, []);
        });

        it(`${stack} synthesized as a preview has no mandatory violation`, async () => {
            const run = await runStack(stack, loadStackFile(stack), true);
            const preview = validateResourceRecords(JSON.parse(renderResourcesJson(run.resources)));
            const analysis = await pack.analyze(preview, config);
            assert.deepEqual(
                analysis.violations.filter((v) => v.enforcementLevel === "mandatory"),
                [],
            );
        });

        it(`${stack} with other resources' outputs unknown reports nothing the update does not`, async () => {
            const ids = new Set(resources.map((r) => `${r.name}-id`));
            const preview = resources.map((r) => ({
                ...r,
                inputs: buildPreview(r.inputs, ids) as Record<string, unknown>,
            }));
            assert.ok(
                JSON.stringify(preview).includes(unknown),
                `${stack} consumes no other resource's output`,
            );
            const [update, during] = [
                await pack.analyze(resources, config),
                await pack.analyze(preview, config),
            ];
            assert.deepEqual(during.violations, update.violations);
        });
    }
});
