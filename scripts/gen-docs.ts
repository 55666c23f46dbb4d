/**
 * npm run gen:docs
 * Writes docs/config-reference.md from the configuration schema (components/config).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CONFIG_REFERENCE_PATH, renderConfigReference } from "../offline/docs/configReference";

const target = resolve(__dirname, "..", CONFIG_REFERENCE_PATH);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderConfigReference());
console.log(`wrote ${CONFIG_REFERENCE_PATH}`);
