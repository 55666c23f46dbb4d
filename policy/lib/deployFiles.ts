/**
 * The deploy directory of a GitOps repository: `<deployDirectory>/<stage>/<chart>.yaml`, each file an Argo CD
 * Application that Kargo promotes, and per stage one app-of-apps Application syncing the stage's folder.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { normalizeWorkspacePath } from "./gitSteps";
import { groups, type KubeObject, type StackView } from "./resources";
import { isRecord, readList, readPath, readString } from "./values";

export const deployDirectorySchema: PolicyConfigSchema["properties"][string] = {
    type: "string",
    description: "Directory of the deploy files inside the GitOps repository, e.g. deploy.",
    default: "deploy",
};

/** `<stage>` when `path` is `<deployDirectory>/<stage>[/...]`, else undefined. */
export function findDeployStage(path: string, deployDirectory: string): string | undefined {
    const dir = normalizeWorkspacePath(deployDirectory);
    const normalized = normalizeWorkspacePath(path);
    if (dir === undefined || normalized === undefined || !normalized.startsWith(`${dir}/`)) return undefined;
    return normalized.slice(dir.length + 1).split("/")[0] || undefined;
}

/** A git source (no chart) whose path is the deploy directory or below it: an app-of-apps source. */
export function isDeployFilesSource(source: unknown, deployDirectory: string): boolean {
    if (!isRecord(source) || source.chart !== undefined) return false;
    const path = readString(source.path);
    const dir = normalizeWorkspacePath(deployDirectory);
    const normalized = path === undefined ? undefined : normalizeWorkspacePath(path);
    return (
        normalized !== undefined &&
        dir !== undefined &&
        (normalized === dir || normalized.startsWith(`${dir}/`))
    );
}

/** Applications the stack declares (not committed as files) with a source syncing deploy files. */
export function findRootApplications(view: StackView, deployDirectory: string): KubeObject[] {
    return view
        .findKube(groups.argo, "Application")
        .filter((app) => app.file === undefined)
        .filter((app) =>
            [readPath(app.spec, "source"), ...readList(readPath(app.spec, "sources"))].some((s) =>
                isDeployFilesSource(s, deployDirectory),
            ),
        );
}
