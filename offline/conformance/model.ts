/** The TypeScript models' verdicts on the oracle's cases: what `npm run validate` and the synth would say. */
import { checkSchema } from "../manifests/validateManifests";
import type { BuiltinSchemas } from "../schemas/builtins";
import type { ObjectRef, SchemaRegistry } from "../schemas/validate";
import type { OracleCase, Verdict } from "./cases";

/**
 * The schema verdict (pinned CRDs with their CEL rules, Kubernetes' built-in schema), the counterpart of
 * an API server's decoding, structural validation and CEL: the admission model of Kargo's and
 * CloudNativePG's webhooks is not part of it, as the API server here runs no webhook.
 */
export function judgeObjectsWithModel(
    cases: readonly OracleCase[],
    registry: SchemaRegistry,
    builtins: BuiltinSchemas,
): Verdict[] {
    return cases.map((c) => {
        const obj = c.object as ObjectRef & Record<string, unknown>;
        const issues = checkSchema(obj, registry, builtins);
        if (issues === undefined)
            return {
                id: c.id,
                allowed: false,
                message: `no pinned schema for ${obj.apiVersion} ${obj.kind}`,
            };
        if (issues.length === 0) return { id: c.id, allowed: true };
        return { id: c.id, allowed: false, message: issues.map((i) => `${i.path}: ${i.message}`).join("; ") };
    });
}
