/**
 * Policy 6. Kargo holds a write-capable git credential; ADR 009 confines its writes to the deploy app
 * files. Every file a promotion step writes must resolve to a path under the deploy directory of a
 * repository the promotion cloned; a path the policy cannot resolve is reported, not assumed safe.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../lib/config";
import {
    findWriteKeys,
    normalizeWorkspacePath,
    resolveCheckoutPaths,
    resolveStepValues,
} from "../lib/gitSteps";
import { expandAllPromotions, type Problem, type StagePromotion } from "../lib/kargo";
import { buildStackView } from "../lib/resources";

interface Config {
    deployDirectory: string;
    gitRepoURLs: string[];
}

const configSchema: PolicyConfigSchema = {
    properties: {
        deployDirectory: {
            type: "string",
            description: "Directory of the deploy files inside the GitOps repository, e.g. deploy.",
            default: "deploy",
        },
        gitRepoURLs: {
            type: "array",
            items: { type: "string" },
            description: "GitOps repositories promotions may clone (and so push to); empty allows any.",
            default: [],
        },
    },
};

/** Every write outside `<checkout>/<deployDirectory>/` in one Stage's promotion. */
export function findConfinementProblems(promotion: StagePromotion, config: Config): Problem[] {
    const problems: Problem[] = [...promotion.problems];
    const deployDir = normalizeWorkspacePath(config.deployDirectory) ?? config.deployDirectory;
    const roots: string[] = [];
    for (const step of promotion.steps.filter((s) => s.uses === "git-clone")) {
        for (const value of resolveStepValues(step, ["repoURL"])) {
            const url = value.resolution.ok ? value.resolution.value : undefined;
            if (url !== undefined && config.gitRepoURLs.length > 0 && !config.gitRepoURLs.includes(url)) {
                problems.push({
                    urn: step.urn,
                    message: `${step.where} clones ${JSON.stringify(url)}, which is not one of gitRepoURLs ${JSON.stringify(config.gitRepoURLs)}`,
                });
            }
        }
        for (const checkout of resolveCheckoutPaths(step)) {
            const path = checkout.resolution.ok
                ? normalizeWorkspacePath(checkout.resolution.value)
                : undefined;
            if (path !== undefined) roots.push(path === "" ? deployDir : `${path}/${deployDir}`);
        }
    }
    for (const step of promotion.steps) {
        for (const value of resolveStepValues(step, findWriteKeys(step.uses))) {
            const where = `${step.where} writes ${value.key} ${JSON.stringify(value.raw)}`;
            if (!value.resolution.ok) {
                problems.push({
                    urn: step.urn,
                    message: `${where}, which cannot be resolved (${value.resolution.reason}), so it cannot be shown to stay under ${deployDir}/`,
                });
                continue;
            }
            const path = normalizeWorkspacePath(value.resolution.value);
            const inside =
                path !== undefined && roots.some((root) => path === root || path.startsWith(`${root}/`));
            if (!inside) {
                const resolved =
                    value.resolution.value === value.raw
                        ? ""
                        : ` (= ${JSON.stringify(value.resolution.value)})`;
                const allowed =
                    roots.length > 0
                        ? roots.map((r) => `./${r}/`).join(" or ")
                        : `the ${deployDir}/ directory of a cloned repository (the promotion clones none)`;
                problems.push({ urn: step.urn, message: `${where}${resolved}, outside ${allowed}` });
            }
        }
    }
    return problems;
}

export const writesConfined: StackValidationPolicy = {
    name: "writes-confined",
    description:
        "Promotion steps write only files under the configured deploy directory of the GitOps repository they clone.",
    remediationSteps:
        "Point yaml-update (and any other writing step) at ./<checkout>/<deployDirectory>/<stage>/<chart>.yaml, built from literals, ctx.stage/ctx.project and vars with literal values; keep other files out of promotions.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema,
    validateStack: (args, reportViolation) => {
        const config = readConfig<Config>(args, configSchema);
        const promotions = expandAllPromotions(buildStackView(args.resources));
        if (promotions.length === 0) args.notApplicable("the stack declares no Kargo Stage");
        for (const problem of promotions.flatMap((p) => findConfinementProblems(p, config))) {
            reportViolation(problem.message, problem.urn);
        }
    },
};
