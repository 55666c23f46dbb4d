/** Validated configs for builder tests: the real stack files, optionally with sections replaced. */
import { readRawConfig, validateStackConfig, type StackConfig } from "../../components/config";
import { loadStackFile, type StackName } from "../../offline/runtime/synth";

export function stackRaw(stack: StackName): Record<string, unknown> {
    return readRawConfig(loadStackFile(stack).config);
}

/** The stack's config with some sections shallow-merged over (one level deep per section). */
export function stackConfig(
    stack: StackName,
    changes: Record<string, Record<string, unknown> | unknown[]> = {},
): StackConfig {
    const raw = stackRaw(stack);
    for (const [section, value] of Object.entries(changes)) {
        raw[section] = Array.isArray(value) ? value : { ...(raw[section] as object), ...value };
    }
    return validateStackConfig(raw);
}
