/**
 * The pack stands alone (it imports nothing of the stack), so whatever both define must agree by test:
 * the memory budget, the Kargo chart, version and components. And the stacks this repository ships must
 * pass the pack on its defaults alone, as `pulumi preview --policy-pack policy` runs it without
 * `--policy-pack-config` (issue 9, defect 11).
 */
import { strict as assert } from "node:assert";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { budgetSection } from "../../components/config/budget";
import { KARGO_COMPONENTS, kargoSection } from "../../components/config/kargo";
import { KARGO_CHART } from "../../components/kargo/kargoInstall";
import { validateResourceRecords } from "../../offline/policy/policyRunner";
import { renderResourcesJson } from "../../offline/runtime/synth";
import { memoryBudget } from "../../policy/policies/memoryBudget";
import { pinnedHelmCharts } from "../../policy/policies/pinnedHelmCharts";
import { STACKS, synthesizeStack } from "../support/stacks";
import { usePolicySession } from "./helpers";

/** The default of one setting in a policy's config schema. */
function defaultOf(schema: PolicyConfigSchema | undefined, key: string): unknown {
    return (schema?.properties[key] as { default?: unknown } | undefined)?.default;
}

/** The stack's defaults: each section with every key left unset. */
const stackDefaults = { budget: budgetSection.parse(undefined), kargo: kargoSection.parse(undefined) };

describe("policy pack defaults agree with the stack's", function () {
    this.timeout(180_000);
    const pack = usePolicySession();

    it("memory budget: the pack's default requests and limits budgets are the stack's", () => {
        assert.deepEqual(
            {
                requests: defaultOf(memoryBudget.configSchema, "memoryBudget"),
                limits: defaultOf(memoryBudget.configSchema, "limitsBudget"),
            },
            { requests: stackDefaults.budget.requests, limits: stackDefaults.budget.limits },
        );
    });

    it("Kargo: the pack's vetted chart and version are the ones the stack installs by default", () => {
        assert.deepEqual(
            {
                chart: defaultOf(pinnedHelmCharts.configSchema, "kargoChart"),
                version: defaultOf(pinnedHelmCharts.configSchema, "kargoVersion"),
            },
            { chart: KARGO_CHART, version: stackDefaults.kargo.chartVersion },
        );
    });

    it("Kargo: the pack counts exactly the components the stack sizes (opt-in ones aside)", () => {
        const components = defaultOf(memoryBudget.configSchema, "chartComponents") as Record<
            string,
            string[]
        >;
        assert.deepEqual(
            components.kargo.filter((c) => !c.endsWith("?")),
            [...KARGO_COMPONENTS],
        );
    });

    for (const stack of STACKS) {
        it(`the ${stack} stack passes the pack with no --policy-pack-config`, async () => {
            const run = await synthesizeStack(stack);
            const resources = validateResourceRecords(JSON.parse(renderResourcesJson(run.resources)));
            const analysis = await pack.analyze(resources);
            assert.deepEqual(
                analysis.violations.filter((v) => v.enforcementLevel === "mandatory"),
                [],
            );
        });
    }
});
