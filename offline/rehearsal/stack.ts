/**
 * Rehearses a stack: runs the real program under the mock runtime (the same path as `npm run synth`), then
 * hands its declared Kubernetes objects and its resource records to the rehearsal.
 */
import { readRawConfig, validateStackConfig } from "../../components/config";
import type { RunResult } from "../runtime/mockRuntime";
import { selectCommittedFiles, selectKubernetesObjects, type StackConfigFile } from "../runtime/synth";
import { judgeArgoAccess } from "./argoAccess";
import { rehearse, type RehearsalOptions, type RehearsalReport } from "./rehearse";
import type { KubeObject, ResourceRecord } from "./types";

export type StackRehearsalOptions = Omit<
    RehearsalOptions,
    "objects" | "resources" | "deployDir" | "argoAccess"
>;

/** The synth's objects and records, as the rehearsal reads them (plain JSON). */
export function selectRehearsalInput(run: RunResult): {
    objects: KubeObject[];
    resources: ResourceRecord[];
    argoAccess: ReturnType<typeof judgeArgoAccess>;
} {
    const declared = selectKubernetesObjects(run.resources).map((o) => o.object as KubeObject);
    const files = selectCommittedFiles(run.resources).map((f) => ({
        repository: f.repository,
        path: f.path,
        object: f.object as KubeObject,
    }));
    // The AppProjects the stack reads (and checks, failing the preview otherwise): `<namespace>/<name>` ids.
    const projects = new Set(
        run.resources
            .filter((r) => r.read && r.type === "kubernetes:argoproj.io/v1alpha1:AppProject" && r.readId)
            .map((r) => String(r.readId).split("/").pop() as string),
    );
    return {
        argoAccess: judgeArgoAccess(declared, files, projects),
        // The deploy files' Applications are live objects too: the app-of-apps applies them from git.
        objects: [
            ...selectKubernetesObjects(run.resources).map((o) => o.object),
            ...selectCommittedFiles(run.resources).map((f) => f.object),
        ],
        resources: run.resources.filter((r) => !r.read),
    };
}

/** Rehearses a synthesized run of the stack whose config file is `file`. */
export function rehearseRun(
    run: RunResult,
    file: StackConfigFile,
    opts: StackRehearsalOptions,
): RehearsalReport {
    const deployDir = validateStackConfig(readRawConfig(file.config)).gitops.deployDir;
    return rehearse({ ...selectRehearsalInput(run), deployDir, ...opts });
}
