/**
 * The pinned CRDs and Kargo schemas for tests, loaded once per run: from CRD_DIR (CI sets ../shared/crds),
 * otherwise from the verified download cache.
 */
import { BuiltinSchemas } from "../../offline/schemas/builtins";
import { resolveCrdDir } from "../../offline/schemas/crds";
import { SchemaRegistry } from "../../offline/schemas/validate";

let registry: Promise<SchemaRegistry> | undefined;

export function loadRegistry(): Promise<SchemaRegistry> {
    registry ??= resolveCrdDir().then((dir) => SchemaRegistry.load(dir));
    return registry;
}

let builtins: Promise<BuiltinSchemas> | undefined;

/** The pinned Kubernetes schemas of built-in kinds (kubernetes-models), loaded once per run. */
export function loadBuiltins(): Promise<BuiltinSchemas> {
    builtins ??= BuiltinSchemas.load();
    return builtins;
}
