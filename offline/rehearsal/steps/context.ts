/** What a step runner may use: the promotion's workspace, the scratch remotes and the live Applications. */
import type { Author, GitContext } from "../git";
import type { KubeObject } from "../types";

/** An Argo CD Application as the rehearsal tracks it across promotions (targetRevision moves). */
export interface LiveApplication {
    readonly namespace: string;
    readonly name: string;
    readonly annotations: Readonly<Record<string, string>>;
    /** spec.sources, or [spec.source]; mutated by argocd-update's updateTargetRevision. */
    readonly sources: Record<string, unknown>[];
}

/** One push a promotion made, for the report (`git show --stat -p` of each new commit). */
export interface PushRecord {
    readonly step: string;
    readonly repoURL: string;
    readonly branch: string;
    readonly commits: readonly string[];
    readonly show: string;
}

export interface RunnerContext {
    readonly git: GitContext;
    readonly workDir: string;
    readonly project: string;
    readonly stage: string;
    readonly promotion: string;
    readonly alias: string;
    /** The scratch remote standing in for a repoURL a step clones. */
    resolveRemote(repoURL: string): string | undefined;
    /** The author each git-clone configured, by absolute worktree path (Kargo sets it in the clone's HOME). */
    readonly authors: Map<string, Author>;
    /** The repoURL each worktree was cloned from, by absolute path. */
    readonly clonedFrom: Map<string, string>;
    readonly applications: Map<string, LiveApplication>;
    /** Whether Argo CD creates each Application (project, repository access); absent: not judged. */
    readonly argoAccess?: ReadonlyMap<string, { readonly ok: boolean; readonly detail: string }>;
    readonly pushes: PushRecord[];
}

export function applicationKey(namespace: string, name: string): string {
    return `${namespace}/${name}`;
}

/** The live-state copy of every declared Application (the rehearsal's stand-in for the cluster). */
export function collectApplications(objects: readonly KubeObject[]): Map<string, LiveApplication> {
    const apps = new Map<string, LiveApplication>();
    for (const o of objects) {
        if (o.apiVersion !== "argoproj.io/v1alpha1" || o.kind !== "Application") continue;
        const spec = (o.spec ?? {}) as {
            source?: Record<string, unknown>;
            sources?: Record<string, unknown>[];
        };
        const sources = spec.sources?.length ? spec.sources : spec.source ? [spec.source] : [];
        const namespace = o.metadata.namespace ?? "argocd";
        apps.set(applicationKey(namespace, o.metadata.name), {
            namespace,
            name: o.metadata.name,
            annotations: o.metadata.annotations ?? {},
            sources: sources.map((s) => ({ ...s })),
        });
    }
    return apps;
}
