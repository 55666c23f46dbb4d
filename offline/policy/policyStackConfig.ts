/**
 * The policy pack's config for one of this repository's stacks, derived from its validated config, so
 * the synth checks each stack against its own facts (deploy directory, GitOps repo, budget, hostnames)
 * rather than the pack's generic defaults. `npm run synth` writes it to out/<stack>/policy-config.json, and
 * the workflows pass that file to `pulumi preview`/`up` as `--policy-pack-config`.
 */
import type { StackConfig } from "../../components/config";
import { selectKargoGitUrl } from "../../components/config/gitops";
import { shouldInstallKargo, shouldRunDevStage } from "../../components/config/pipeline";

export function buildPolicyConfigForStack(cfg: StackConfig): Record<string, Record<string, unknown>> {
    const config: Record<string, Record<string, unknown>> = {
        // The URL the promotion tasks really clone (the SSH form only in the deploy-key opt-in).
        "writes-confined": { deployDirectory: cfg.gitops.deployDir, gitRepoURLs: [selectKargoGitUrl(cfg)] },
        "no-floating-target-revision": { deployDirectory: cfg.gitops.deployDir },
        "git-owned-applications": { deployDirectory: cfg.gitops.deployDir },
        "memory-budget": { memoryBudget: cfg.budget.requests, limitsBudget: cfg.budget.limits },
        "dev-isolation": { devHostnames: [...cfg.verification.devHostnames] },
        "pinned-helm-charts": { kargoVersion: cfg.kargo.chartVersion },
    };
    // Kargo without a dev stage (prod-only, ADR 009's intermediate step) takes Freight straight from the
    // Warehouse by design: still reported on every run, but it does not block the stack that chose it.
    // Without Kargo (bump-only) there is no Stage for gated-prod to judge.
    if (shouldInstallKargo(cfg) && !shouldRunDevStage(cfg)) {
        config["gated-prod"] = { enforcementLevel: "advisory" };
    }
    // Likewise the deprecated deploy-key opt-in clones over SSH (config refuses it from Kargo 1.13 on).
    if (cfg.gitCredential.mode === "deploy-key") {
        config["credentials-from-1password"] = { enforcementLevel: "advisory" };
    }
    return config;
}
