/**
 * The pinned CRDs and Kargo schemas for tests, loaded once per run: from CRD_DIR (CI sets ../shared/crds),
 * otherwise from the verified download cache.
 */
import { resolveCrdDir } from "../../offline/schemas/crds";
import { SchemaRegistry } from "../../offline/schemas/validate";

let registry: Promise<SchemaRegistry> | undefined;

export function loadRegistry(): Promise<SchemaRegistry> {
    registry ??= resolveCrdDir().then((dir) => SchemaRegistry.load(dir));
    return registry;
}
