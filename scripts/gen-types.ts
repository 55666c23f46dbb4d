/**
 * npm run gen:types
 * Regenerates components/core/generated/ from the pinned CRDs (CRD_DIR, or the verified cache/fallback of
 * offline/schemas/crds.ts): one file per custom resource kind the stack declares, and an index.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { resolveCrdDir } from "../offline/schemas/crds";
import { GENERATED_DIR, generateTypes } from "../offline/schemas/generateTypes";

async function main(): Promise<void> {
    const started = Date.now();
    const dir = resolve(__dirname, "..", GENERATED_DIR);
    const files = await generateTypes(await resolveCrdDir());
    mkdirSync(dir, { recursive: true });
    // A kind dropped from the list must not leave its file behind.
    for (const name of readdirSync(dir)) if (!files.has(name)) rmSync(join(dir, name));
    for (const [name, text] of files) writeFileSync(join(dir, name), text);
    console.log(`wrote ${files.size} files to ${GENERATED_DIR} in ${Date.now() - started} ms`);
}

main().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
});
