/** Facts about promotion steps that touch git: where they clone, and which config keys write files. */
import { resolveTemplate, type Resolution } from "./expressions";
import type { PromotionStep } from "./kargo";
import { isRecord, isUnknown, readList } from "./values";

/** Built-in steps and the config keys naming what they write, relative to the promotion workspace. */
export const writeKeys: Record<string, string[]> = {
    "yaml-update": ["path"],
    "json-update": ["path"],
    "helm-update-chart": ["path"],
    "kustomize-set-image": ["path"],
    "kustomize-build": ["outPath"],
    "helm-template": ["outPath"],
    copy: ["outPath"],
    delete: ["path"],
    "git-clear": ["path"],
    untar: ["outPath"],
};

/** Steps that write nothing into the checkout (git-commit and git-push name the repo, not a file). */
const nonWriting = new Set([
    "git-clone",
    "git-commit",
    "git-push",
    "git-open-pr",
    "git-wait-for-pr",
    "git-merge-pr",
    "argocd-update",
    "argocd-wait",
    "http",
    "compose-output",
    "set-metadata",
    "send-message",
]);

/** Keys an unfamiliar step writes through: anything named path/outPath is assumed to be a write. */
export function findWriteKeys(uses: string): string[] {
    if (nonWriting.has(uses)) return [];
    return writeKeys[uses] ?? ["path", "outPath"];
}

export interface ResolvedValue {
    key: string;
    /** Raw value as declared. */
    raw: string;
    resolution: Resolution;
}

/** The string values of `keys` in a step's config, resolved in the step's environment; unknowns skipped. */
export function resolveStepValues(step: PromotionStep, keys: string[]): ResolvedValue[] {
    return keys.flatMap((key) => {
        const raw = step.config[key];
        if (step.unknownConfig || typeof raw !== "string" || isUnknown(raw)) return [];
        return [{ key, raw, resolution: resolveTemplate(raw, step.env) }];
    });
}

/** The checkout paths of a git-clone step, resolved. */
export function resolveCheckoutPaths(step: PromotionStep): ResolvedValue[] {
    return readList(step.config.checkout)
        .filter(isRecord)
        .flatMap((checkout, i) =>
            typeof checkout.path === "string" && !isUnknown(checkout.path)
                ? [
                      {
                          key: `checkout[${i}].path`,
                          raw: checkout.path,
                          resolution: resolveTemplate(checkout.path, step.env),
                      },
                  ]
                : [],
        );
}

/** Workspace-relative path with `./` and `a/../` folded; undefined when it leaves the workspace. */
export function normalizeWorkspacePath(path: string): string | undefined {
    if (path.startsWith("/")) return undefined;
    const parts: string[] = [];
    for (const part of path.split("/")) {
        if (part === "" || part === ".") continue;
        if (part === "..") {
            if (parts.length === 0) return undefined;
            parts.pop();
        } else parts.push(part);
    }
    return parts.join("/");
}

export function isHttpsUrl(url: string): boolean {
    return /^https:\/\/[^\s/@]+\/\S+$/.test(url);
}
