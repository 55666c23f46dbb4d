import { strict as assert } from "node:assert";
import { buildPolicyConfigForStack } from "../../../offline/policy/policyStackConfig";
import { stackConfig } from "../../support/config";

describe("policy pack config derived from a stack", () => {
    it("states the stack's own deploy directory, repository, budget, hostnames and Kargo version", () => {
        assert.deepEqual(buildPolicyConfigForStack(stackConfig("prod")), {
            "writes-confined": {
                deployDirectory: "deploy",
                gitRepoURLs: ["https://github.com/acme/platform.git"],
            },
            "no-floating-target-revision": { deployDirectory: "deploy" },
            "git-owned-applications": { deployDirectory: "deploy" },
            "memory-budget": { memoryBudget: "1152Mi", limitsBudget: "2304Mi" },
            "dev-isolation": { devHostnames: ["dev.acme.dev"] },
            "pinned-helm-charts": { kargoVersion: "1.11.2" },
        });
    });

    it("keeps gated-prod reporting, as advisory, for the prod-only increment that skips dev by design", () => {
        const cfg = stackConfig("prod", { pipeline: { mode: "prod-only" } });
        assert.deepEqual(buildPolicyConfigForStack(cfg)["gated-prod"], { enforcementLevel: "advisory" });
        assert.equal(buildPolicyConfigForStack(stackConfig("prod"))["gated-prod"], undefined);
    });

    it("reports, as advisory, the SSH clone of the explicit deploy-key opt-in, and confines writes to that URL", () => {
        const base = stackConfig("prod");
        const cfg = {
            ...base,
            gitCredential: {
                ...base.gitCredential,
                mode: "deploy-key" as const,
                deployKey: { vaultUuid: "abcdefghijklmnopqrstuvwxyz", itemTitle: "k", title: "t" },
            },
        };
        const config = buildPolicyConfigForStack(cfg);
        assert.deepEqual(config["credentials-from-1password"], { enforcementLevel: "advisory" });
        assert.deepEqual(config["writes-confined"].gitRepoURLs, ["ssh://git@github.com/acme/platform.git"]);
    });
});
