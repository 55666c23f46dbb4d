/**
 * The GitHub workflow files the suite reads: this repository's (.github/workflows/) and the example caller the
 * application repository copies (examples/application-repository/.github/workflows/), parsed once, with the
 * few fields the workflow tests read.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";

export const ROOT = join(__dirname, "..", "..");
export const WORKFLOW_DIR = join(ROOT, ".github", "workflows");
export const EXAMPLE_DIR = join(ROOT, "examples", "application-repository", ".github", "workflows");
/** The reviewed list of each pinned action's inputs (see its header). */
export const PINNED_ACTIONS = join(ROOT, ".github", "pinned-actions.yml");

export interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly shell?: string;
    readonly if?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, unknown>;
}

export interface Job {
    readonly name?: string;
    readonly if?: string;
    readonly needs?: string | readonly string[];
    readonly uses?: string;
    readonly with?: Record<string, unknown>;
    readonly secrets?: Record<string, unknown> | "inherit";
    readonly "runs-on"?: string;
    readonly "timeout-minutes"?: number;
    readonly environment?: string | { readonly name: string };
    readonly permissions?: Record<string, string>;
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": unknown };
    readonly strategy?: { readonly matrix?: Record<string, unknown>; readonly "max-parallel"?: number };
    readonly env?: Record<string, unknown>;
    readonly defaults?: { readonly run?: { readonly shell?: string } };
    readonly steps?: readonly Step[];
}

export interface WorkflowCallParam {
    readonly description?: string;
    readonly type?: string;
    readonly required?: boolean;
    readonly default?: unknown;
}

export interface Workflow {
    readonly name?: string;
    readonly on: Record<string, unknown>;
    readonly permissions?: Record<string, string>;
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": unknown };
    readonly defaults?: { readonly run?: { readonly shell?: string } };
    readonly env?: Record<string, unknown>;
    readonly jobs: Record<string, Job>;
}

/** One workflow file: its path relative to the repository root, its text and its parse. */
export interface WorkflowFile {
    readonly path: string;
    readonly text: string;
    readonly workflow: Workflow;
}

function readDir(dir: string): WorkflowFile[] {
    return readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => {
            const text = readFileSync(join(dir, f), "utf8");
            return { path: relative(ROOT, join(dir, f)), text, workflow: parse(text) as Workflow };
        });
}

/** This repository's workflows. */
export const WORKFLOWS: readonly WorkflowFile[] = readDir(WORKFLOW_DIR);
/** The example callers for the application repository. */
export const EXAMPLES: readonly WorkflowFile[] = readDir(EXAMPLE_DIR);
/** Both: every file a check of workflow syntax, pins, inputs and shell applies to. */
export const ALL_WORKFLOWS: readonly WorkflowFile[] = [...WORKFLOWS, ...EXAMPLES];

/** The workflow at `.github/workflows/<name>`; fails loudly when it is missing. */
export function workflowNamed(name: string): Workflow {
    const file = WORKFLOWS.find((f) => f.path === join(".github", "workflows", name));
    if (!file) throw new Error(`no workflow .github/workflows/${name}`);
    return file.workflow;
}

/** The example caller at `examples/application-repository/.github/workflows/<name>`. */
export function exampleNamed(name: string): Workflow {
    const file = EXAMPLES.find((f) => f.path.endsWith(join(".github", "workflows", name)));
    if (!file) throw new Error(`no example workflow ${name}`);
    return file.workflow;
}

/** The `workflow_call` trigger's inputs and secrets ({} when the workflow is not reusable). */
export function workflowCall(wf: Workflow): {
    inputs: Record<string, WorkflowCallParam>;
    secrets: Record<string, WorkflowCallParam>;
} {
    const call = (wf.on.workflow_call ?? {}) as {
        inputs?: Record<string, WorkflowCallParam>;
        secrets?: Record<string, WorkflowCallParam>;
    };
    return { inputs: call.inputs ?? {}, secrets: call.secrets ?? {} };
}

/** Every step of every job, with where it is. */
export function allSteps(file: WorkflowFile): { job: string; index: number; step: Step }[] {
    return Object.entries(file.workflow.jobs).flatMap(([job, j]) =>
        (j.steps ?? []).map((step, index) => ({ job, index, step })),
    );
}

/** A step by its name in a job; fails loudly when it is missing. */
export function stepNamed(job: Job, name: string): Step {
    const step = (job.steps ?? []).find((s) => s.name === name);
    if (!step) throw new Error(`no step named ${JSON.stringify(name)}`);
    return step;
}
