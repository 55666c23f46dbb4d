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

/**
 * The prod stack file's verification with both charts in dev: each dev chart needs a dev hostname of its
 * own (verification.chartHostnames), which the shipped prod stack, running one chart in dev, leaves implicit.
 */
export const BOTH_CHARTS_VERIFIED = {
    devHostnames: ["dev.acme.dev", "public.dev.acme.dev"],
    chartHostnames: { monolith: "dev.acme.dev", "monolith-public": "public.dev.acme.dev" },
};
