/**
 * Which step kinds the rehearsal plays, and what it says about the rest. The names are kargo v1.11.2's
 * built-in step kinds (the stepKind* constants of pkg/promotion/runner/builtin/*.go); a kind outside that
 * list errors as in pkg/promotion/local_orchestrator.go ExecuteSteps ("step kind … is not registered").
 */
import { runArgocdUpdate } from "./argocdUpdate";
import type { RunnerContext } from "./context";
import { runGitClone, runGitCommit, runGitPush } from "./gitSteps";
import { runYamlUpdate } from "./yamlUpdate";
import type { StepOutcome } from "../types";

type Config = Record<string, unknown>;
export type StepRunner = (config: Config, ctx: RunnerContext) => StepOutcome;

// The configs are already checked against Kargo's step schemas by the synth; the casts only name them.
const PLAYED: ReadonlyMap<string, StepRunner> = new Map<string, StepRunner>([
    ["git-clone", (c, ctx) => runGitClone(c as unknown as Parameters<typeof runGitClone>[0], ctx)],
    [
        "yaml-update",
        (c, ctx) => runYamlUpdate(c as unknown as Parameters<typeof runYamlUpdate>[0], ctx.workDir),
    ],
    ["git-commit", (c, ctx) => runGitCommit(c as unknown as Parameters<typeof runGitCommit>[0], ctx)],
    ["git-push", (c, ctx) => runGitPush(c as unknown as Parameters<typeof runGitPush>[0], ctx)],
    ["argocd-update", (c, ctx) => runArgocdUpdate(c as Parameters<typeof runArgocdUpdate>[0], ctx)],
]);

/** Built-in kinds the rehearsal does not play, each with the reason it prints. */
const NOT_REHEARSED: ReadonlyMap<string, string> = new Map([
    ["argocd-wait", "waits on live Application health, which only a cluster has"],
    ["http", "calls a live endpoint; the rehearsal makes no network calls"],
    ["http-download", "downloads from the network; the rehearsal makes no network calls"],
    ["compose-output", "only shapes outputs; not played yet"],
    ["set-metadata", "writes Freight/Stage metadata in the cluster"],
    ["set-freight-alias", "writes Freight in the cluster"],
    ["fail", "not played yet"],
    ["copy", "not played yet"],
    ["delete", "not played yet"],
    ["file-write", "not played yet"],
    ["git-clear", "not played yet"],
    ["git-tag", "not played yet"],
    ["git-open-pr", "opens a pull request with a provider API"],
    ["git-wait-for-pr", "waits on a provider API"],
    ["git-merge-pr", "merges with a provider API"],
    ["github-push", "pushes through the GitHub API"],
    ["helm-update-chart", "resolves chart dependencies from registries"],
    ["helm-template", "renders charts pulled from registries"],
    ["json-parse", "not played yet"],
    ["json-update", "not played yet"],
    ["kustomize-build", "not played yet"],
    ["kustomize-set-image", "not played yet"],
    ["oci-download", "pulls from a registry"],
    ["oci-push", "pushes to a registry"],
    ["untar", "not played yet"],
    ["toml-parse", "not played yet"],
    ["toml-update", "not played yet"],
    ["yaml-merge", "not played yet"],
    ["yaml-parse", "not played yet"],
]);

export type Resolution =
    | { readonly kind: "played"; readonly run: StepRunner }
    | { readonly kind: "not-rehearsed"; readonly reason: string }
    | { readonly kind: "unknown" };

export function resolveStepKind(uses: string): Resolution {
    const run = PLAYED.get(uses);
    if (run) return { kind: "played", run };
    const reason = NOT_REHEARSED.get(uses);
    return reason ? { kind: "not-rehearsed", reason } : { kind: "unknown" };
}
