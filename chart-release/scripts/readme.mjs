#!/usr/bin/env node
// Refresh the README's generated blocks from the built CLI: `<!-- generated: chart-release ARGS -->` followed
// by a fenced block is replaced with the output of `chart-release ARGS`. test/readme.test.ts fails while a
// block is stale, so the README never documents a flag or an exit code the code does not have.
//
//   npm run build && node scripts/readme.mjs
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const readme = path.join(root, "README.md");
const launcher = path.join(root, "bin", "chart-release");

const BLOCK = /(<!-- generated: chart-release ([^>]*?) -->\n```text\n)[\s\S]*?(^```$)/gm;

const text = readFileSync(readme, "utf8");
const updated = text.replace(BLOCK, (_all, open, args, close) => {
    const output = execFileSync(process.execPath, [launcher, ...args.split(" ")], { encoding: "utf8" });
    return `${open}${output.trimEnd()}\n${close}`;
});
writeFileSync(readme, updated);
console.log(updated === text ? "README.md is up to date" : "README.md updated");
