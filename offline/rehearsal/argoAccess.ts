/**
 * Whether Argo CD will actually create each Application the promotions target, beyond "the stack declares
 * it": its AppProject must exist and permit it, and a deploy file's Application exists only once an
 * app-of-apps has read the GitOps repository (which may be private) and synced it. The stack establishes
 * both: it reads and checks `argocd.project` at preview (components/platform/appProject.ts), and `pulumi up`
 * awaits each app-of-apps until Synced (components/pipeline/applications.ts ROOT_SYNCED). An Application
 * for which either is missing is reported, instead of "exists".
 */
import { posix } from "node:path";
import { WAIT_FOR_ANNOTATION } from "../../components/core/objects";
import { ROOT_SYNCED } from "../../components/pipeline/applications";
import { applicationKey } from "./steps/context";
import type { KubeObject } from "./types";

export interface AccessVerdict {
    readonly ok: boolean;
    readonly detail: string;
}

/** A deploy file: the repository (name, the GitOps owner's) it lives in, its path, and its Application. */
export interface CommittedApplication {
    readonly repository: string;
    readonly path: string;
    readonly object: KubeObject;
}

const APP = (o: KubeObject) => o.apiVersion === "argoproj.io/v1alpha1" && o.kind === "Application";
const spec = (o: KubeObject) =>
    (o.spec ?? {}) as { project?: string; source?: { repoURL?: string; path?: string } };
/** `https://github.com/acme/platform.git` → `platform`: the repository a RepositoryFile names. */
const repositoryOf = (repoURL: string) =>
    repoURL
        .toLowerCase()
        .replace(/\.git$/, "")
        .replace(/\/+$/, "")
        .split("/")
        .pop() ?? "";

/**
 * One verdict per Application, keyed `namespace/name`. `projects`: the AppProjects the stack reads and
 * checks before declaring anything that names them.
 */
export function judgeArgoAccess(
    declared: readonly KubeObject[],
    files: readonly CommittedApplication[],
    projects: ReadonlySet<string>,
): Map<string, AccessVerdict> {
    const roots = declared.filter(
        (o) => APP(o) && o.metadata.annotations?.[WAIT_FOR_ANNOTATION] === ROOT_SYNCED,
    );
    const verdicts = new Map<string, AccessVerdict>();
    const judge = (o: KubeObject, repository: AccessVerdict): void => {
        const project = spec(o).project ?? "default";
        const key = applicationKey(o.metadata.namespace ?? "argocd", o.metadata.name);
        if (!projects.has(project)) {
            verdicts.set(key, {
                ok: false,
                detail: `AppProject ${project} is neither read nor checked by the stack; Argo CD refuses an Application whose project does not permit it`,
            });
            return;
        }
        verdicts.set(
            key,
            repository.ok
                ? { ok: true, detail: `AppProject ${project} checked; ${repository.detail}` }
                : repository,
        );
    };
    for (const o of declared.filter(APP)) judge(o, { ok: true, detail: "declared by the stack itself" });
    for (const f of files.filter((f) => APP(f.object))) {
        const root = roots.find(
            (r) =>
                repositoryOf(spec(r).source?.repoURL ?? "") === f.repository.toLowerCase() &&
                posix.normalize(spec(r).source?.path ?? "") === posix.dirname(f.path),
        );
        judge(
            f.object,
            root
                ? {
                      ok: true,
                      detail: `created by app-of-apps ${root.metadata.name}, which pulumi up awaits until Synced (repository read)`,
                  }
                : {
                      ok: false,
                      detail: `no app-of-apps awaited until Synced reads ${f.path} from repository ${f.repository}: repository access and the child's creation are not established`,
                  },
        );
    }
    return verdicts;
}
