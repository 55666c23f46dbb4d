import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
    parseStackMode,
    readTargetRevision,
    setTargetRevision,
    validateDeployFileMode,
    type StackModeSource,
} from "../src/deploy";
import { ChartReleaseError, EXIT } from "../src/errors";
import { APPLICATION } from "./helpers/release-setup";

function stack(mode: string | null): string {
    return mode === null
        ? "config:\n  release-pipeline:pipeline:\n    project: monolith\n"
        : `config:\n  kubernetes:context: prod\n  release-pipeline:pipeline:\n    mode: ${mode}\n    project: monolith\n`;
}

function isError(code: number, message: RegExp) {
    return (error: unknown) =>
        error instanceof ChartReleaseError && error.exitCode === code && message.test(error.message);
}

describe("the stack's mode comes from its config (release-pipeline:pipeline → mode)", () => {
    const modes = [
        { name: "bump-only", text: stack("bump-only"), mode: "bump-only", explicit: true },
        { name: "prod-only", text: stack("prod-only"), mode: "prod-only", explicit: true },
        { name: "full", text: stack("full"), mode: "full", explicit: true },
        { name: "mode key missing: the stack default", text: stack(null), mode: "full", explicit: false },
        {
            name: "pipeline section missing",
            text: "config:\n  kubernetes:context: prod\n",
            mode: "full",
            explicit: false,
        },
        { name: "no config at all", text: "encryptionsalt: v1:abc\n", mode: "full", explicit: false },
    ];
    for (const row of modes) {
        it(row.name, () => {
            assert.deepEqual(parseStackMode(row.text, "Pulumi.x.yaml"), {
                mode: row.mode,
                explicit: row.explicit,
                versionSource: "chart-yaml",
                charts: [],
                file: "Pulumi.x.yaml",
            });
        });
    }

    it("the shipped prod stack is full", () => {
        const text = readFileSync(path.join(__dirname, "..", "..", "Pulumi.prod.yaml"), "utf8");
        assert.equal(parseStackMode(text, "Pulumi.prod.yaml").mode, "full");
    });

    const refused = [
        {
            name: "an unknown mode",
            text: stack("bumponly"),
            message:
                /`release-pipeline:pipeline → mode` is "bumponly"; expected one of bump-only, prod-only, full/,
        },
        {
            name: "a mode that is not a string",
            text: stack("[full]"),
            message: /mode` is \["full"\]; expected one of/,
        },
        {
            name: "the Kargo-era name",
            text: stack("kargo"),
            message: /is "kargo"; expected one of bump-only/,
        },
        {
            name: "keys without the config: wrapper",
            text: "release-pipeline:pipeline:\n  mode: bump-only\n",
            message: /`release-pipeline:pipeline` is at the top level; .* under `config:`/,
        },
        {
            name: "a pipeline that is not a mapping",
            text: "config:\n  release-pipeline:pipeline: bump-only\n",
            message: /`release-pipeline:pipeline` must be a mapping/,
        },
        { name: "config that is a list", text: "config:\n  - a\n", message: /`config:` must be a mapping/ },
        {
            name: "a deploy file instead of a stack file",
            text: "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source: {}\n",
            message:
                /not a Pulumi stack file: top-level keys apiVersion, kind, spec; a stack file has some of config,/,
        },
        { name: "not YAML", text: "config: [\n", message: /malformed YAML/ },
    ];
    for (const row of refused) {
        it(`refuses ${row.name} (exit 3)`, () => {
            assert.throws(
                () => parseStackMode(row.text, "Pulumi.x.yaml"),
                isError(EXIT.invalidInput, row.message),
            );
        });
    }
});

describe("who writes targetRevision: chart-release only in bump-only, and then always", () => {
    const source = (mode: StackModeSource["mode"], explicit = true): StackModeSource => ({
        mode,
        explicit,
        versionSource: "chart-yaml",
        charts: [],
        file: "Pulumi.prod.yaml",
    });
    const file = ["deploy/prod/monolith.yaml"];
    const refused = [
        {
            name: "--deploy-file without --stack-config",
            source: null,
            files: file,
            message: /--deploy-file needs --stack-config/,
        },
        {
            name: "--deploy-file in full",
            source: source("full"),
            files: file,
            message:
                /sets `release-pipeline:pipeline → mode` to "full", where Kargo writes targetRevision; .*allowed: bump-only, prod-only, full/,
        },
        {
            name: "--deploy-file in prod-only",
            source: source("prod-only"),
            files: file,
            message: /to "prod-only", where Kargo writes/,
        },
        {
            name: "--deploy-file with the mode missing (default full)",
            source: source("full", false),
            files: file,
            message: /has no `release-pipeline:pipeline → mode`, so the stack default "full" applies/,
        },
        {
            name: "bump-only without --deploy-file",
            source: source("bump-only"),
            files: [],
            message: /to "bump-only": without Kargo nobody else writes targetRevision, so pass --deploy-file/,
        },
    ];
    for (const row of refused) {
        it(`refuses ${row.name} (exit 2)`, () => {
            assert.throws(
                () => validateDeployFileMode(row.source, row.files),
                isError(EXIT.usage, row.message),
            );
        });
    }
    const accepted = [
        { name: "bump-only with a deploy file", source: source("bump-only"), files: file },
        {
            name: "bump-only with two deploy files",
            source: source("bump-only"),
            files: [...file, "deploy/prod/public.yaml"],
        },
        { name: "full without deploy files", source: source("full"), files: [] },
        { name: "prod-only without deploy files", source: source("prod-only"), files: [] },
        { name: "no stack config and no deploy file (chart only)", source: null, files: [] },
    ];
    for (const row of accepted)
        it(`accepts ${row.name}`, () => validateDeployFileMode(row.source, row.files));
});

describe("setTargetRevision changes the value's bytes only", () => {
    it("keeps comments, quotes and key order", () => {
        assert.equal(
            setTargetRevision(APPLICATION, "0.2.0", "a.yaml"),
            APPLICATION.replace('targetRevision: "0.1.0"', 'targetRevision: "0.2.0"'),
        );
    });
    const styles = [
        { before: "targetRevision: 0.1.0", after: "targetRevision: 1.0.0-rc.1" },
        { before: "targetRevision: '0.1.0'", after: "targetRevision: '1.0.0-rc.1'" },
        { before: "targetRevision: 0.1.0 # pinned", after: "targetRevision: 1.0.0-rc.1 # pinned" },
    ];
    for (const row of styles) {
        it(row.before, () => {
            const text = `spec:\n  source:\n    chart: c\n    ${row.before}\n`;
            const updated = setTargetRevision(text, "1.0.0-rc.1", "a.yaml");
            assert.equal(updated, text.replace(row.before, row.after));
            assert.equal(readTargetRevision(updated, "a.yaml"), "1.0.0-rc.1");
        });
    }
    const refused = [
        {
            name: "no targetRevision",
            text: "spec:\n  source:\n    chart: c\n",
            message: /has no spec.source.targetRevision to set/,
        },
        {
            name: "no source",
            text: "spec:\n  project: default\n",
            message: /has no spec.source.targetRevision/,
        },
        { name: "no spec", text: "kind: Application\n", message: /no `spec:` mapping/ },
        {
            name: "several sources",
            text: "spec:\n  sources:\n    - chart: a\n      targetRevision: 1.0.0\n    - chart: b\n      targetRevision: 2.0.0\n",
            message: /has 2 sources under spec.sources; .*cannot tell which one/,
        },
        {
            name: "source and sources",
            text: "spec:\n  source:\n    targetRevision: 1.0.0\n  sources: []\n",
            message: /sources under spec.sources/,
        },
        {
            name: "two documents",
            text: "spec:\n  source:\n    targetRevision: 1.0.0\n---\nspec: {}\n",
            message: /several YAML documents/,
        },
        {
            name: "a targetRevision that is a mapping",
            text: "spec:\n  source:\n    targetRevision:\n      a: 1\n",
            message: /targetRevision is not a scalar/,
        },
    ];
    const otherChart = [
        { deployed: "monolith-public", released: "monolith" },
        { deployed: "api", released: "web" },
        { deployed: "monolith", released: "monolith-public" },
    ];
    for (const c of otherChart) {
        it(`refuses a deploy file of chart ${c.deployed} in a release of ${c.released} (exit 3)`, () => {
            const text = `spec:\n  source:\n    repoURL: ghcr.io/acme/charts\n    chart: ${c.deployed}\n    targetRevision: 1.0.0\n`;
            assert.throws(
                () => setTargetRevision(text, "0.2.0", "deploy/prod/x.yaml", c.released),
                isError(
                    EXIT.invalidInput,
                    new RegExp(
                        `deploys chart ${c.deployed} \\(spec.source.chart\\), but this release is of chart ${c.released}`,
                    ),
                ),
            );
            const own = text.replace(`chart: ${c.deployed}`, `chart: ${c.released}`);
            assert.match(
                setTargetRevision(own, "0.2.0", "deploy/prod/x.yaml", c.released),
                /targetRevision: 0\.2\.0/,
            );
        });
    }

    for (const row of refused) {
        it(`refuses ${row.name} (exit 3)`, () => {
            assert.throws(
                () => setTargetRevision(row.text, "0.2.0", "deploy/x.yaml"),
                isError(EXIT.invalidInput, row.message),
            );
        });
    }
});
