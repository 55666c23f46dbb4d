/**
 * The GitOps repository's rulesets: the branch takes changes by pull request only, and the deploy files
 * take them from their one targetRevision writer only. Declared in every pipeline mode (with or without
 * Kargo), so a mode switch updates their bypass actors in place and never leaves the branch unguarded.
 * Decisions live in ./repoRules.
 */
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { buildBranchRulesetArgs, buildDeployFilesRulesetArgs } from "./repoRules";

export interface GitopsRepoRulesArgs {
    /** The validated stack configuration (`gitCredential`, `gitops`, `pipeline`, `chartRelease`). */
    readonly config: StackConfig;
    /** Provider for the GitOps repository's owner. */
    readonly githubProvider: pulumi.ProviderResource;
    /** What must exist before a ruleset names its bypass actor (Kargo's deploy key in that opt-in). */
    readonly bypassDependencies?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The rulesets were children of KargoGitCredential (`kargo-git-…`) before they outlived Kargo: the alias
 * keeps the live rulesets instead of deleting and recreating them (a window with the branch unguarded).
 */
export function buildRulesetAliases(child: "branch-ruleset" | "deploy-files-ruleset"): pulumi.Alias[] {
    return [
        {
            name: `kargo-git-${child}`,
            parent: pulumi.createUrn("kargo-git", "release-pipeline:index:KargoGitCredential"),
        },
    ];
}

export class GitopsRepoRules extends pulumi.ComponentResource {
    constructor(name: string, args: GitopsRepoRulesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("release-pipeline:index:GitopsRepoRules", name, {}, opts);
        const cfg = args.config;
        const options = (child: "branch-ruleset" | "deploy-files-ruleset") => ({
            parent: this,
            provider: args.githubProvider,
            dependsOn: args.bypassDependencies ?? [],
            aliases: buildRulesetAliases(child),
        });
        if (cfg.gitCredential.branchRuleset.enabled) {
            new github.RepositoryRuleset(
                `${name}-branch-ruleset`,
                buildBranchRulesetArgs(cfg),
                options("branch-ruleset"),
            );
        }
        if (cfg.gitCredential.deployFilesRuleset.enabled) {
            new github.RepositoryRuleset(
                `${name}-deploy-files-ruleset`,
                buildDeployFilesRulesetArgs(cfg),
                options("deploy-files-ruleset"),
            );
        }
        this.registerOutputs({});
    }
}
