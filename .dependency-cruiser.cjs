/**
 * The layers of the project, checked by `npm run lint:deps` (part of `npm run lint`, hence `npm test`).
 * Imports run one way only:
 *
 *   scripts/ → offline/ → index.ts → components/<feature>/ → components/config/ → components/core/
 *
 * Feature folders (components/kargo, pipeline, devData, access, and any new one) never import each other:
 * what two of them share moves down into core/ (or config/, when it is a pure function of the config), or
 * is passed in as an argument by index.ts. policy/ is published on its own and imports nothing of the stack.
 * There is no exception list: a rule that does not hold is fixed in the code, not here.
 */
/** Every top-level part of the project, so "imports nothing else of the project" can be stated. */
const PROJECT = "^(index\\.ts$|components/|offline/|scripts/|policy/|chart-release/|test/)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
    forbidden: [
        {
            name: "no-circular",
            severity: "error",
            comment:
                "An import loop: two modules that need each other belong in one, or share a third below both.",
            from: {},
            to: { circular: true },
        },
        {
            name: "no-unresolvable",
            severity: "error",
            comment: "An import that resolves to nothing (a path left behind by a move).",
            from: {},
            to: { couldNotResolve: true },
        },
        {
            name: "core-imports-nothing-of-the-project",
            severity: "error",
            comment:
                "components/core is the bottom layer: it imports packages and itself, nothing else here.",
            from: { path: "^components/core/" },
            to: { path: PROJECT, pathNot: "^components/core/" },
        },
        {
            name: "config-imports-only-core",
            severity: "error",
            comment: "components/config (the schema and what derives purely from it) builds on core/ alone.",
            from: { path: "^components/config/" },
            to: { path: PROJECT, pathNot: "^components/(config|core)/" },
        },
        {
            name: "features-do-not-import-each-other",
            severity: "error",
            comment:
                "A feature folder imports only itself, config/ and core/: move what two share down, or have index.ts pass it in.",
            from: { path: "^components/(?!core/|config/)([^/]+)/" },
            to: { path: "^components/", pathNot: "^components/($1|config|core)/" },
        },
        {
            name: "components-do-not-import-up",
            severity: "error",
            comment:
                "components/ never imports the wiring (index.ts), the offline tooling, the scripts or the tests.",
            from: { path: "^components/" },
            to: { path: "^(index\\.ts$|offline/|scripts/|test/|policy/|chart-release/)" },
        },
        {
            name: "index-does-not-import-up",
            severity: "error",
            comment: "index.ts wires components; the offline tooling and the scripts sit above it.",
            from: { path: "^index\\.ts$" },
            to: { path: "^(offline/|scripts/|test/)" },
        },
        {
            name: "offline-does-not-import-scripts",
            severity: "error",
            comment: "offline/ is a library; scripts/ are its entry points (argument parsing only).",
            from: { path: "^offline/" },
            to: { path: "^(scripts/|test/)" },
        },
        {
            name: "policy-pack-stands-alone",
            severity: "error",
            comment: "policy/ is published on its own: it cannot import the stack, its tooling or its tests.",
            from: { path: "^policy/" },
            to: { path: PROJECT, pathNot: "^policy/" },
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        exclude: { path: "(^|/)node_modules/" },
        // Type-only imports count: a type that crosses a layer couples the layers just the same.
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
        // ESM-only packages (chart-release's conventional-commits-*) resolve through their `exports` "import".
        enhancedResolveOptions: {
            extensions: [".ts", ".js", ".cjs", ".json"],
            exportsFields: ["exports"],
            conditionNames: ["import", "require", "node", "default"],
        },
        cache: false,
    },
};
