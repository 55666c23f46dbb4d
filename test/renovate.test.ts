/**
 * renovate.json: well-formed, and every regex manager really matches the files it targets (a moved or
 * reworded line would otherwise silently drop out of Renovate's view). The Kargo version must be found in
 * every place that states it, all equal to the config default, and in the one "Kargo" group.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { KARGO_CHART_VERSION, kargoSection } from "../components/config/kargo";
import { CRD_SOURCES } from "../offline/schemas/crdSources";

const ROOT = join(__dirname, "..");

interface CustomManager {
    readonly customType: string;
    readonly description: string;
    readonly managerFilePatterns: readonly string[];
    readonly matchStrings: readonly string[];
    readonly depNameTemplate?: string;
    readonly datasourceTemplate?: string;
}
interface PackageRule {
    readonly matchPackageNames?: readonly string[];
    readonly matchManagers?: readonly string[];
    readonly groupName?: string;
    readonly pinDigests?: boolean;
    readonly enabled?: boolean;
}
interface RenovateConfig {
    readonly $schema: string;
    readonly extends: readonly string[];
    readonly packageRules: readonly PackageRule[];
    readonly customManagers: readonly CustomManager[];
}

const config = JSON.parse(readFileSync(join(ROOT, "renovate.json"), "utf8")) as RenovateConfig;

/** The repository's files as Renovate sees them (paths relative to the root, build output excluded). */
function listFiles(dir = ROOT): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        if (["node_modules", ".git", "out", ".preview"].includes(e.name)) return [];
        const path = join(dir, e.name);
        return e.isDirectory() ? listFiles(path) : [relative(ROOT, path)];
    });
}
const FILES = listFiles();

/** `/regex/` → RegExp; Renovate also takes globs, this repository uses only the regex form. */
function toRegExp(pattern: string): RegExp {
    const m = /^\/(.+)\/$/.exec(pattern);
    assert.ok(m, `managerFilePatterns entry ${pattern} is not in the /regex/ form`);
    return new RegExp(m[1]);
}

interface Extraction {
    readonly file: string;
    readonly depName: string;
    readonly currentValue: string;
}

/** What one manager extracts, file by file, the way Renovate's regex manager does (each matchString, g). */
function extract(manager: CustomManager): Map<string, Extraction[]> {
    const targets = FILES.filter((f) => manager.managerFilePatterns.some((p) => toRegExp(p).test(f)));
    return new Map(
        targets.map((file) => {
            const text = readFileSync(join(ROOT, file), "utf8");
            const found = manager.matchStrings.flatMap((ms) =>
                [...text.matchAll(new RegExp(ms, "g"))].map((m) => ({
                    file,
                    depName: manager.depNameTemplate ?? m.groups?.depName ?? "",
                    currentValue: m.groups?.currentValue ?? "",
                })),
            );
            return [file, found];
        }),
    );
}

const all = () => config.customManagers.flatMap((m) => [...extract(m).values()].flat());
const groupOf = (depName: string) =>
    config.packageRules.find((r) => r.groupName && r.matchPackageNames?.includes(depName))?.groupName;

describe("renovate.json", () => {
    it("is a Renovate config with the recommended base and action digests pinned", () => {
        assert.equal(config.$schema, "https://docs.renovatebot.com/renovate-schema.json");
        assert.ok(config.extends.includes("config:recommended"));
        assert.ok(
            config.packageRules.some((r) => r.matchManagers?.includes("github-actions") && r.pinDigests),
        );
    });

    for (const manager of config.customManagers) {
        describe(`custom manager: ${manager.description}`, () => {
            it("is a regex manager with a datasource, every matchString capturing a currentValue", () => {
                assert.equal(manager.customType, "regex");
                assert.ok(manager.datasourceTemplate);
                for (const ms of manager.matchStrings) assert.match(ms, /\(\?<currentValue>/);
            });

            it("every file pattern targets at least one file, and every targeted file yields a dependency", () => {
                for (const pattern of manager.managerFilePatterns) {
                    assert.ok(
                        FILES.some((f) => toRegExp(pattern).test(f)),
                        `${pattern} matches no file`,
                    );
                }
                for (const [file, found] of extract(manager)) {
                    assert.ok(found.length > 0, `${file}: no matchString matches`);
                    for (const e of found) assert.ok(e.depName && e.currentValue, JSON.stringify(e));
                }
            });
        });
    }

    it("finds the Kargo version where it is stated (once for the stack, once for the pack), equal, in one group", () => {
        const kargo = all().filter((e) => e.depName === "akuity/kargo");
        const files = [...new Set(kargo.map((e) => e.file))].sort();
        assert.deepEqual(files, ["components/config/kargo.ts", "policy/policies/pinnedHelmCharts.ts"]);
        assert.equal(kargo.length, 2, "one statement per file");
        const defaultVersion = kargoSection.parse({}).chartVersion;
        assert.deepEqual([...new Set(kargo.map((e) => e.currentValue))], [defaultVersion]);
        assert.equal(groupOf("akuity/kargo"), "Kargo");
    });

    it("covers every tagged URL in crdSources.ts, and no Kargo URL states a tag of its own", () => {
        const text = readFileSync(join(ROOT, "offline/schemas/crdSources.ts"), "utf8");
        const urls = text.match(/https:\/\/raw\.githubusercontent\.com\/[^"]+/g) ?? [];
        const tagged = urls.filter((u) => /\/v\d+\.\d+\.\d+\//.test(u));
        const found = all().filter((e) => e.file === "offline/schemas/crdSources.ts");
        assert.equal(found.length, tagged.length);
        assert.ok(
            found.every((e) => e.depName !== "akuity/kargo"),
            "Kargo's URLs derive from KARGO_CHART_VERSION",
        );
        const kargo = CRD_SOURCES.filter((c) => c.url.includes("/akuity/kargo/"));
        assert.ok(kargo.length > 0);
        for (const c of kargo) assert.ok(c.url.includes(`/v${KARGO_CHART_VERSION}/`), c.url);
    });

    it("keeps the Pulumi CLI with the SDK: both are @pulumi/pulumi in one group", () => {
        const cli = all().filter((e) => e.file.startsWith(".github/workflows/"));
        assert.ok(cli.length >= 2);
        assert.ok(cli.every((e) => e.depName === "@pulumi/pulumi"));
        assert.equal(groupOf("@pulumi/pulumi"), "Pulumi SDK and CLI");
    });

    it("sees the container images the stacks name", () => {
        const images = new Set(all().map((e) => `${e.depName}:${e.currentValue}`));
        for (const image of [
            "ghcr.io/acme/visual-regression:1.4.0",
            "docker.io/alpine/k8s:1.32.3",
            "ghcr.io/cloudnative-pg/postgresql:17.5",
        ]) {
            assert.ok(images.has(image), image);
        }
        const postgres = config.packageRules.find((r) =>
            r.matchPackageNames?.includes("ghcr.io/cloudnative-pg/postgresql"),
        );
        assert.equal(
            postgres?.enabled,
            false,
            "prod's Postgres image follows the prod cluster, not upstream",
        );
    });
});
