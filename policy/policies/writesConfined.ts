/**
 * Policy 6. Kargo holds a write-capable git credential; ADR 009 confines its writes to the deploy app
 * files. Every file a promotion step writes must resolve to a path under the deploy directory of a
 * repository the promotion cloned; a path the policy cannot resolve is reported, not assumed safe. Inside
 * those files, yaml-update and json-update write only keys matching `writableKeyPattern`: a misspelt key
 * (`spec.source.targetRevison`) would add a field nothing reads while the real one never moves. The stack's
 * own commits (the deploy files it bootstraps as `github.RepositoryFile`) are confined the same way.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../lib/config";
import {
    findWriteKeys,
    normalizeWorkspacePath,
    resolveCheckoutPaths,
    resolveStepValues,
} from "../lib/gitSteps";
import { expandAllPromotions, type Problem, type PromotionStep, type StagePromotion } from "../lib/kargo";
import { buildStackView, repositoryFileType, type StackView } from "../lib/resources";
import { isRecord, isUnknown, readList, readString } from "../lib/values";

interface Config {
    deployDirectory: string;
    gitRepoURLs: string[];
    writableKeyPattern: string;
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
        writableKeyPattern: {
            type: "string",
            description:
                "Regular expression every key a yaml-update/json-update step writes must match (the deploy files' revision keys).",
            default: "(^|\\.)targetRevision$",
        },
    },
};

/** Steps that write keys into a file, and the config list holding them. */
const KEY_WRITING_STEPS = new Set(["yaml-update", "json-update"]);

/** Every key a yaml-update/json-update step writes that `pattern` does not allow; unknown keys are skipped. */
export function findKeyProblems(step: PromotionStep, pattern: RegExp): Problem[] {
    if (!KEY_WRITING_STEPS.has(step.uses) || step.unknownConfig || isUnknown(step.config.updates)) return [];
    return readList(step.config.updates).flatMap((update, i) => {
        const key = isRecord(update) ? update.key : undefined;
        if (isUnknown(key) || (typeof key === "string" && pattern.test(key))) return [];
        return [
            {
                urn: step.urn,
                message: `${step.where} writes key ${JSON.stringify(key)} (updates[${i}]), which does not match writableKeyPattern /${pattern.source}/: a misspelt key adds a field nothing reads`,
            },
        ];
    });
}

function findCloneProblems(step: PromotionStep, config: Config): Problem[] {
    return resolveStepValues(step, ["repoURL"]).flatMap((value) => {
        // An unresolvable URL is policy 5's finding.
        const url = value.resolution.ok ? value.resolution.value : undefined;
        if (url === undefined || config.gitRepoURLs.length === 0 || config.gitRepoURLs.includes(url))
            return [];
        return [
            {
                urn: step.urn,
                message: `${step.where} clones ${JSON.stringify(url)}, which is not one of gitRepoURLs ${JSON.stringify(config.gitRepoURLs)}`,
            },
        ];
    });
}

/**
 * Every write outside `<checkout>/<deployDirectory>/` in one Stage's promotion. Steps run in order, so
 * a write is only inside a checkout that an earlier git-clone step created.
 */
export function findConfinementProblems(promotion: StagePromotion, config: Config): Problem[] {
    const problems: Problem[] = [...promotion.problems];
    const deployDir = normalizeWorkspacePath(config.deployDirectory) ?? config.deployDirectory;
    const roots = new Set<string>();
    // A checkout whose path is unknown during preview could be anywhere: writes are then not judged.
    let unknownRoot = false;
    for (const step of promotion.steps) {
        if (step.uses === "git-clone") {
            problems.push(...findCloneProblems(step, config));
            unknownRoot ||= step.unknownConfig || isUnknown(step.config.checkout);
            for (const checkout of resolveCheckoutPaths(step)) {
                const resolution = checkout.resolution;
                if (!resolution.ok && resolution.unknown) unknownRoot = true;
                const path = resolution.ok ? normalizeWorkspacePath(resolution.value) : undefined;
                if (path !== undefined) roots.add(path === "" ? deployDir : `${path}/${deployDir}`);
            }
        }
        problems.push(...findKeyProblems(step, new RegExp(config.writableKeyPattern)));
        for (const value of resolveStepValues(step, findWriteKeys(step.uses))) {
            const where = `${step.where} writes ${value.key} ${JSON.stringify(value.raw)}`;
            const resolution = value.resolution;
            if (!resolution.ok) {
                if (resolution.unknown) continue;
                problems.push({
                    urn: step.urn,
                    message: `${where}, which cannot be resolved (${resolution.reason}), so it cannot be shown to stay under ${deployDir}/`,
                });
                continue;
            }
            const path = normalizeWorkspacePath(resolution.value);
            if (
                unknownRoot ||
                (path !== undefined && [...roots].some((r) => path === r || path.startsWith(`${r}/`)))
            ) {
                continue;
            }
            const resolved = resolution.value === value.raw ? "" : ` (= ${JSON.stringify(resolution.value)})`;
            const allowed =
                roots.size > 0
                    ? [...roots].map((r) => `./${r}/`).join(" or ")
                    : `the ${deployDir}/ directory of a repository cloned by an earlier step (there is none)`;
            problems.push({ urn: step.urn, message: `${where}${resolved}, outside ${allowed}` });
        }
    }
    return problems;
}

/** The repository name a git URL ends in: https://github.com/acme/platform.git → platform. */
function findRepoName(url: string): string {
    return (
        url
            .replace(/\.git$/, "")
            .split(/[/:]/)
            .pop() ?? url
    );
}

/** Files the stack itself commits: under the deploy directory, of a repository promotions may clone. */
export function findCommittedFileProblems(view: StackView, config: Config): Problem[] {
    const deployDir = normalizeWorkspacePath(config.deployDirectory) ?? config.deployDirectory;
    return view.findByType(repositoryFileType).flatMap((r) => {
        const file = readString(r.props.file);
        const repository = readString(r.props.repository);
        const problems: string[] = [];
        const path = file === undefined ? undefined : normalizeWorkspacePath(file);
        if (file !== undefined && !(path !== undefined && path.startsWith(`${deployDir}/`))) {
            problems.push(`commits ${JSON.stringify(file)}, outside ${deployDir}/`);
        }
        const repos = config.gitRepoURLs.map(findRepoName);
        if (repository !== undefined && repos.length > 0 && !repos.includes(repository)) {
            problems.push(
                `commits to repository ${JSON.stringify(repository)}, not one of gitRepoURLs ${JSON.stringify(config.gitRepoURLs)}`,
            );
        }
        return problems.map((p) => ({ urn: r.urn, message: `RepositoryFile ${r.name} ${p}` }));
    });
}

export const writesConfined: StackValidationPolicy = {
    name: "writes-confined",
    description:
        "Promotion steps write only files under the configured deploy directory of the GitOps repository they clone, and only the keys writableKeyPattern allows; the files the stack itself commits lie there too.",
    remediationSteps:
        "Point yaml-update (and any other writing step) at ./<checkout>/<deployDirectory>/<stage>/<chart>.yaml, built from literals, ctx.stage/ctx.project and vars with literal values; keep other files out of promotions; spell each updated key exactly (e.g. spec.source.targetRevision), or widen writableKeyPattern in a reviewed change; commit only deploy files (<deployDirectory>/<stage>/<chart>.yaml) from the stack, to the GitOps repository.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema,
    validateStack: (args, reportViolation) => {
        const config = readConfig<Config>(args, configSchema);
        const view = buildStackView(args.resources);
        const promotions = expandAllPromotions(view);
        const files = view.findByType(repositoryFileType);
        if (promotions.length === 0 && files.length === 0) {
            args.notApplicable("the stack declares no Kargo Stage and commits no file");
        }
        const problems = [
            ...promotions.flatMap((p) => findConfinementProblems(p, config)),
            ...findCommittedFileProblems(view, config),
        ];
        for (const problem of problems) reportViolation(problem.message, problem.urn);
    },
};
