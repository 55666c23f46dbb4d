/**
 * The policy pack's config for one of this repository's stacks, derived from its validated config, so
 * the synth checks each stack against its own facts (deploy directory, GitOps repo, budget, hostnames)
 * rather than the pack's generic defaults. `pulumi preview --policy-pack policy` uses the defaults unless a
 * `--policy-pack-config` file is given; `npm run synth` writes this one next to resources.json.
 */
import type { StackConfig } from "../components/config";

export function buildPolicyConfigForStack(cfg: StackConfig): Record<string, Record<string, unknown>> {
    return {
        "writes-confined": { deployDirectory: cfg.gitops.deployDir, gitRepoURLs: [cfg.gitops.repoURL] },
        "memory-budget": { memoryBudget: cfg.budget.requests, limitsBudget: cfg.budget.limits },
        "dev-isolation": { devHostnames: [...cfg.verification.devHostnames] },
        "pinned-helm-charts": { kargoVersion: cfg.kargo.chartVersion },
    };
}
