/**
 * Shared fixtures for the dev data plane tests: real stack configs with one section changed, the pinned
 * schemas, and each stack synthesized once through the recording mock runtime.
 */
import { resolveCrdDir } from "../../../offline/schemas/crds";
import type { RunResult } from "../../../offline/runtime/mockRuntime";
import { loadStackFile, runStack, type StackName } from "../../../offline/runtime/synth";
import { SchemaRegistry } from "../../../offline/schemas/validate";
import { readRawConfig, validateStackConfig, type StackConfig } from "../../../components/config";

/** Raw config of a real stack file, as the program reads it. */
export function rawConfigOf(stack: StackName): Record<string, unknown> {
    return readRawConfig(loadStackFile(stack).config);
}

/** Deep-merges plain objects (arrays and scalars replace); `undefined` deletes the key. */
export function mergeDeep(base: unknown, patch: unknown): unknown {
    if (!isPlain(base) || !isPlain(patch)) return patch;
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) delete out[k];
        else out[k] = mergeDeep(base[k], v);
    }
    return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
    return !!v && typeof v === "object" && !Array.isArray(v);
}

/** A validated config: a real stack file with `patch` deep-merged into its raw config. */
export function configOf(stack: StackName, patch: Record<string, unknown> = {}): StackConfig {
    return validateStackConfig(mergeDeep(rawConfigOf(stack), patch) as Record<string, unknown>);
}

let registry: Promise<SchemaRegistry> | undefined;

/** The pinned CRDs: CRD_DIR (CI: ../shared/crds) or the verified cache. */
export function loadSchemas(): Promise<SchemaRegistry> {
    registry ??= (process.env.CRD_DIR ? Promise.resolve(process.env.CRD_DIR) : resolveCrdDir()).then((dir) =>
        SchemaRegistry.load(dir),
    );
    return registry;
}

const runs = new Map<StackName, Promise<RunResult>>();

/** Each stack file run once through the real program (index.ts) under the recording mock runtime. */
export function synthesize(stack: StackName): Promise<RunResult> {
    let run = runs.get(stack);
    if (!run) {
        run = runStack(stack, loadStackFile(stack));
        runs.set(stack, run);
    }
    return run;
}
