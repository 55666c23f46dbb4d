/**
 * Policy settings come from the pack config (`--policy-pack-config`, or the policy group in Pulumi
 * Cloud). The engine fills in schema defaults before calling Configure; reading them again here keeps
 * a policy correct when it is run without any config at all.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

export function readConfig<T extends object>(
    args: { getConfig<U extends object>(): U },
    schema: PolicyConfigSchema,
): T {
    const defaults: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema.properties)) {
        if (typeof property === "object" && property.default !== undefined) defaults[key] = property.default;
    }
    return { ...defaults, ...args.getConfig<Record<string, unknown>>() } as T;
}
