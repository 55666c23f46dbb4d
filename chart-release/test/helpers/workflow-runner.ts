import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A step of a GitHub Actions job, as far as the runner below reads it. */
export interface WorkflowStep {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    env?: Record<string, unknown>;
    with?: Record<string, unknown>;
}

/** The values `${{ }}` expressions of one job read. */
export interface ExpressionContext {
    inputs: Record<string, unknown>;
    matrix: Record<string, unknown>;
    github: Record<string, string>;
    secrets: Record<string, string>;
    steps: Record<string, { outputs: Record<string, string> }>;
}

/** A context path (`inputs.x`, `steps.a.outputs.b`) looked up, or undefined. */
function lookup(context: ExpressionContext, dotted: string): unknown {
    let value: unknown = context;
    for (const key of dotted.split(".")) {
        if (value === null || typeof value !== "object") return undefined;
        value = (value as Record<string, unknown>)[key];
    }
    return value;
}

/**
 * `${{ }}` in a step's `env:` value, for the forms the chart workflows use there: a context path, `toJSON(path)`
 * and `a || b` between paths. Anything else throws: the harness never guesses what GitHub would evaluate.
 */
export function evaluate(text: string, context: ExpressionContext): string {
    return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
        const json = /^toJSON\(([\w.-]+)\)$/.exec(expression);
        if (json) return JSON.stringify(lookup(context, json[1]) ?? null);
        const alternatives = expression.split(/\s*\|\|\s*/);
        if (alternatives.every((a) => /^[\w.-]+$/.test(a))) {
            for (const a of alternatives) {
                const value = lookup(context, a);
                if (value !== undefined && value !== "" && value !== null) return String(value);
            }
            return "";
        }
        throw new Error("the workflow test harness does not evaluate ${{ " + expression + " }}");
    });
}

/** `name=value` lines of a GITHUB_OUTPUT file (the single-line form the workflows write). */
function readOutputs(file: string): Record<string, string> {
    if (!existsSync(file)) return {};
    return Object.fromEntries(
        readFileSync(file, "utf8")
            .split("\n")
            .filter((line) => line.includes("="))
            .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
}

export interface StepRun {
    step: string;
    status: number | null;
    stdout: string;
    stderr: string;
}

/**
 * Run a job's steps as the runner does: each `run:` with `bash --noprofile --norc -eo pipefail` (the workflows'
 * `defaults.run.shell: bash`) in the workspace, with the job's and the step's `env:` evaluated, GITHUB_PATH
 * entries put first on PATH for the following steps, GITHUB_OUTPUT read into `steps.<id>.outputs`. A `uses:`
 * step, and a `run:` step the test cannot run offline, is done by `emulate` (keyed by the step's name, or its
 * action when it has none), which must know every `uses:` step.
 * Stops at the first failing step, as a job does.
 */
export function runJob(opts: {
    steps: readonly WorkflowStep[];
    jobEnv: Record<string, unknown>;
    context: ExpressionContext;
    workspace: string;
    scratch: string;
    env: NodeJS.ProcessEnv;
    emulate: Record<string, (outputs: Record<string, string>) => void>;
}): StepRun[] {
    const { context, workspace, scratch } = opts;
    const githubPath = path.join(scratch, "github-path");
    const summary = path.join(scratch, "step-summary.md");
    writeFileSync(githubPath, "");
    const runs: StepRun[] = [];
    for (const [index, step] of opts.steps.entries()) {
        const label = step.name ?? step.uses ?? `step ${index}`;
        const emulate = opts.emulate[step.name ?? step.uses?.split("@")[0] ?? ""];
        if (step.uses || emulate) {
            if (!emulate) throw new Error(`the harness does not emulate ${label}`);
            const outputs: Record<string, string> = {};
            emulate(outputs);
            if (step.id) context.steps[step.id] = { outputs };
            continue;
        }
        const output = path.join(scratch, `output-${index}`);
        const script = path.join(scratch, `step-${index}.sh`);
        writeFileSync(script, String(step.run));
        const extraPath = readFileSync(githubPath, "utf8").split("\n").filter(Boolean).reverse();
        const env: NodeJS.ProcessEnv = { ...opts.env };
        for (const [key, value] of Object.entries({ ...opts.jobEnv, ...step.env })) {
            env[key] = evaluate(String(value), context);
        }
        Object.assign(env, {
            GITHUB_WORKSPACE: workspace,
            GITHUB_PATH: githubPath,
            GITHUB_OUTPUT: output,
            GITHUB_STEP_SUMMARY: summary,
            PATH: [...extraPath, opts.env.PATH].join(":"),
        });
        const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
            cwd: workspace,
            encoding: "utf8",
            env,
        });
        runs.push({ step: label, status: result.status, stdout: result.stdout, stderr: result.stderr });
        if (step.id) context.steps[step.id] = { outputs: readOutputs(output) };
        if (result.status !== 0) break;
    }
    appendFileSync(summary, "");
    return runs;
}
