/**
 * Both real stacks, synthesized once per test run through the recording mock runtime (the same path as
 * `npm run synth`), so tests assert exactly what the synth writes.
 */
import type { RunResult } from "../../offline/runtime/mockRuntime";
import { loadStackFile, runStack, STACKS, type StackName } from "../../offline/runtime/synth";

const runs = new Map<StackName, Promise<RunResult>>();

/** The pulumi runtime is process-global: runs are chained so two programs never interleave. */
let chain: Promise<unknown> = Promise.resolve();

export function synthesizeStack(stack: StackName): Promise<RunResult> {
    let run = runs.get(stack);
    if (!run) {
        run = chain.then(() => runStack(stack, loadStackFile(stack)));
        chain = run.catch(() => undefined);
        runs.set(stack, run);
    }
    return run;
}

/** Runs a program with a one-off config (never cached), serialized with the cached runs. */
export function synthesizeWith(
    stack: StackName,
    overrides: Record<string, unknown>,
    secretKeys: string[] = [],
): Promise<RunResult> {
    const run = chain.then(() => runStack(stack, loadStackFile(stack, undefined, overrides, secretKeys)));
    chain = run.catch(() => undefined);
    return run;
}

export { STACKS };
