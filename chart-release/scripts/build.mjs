#!/usr/bin/env node
// Build dist/cli.cjs: the TypeScript source and its runtime libraries (yaml, semver, the conventional-commits
// parser, filter and preset) in one CommonJS file. Run by `npm run build` after `npm ci` in a checkout, and by
// `npm pack`/`npm publish` (`prepack`), so an installed tarball has no build step, no install script and no
// runtime dependencies: one file to read and compile is what start-up costs least (see README, "Install").
//
//   node scripts/build.mjs [--outdir DIR] [--external]
//
// --external leaves the libraries out of the bundle (they must then be installed beside it); it exists to
// measure that layout against the bundled one. Only this script needs esbuild, so it is a devDependency.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The nearest package.json above a bundled file: the package it belongs to. */
function owningPackage(file) {
    for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
        try {
            const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
            if (manifest.name) return { dir, manifest };
        } catch {
            // no package.json here (or a partial one, as in some dist folders): keep walking up
        }
    }
    return null;
}

/** The license texts of every third-party package in the bundle: bundling copies their code, so their notices go with it. */
function thirdPartyNotices(metafile) {
    const packages = new Map();
    for (const input of Object.keys(metafile.inputs)) {
        if (!input.includes("node_modules")) continue;
        const owner = owningPackage(path.resolve(input));
        if (owner && !packages.has(owner.manifest.name)) packages.set(owner.manifest.name, owner);
    }
    return [...packages.values()]
        .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name))
        .map(({ dir, manifest }) => {
            const license = readdirSync(dir).find((name) => /^licen[cs]e(\.|$)/i.test(name));
            const text = license
                ? readFileSync(path.join(dir, license), "utf8").trim()
                : `License: ${manifest.license}`;
            return `${manifest.name}@${manifest.version} (${manifest.license})\n\n${text}\n`;
        })
        .join(`\n${"-".repeat(78)}\n\n`);
}

/**
 * yaml publishes CommonJS for Node and the same code as ES modules for browsers. The ES modules bundle
 * flat (scope-hoisted, no wrapper per file), which loads measurably faster; the code is the same. Only the
 * import of "yaml" itself is redirected; its internal files follow from there.
 */
const yamlAsEsm = {
    name: "yaml-as-esm",
    setup(build) {
        build.onResolve({ filter: /^yaml$/ }, async (args) => {
            const manifest = await build.resolve("yaml/package.json", {
                kind: args.kind,
                resolveDir: args.resolveDir,
            });
            if (manifest.errors.length > 0) return undefined;
            return { path: path.join(path.dirname(manifest.path), "browser", "dist", "index.js") };
        });
    },
};

export async function build({ outdir = path.join(root, "dist"), external = false } = {}) {
    const { build: esbuild } = await import("esbuild");
    mkdirSync(outdir, { recursive: true });
    // Write beside the target and rename: a test run or a second build reading dist/ never sees half a file.
    const partial = path.join(outdir, `cli.${process.pid}.tmp.cjs`);
    const result = await esbuild({
        entryPoints: [path.join(root, "src", "cli.ts")],
        outfile: partial,
        bundle: true,
        packages: external ? "external" : "bundle",
        platform: "node",
        format: "cjs",
        target: "node22",
        // Smaller text is less to read and parse at every start; names are kept for readable stack traces.
        minifyWhitespace: true,
        minifySyntax: true,
        keepNames: true,
        legalComments: "none",
        metafile: true,
        plugins: external ? [] : [yamlAsEsm],
        logLevel: "warning",
    });
    renameSync(partial, path.join(outdir, "cli.cjs"));
    if (!external)
        writeFileSync(path.join(outdir, "THIRD_PARTY_NOTICES.txt"), thirdPartyNotices(result.metafile));
    return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const { values } = parseArgs({ options: { outdir: { type: "string" }, external: { type: "boolean" } } });
    await build({ outdir: values.outdir && path.resolve(values.outdir), external: values.external === true });
}
