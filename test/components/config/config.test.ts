import { strict as assert } from "node:assert";
import { ConfigError, readRawConfig, validateStackConfig } from "../../../components/config";
import { loadStackFile } from "../../../offline/runtime/synth";

/** The prod stack's real config: a valid base each case changes in one place. */
function baseRaw(): Record<string, unknown> {
    return readRawConfig(loadStackFile("prod").config);
}

/** Merges each given section one level deep over the base, so a case states exactly what it breaks. */
function withSections(sections: Record<string, unknown>): Record<string, unknown> {
    const raw = baseRaw();
    for (const [key, value] of Object.entries(sections)) {
        const base = raw[key];
        const mergeable =
            value && typeof value === "object" && !Array.isArray(value) && base && typeof base === "object";
        raw[key] = mergeable ? { ...(base as object), ...(value as object) } : value;
    }
    return raw;
}

/** The base charts with one field set on charts[1] (monolith-public in both stacks). */
function chartsWith(changes: Record<string, unknown>): unknown[] {
    const charts = baseRaw().charts as Record<string, unknown>[];
    return charts.map((c, i) => (i === 1 ? { ...c, ...changes } : c));
}

function problemsOf(raw: Record<string, unknown>): string[] {
    try {
        validateStackConfig(withSections(raw));
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
        return [...err.problems];
    }
    assert.fail("expected the config to be rejected");
}

describe("stack config", () => {
    it("defaults to the ADR's leanings", () => {
        const raw = baseRaw();
        for (const section of ["pipeline", "charts", "gitops", "argocd", "kargo", "webhook"]) {
            delete raw[section];
        }
        const cfg = validateStackConfig(raw);
        assert.equal(cfg.pipeline.mode, "full");
        assert.equal(cfg.pipeline.warehouseLayout, "per-chart");
        assert.deepEqual(cfg.pipeline.devCharts, ["monolith-public"]);
        assert.equal(cfg.pipeline.prodAutoPromotion, false);
        assert.equal(cfg.pipeline.versionSource, "chart-yaml");
        assert.equal(cfg.kargo.chartVersion, "1.11.2");
        assert.equal(cfg.gitops.repoURL.startsWith("https://"), true);
    });

    it("reads Pulumi's flat config map: JSON objects, booleans and plain strings", () => {
        const raw = readRawConfig({
            "release-pipeline:pipeline": '{"mode":"prod-only"}',
            "release-pipeline:flag": "true",
            "release-pipeline:name": "plain text",
            "kubernetes:context": "ignored: another namespace",
        });
        assert.deepEqual(raw, { pipeline: { mode: "prod-only" }, flag: true, name: "plain text" });
    });

    // Each invalid input alone, with the exact line the user sees.
    const cases: { name: string; raw: Record<string, unknown>; problem: string }[] = [
        {
            name: "a Kargo chart version with a leading v",
            raw: { kargo: { chartVersion: "v1.11.2" } },
            problem: `release-pipeline:kargo.chartVersion: got "v1.11.2"; expected an exact semantic version such as 1.11.2 (no leading 'v', no range)`,
        },
        {
            name: "a Kargo chart version range",
            raw: { kargo: { chartVersion: "^1.11.0" } },
            problem: `release-pipeline:kargo.chartVersion: got "^1.11.0"; expected an exact semantic version such as 1.11.2 (no leading 'v', no range)`,
        },
        {
            name: "an unknown pipeline mode",
            raw: { pipeline: { mode: "dev-only" } },
            problem: `release-pipeline:pipeline.mode: got "dev-only"; Invalid option: expected one of "bump-only"|"prod-only"|"full"`,
        },
        {
            name: "dev charts that are neither all nor a list",
            raw: { pipeline: { devCharts: "everything" } },
            problem: `release-pipeline:pipeline.devCharts: got "everything"; expected all, or a list of declared chart names such as [monolith-public]`,
        },
        {
            name: "auto-promotion given as a string",
            raw: { pipeline: { prodAutoPromotion: "yes" } },
            problem: `release-pipeline:pipeline.prodAutoPromotion: got "yes"; Invalid input: expected boolean, received string`,
        },
        {
            name: "an SSH GitOps URL",
            raw: { gitops: { repoURL: "git@github.com:acme/platform.git" } },
            problem: `release-pipeline:gitops.repoURL: got "git@github.com:acme/platform.git"; expected an HTTPS git URL such as https://github.com/acme/gitops.git (SSH and scp-style URLs are not allowed)`,
        },
        {
            name: "a chart URL without oci://",
            raw: { charts: chartsWith({ repoURL: "ghcr.io/acme/charts/app" }) },
            problem: `release-pipeline:charts[1].repoURL: got "ghcr.io/acme/charts/app"; expected oci://<registry>/<path>/<chart> in lower case, with no trailing '/' or tag`,
        },
        {
            name: "a chart URL with a trailing slash (chartFrom would never match it)",
            raw: { charts: chartsWith({ repoURL: "oci://ghcr.io/acme/charts/app/" }) },
            problem: `release-pipeline:charts[1].repoURL: got "oci://ghcr.io/acme/charts/app/"; expected oci://<registry>/<path>/<chart> in lower case, with no trailing '/' or tag`,
        },
        {
            name: "an empty semver constraint",
            raw: { charts: chartsWith({ semverConstraint: " " }) },
            problem: `release-pipeline:charts[1].semverConstraint: got " "; expected a non-empty semver constraint, e.g. >=0.182.0 <1.0.0 or ^1.4.0`,
        },
        {
            name: "a discovery limit above Kargo's maximum",
            raw: { charts: chartsWith({ discoveryLimit: 500 }) },
            problem: `release-pipeline:charts[1].discoveryLimit: got 500; Too big: expected number to be <=100`,
        },
        {
            name: "a floating initial version",
            raw: { charts: chartsWith({ initialVersion: "1.x" }) },
            problem: `release-pipeline:charts[1].initialVersion: got "1.x"; expected an exact semantic version such as 1.11.2 (no leading 'v', no range)`,
        },
        {
            name: "a memory limit below its request",
            raw: {
                kargo: {
                    resources: {
                        controller: {
                            requests: { cpu: "100m", memory: "512Mi" },
                            limits: { cpu: "1", memory: "256Mi" },
                        },
                    },
                },
            },
            problem: `release-pipeline:kargo.resources.controller.limits.memory: got "256Mi"; limit is lower than the request (512Mi); a limit must be at least the request`,
        },
        {
            name: "a memory quantity Kubernetes would refuse",
            raw: {
                kargo: {
                    resources: {
                        api: {
                            requests: { cpu: "50m", memory: "128MB" },
                            limits: { cpu: "1", memory: "256Mi" },
                        },
                    },
                },
            },
            problem: `release-pipeline:kargo.resources.api.requests.memory: got "128MB"; expected a Kubernetes memory quantity such as 256Mi or 1Gi`,
        },
        {
            name: "a misspelt key",
            raw: { kargo: { chartVerison: "1.11.2" } },
            problem: `release-pipeline:kargo.chartVerison: got "1.11.2"; unknown key (did you mean kargo.chartVersion?); allowed here: chartVersion, namespace, releaseName, adminItemPath, apiHost, ingressClassName, ingressAnnotations, ingressTls, resources, prerequisites`,
        },
        {
            name: "a 1Password item path with a '/' in a title",
            raw: { kargo: { adminItemPath: "vaults/platform/items/kargo/admin" } },
            problem: `release-pipeline:kargo.adminItemPath: got "vaults/platform/items/kargo/admin"; expected vaults/<vault title or id>/items/<item title or id> (titles must not contain '/')`,
        },
        {
            name: "a soak time that is not a duration",
            raw: { pipeline: { prodSoakTime: "one hour" } },
            problem: `release-pipeline:pipeline.prodSoakTime: got "one hour"; expected a duration such as 30s, 10m or 1h30m`,
        },
        {
            name: "a visual regression image without a pinned tag",
            raw: { verification: { visualRegression: { image: "ghcr.io/acme/visual-regression" } } },
            problem: `release-pipeline:verification.visualRegression.image: got "ghcr.io/acme/visual-regression"; has no tag and no digest, so the runtime pulls :latest (a floating image); expected <registry>/<repository>:<tag> or @sha256:<digest>, e.g. ghcr.io/acme/visual-regression:1.4.0`,
        },
        {
            name: "a dev scope naming a chart the stack does not have",
            raw: {
                charts: [
                    {
                        name: "monolith",
                        repoURL: "oci://ghcr.io/acme/charts/monolith",
                        semverConstraint: "^1",
                        initialVersion: "1.0.0",
                        namespace: "monolith",
                    },
                ],
            },
            problem: `release-pipeline:pipeline.devCharts[0]: got "monolith-public"; names no declared chart; allowed: all, or names among the declared charts (monolith)`,
        },
        {
            name: "two charts with the same name",
            raw: {
                pipeline: { devCharts: "all" },
                verification: { chartHostnames: { monolith: "dev.acme.dev" } },
                charts: [
                    {
                        name: "monolith",
                        repoURL: "oci://ghcr.io/acme/charts/monolith",
                        semverConstraint: "^1",
                        initialVersion: "1.0.0",
                        namespace: "a",
                    },
                    {
                        name: "monolith",
                        repoURL: "oci://ghcr.io/acme/charts/other",
                        repoNameDiffers: true,
                        semverConstraint: "^1",
                        initialVersion: "1.0.0",
                        namespace: "b",
                    },
                ],
            },
            problem: `release-pipeline:charts[1].name: got "monolith"; duplicates charts[0].name; each chart needs its own`,
        },
    ];
    cases.push(
        {
            name: "a shared Warehouse with a partial dev scope (issue 18 #5)",
            raw: { pipeline: { warehouseLayout: "shared" } },
            problem:
                'release-pipeline:pipeline.warehouseLayout: got "shared"; one shared Warehouse puts every chart in each Freight, but dev deploys only monolith-public: Kargo marks the whole Freight verified, so prod would take monolith as verified though dev never ran it; allowed: per-chart (each chart its own Freight), or pipeline.devCharts: all',
        },
        {
            name: "a chart hostname for a chart the stack does not declare",
            raw: { verification: { chartHostnames: { shop: "dev.acme.dev" } } },
            problem:
                'release-pipeline:verification.chartHostnames.shop: got "dev.acme.dev"; names no declared chart; allowed: monolith, monolith-public',
        },
        {
            name: "a chart hostname outside devHostnames",
            raw: { verification: { chartHostnames: { "monolith-public": "www.acme.dev" } } },
            problem:
                'release-pipeline:verification.chartHostnames.monolith-public: got "www.acme.dev"; is not in verification.devHostnames; allowed: dev.acme.dev',
        },
        {
            name: "two dev charts on one hostname",
            raw: {
                pipeline: { devCharts: "all" },
                verification: {
                    chartHostnames: { monolith: "dev.acme.dev", "monolith-public": "dev.acme.dev" },
                },
            },
            problem:
                'release-pipeline:verification.chartHostnames.monolith-public: got "dev.acme.dev"; is also the hostname of monolith: one /version answers one chart\'s version; allowed: a dev hostname of its own',
        },
    );
    for (const c of cases) {
        it(`rejects ${c.name}`, () => {
            assert.deepEqual(problemsOf(c.raw), [c.problem]);
        });
    }

    it("with several dev charts, each needs its hostname stated (issue 18 #6)", () => {
        const missing = (chart: string) =>
            `release-pipeline:verification.chartHostnames: got {}; has no hostname for ${chart}: dev runs 2 charts (monolith, monolith-public), so which dev hostname serves which must be stated; allowed: ${chart}: one of dev.acme.dev, public.dev.acme.dev`;
        assert.deepEqual(
            problemsOf({
                pipeline: { devCharts: "all" },
                verification: { devHostnames: ["dev.acme.dev", "public.dev.acme.dev"] },
            }),
            [missing("monolith"), missing("monolith-public")],
        );
    });

    it("reports a missing required key as missing", () => {
        const charts = chartsWith({});
        delete (charts[1] as Record<string, unknown>).repoURL;
        assert.deepEqual(problemsOf({ charts }), [
            "release-pipeline:charts[1].repoURL: missing; required (string)",
        ]);
    });

    it("lists every problem at once, so one run shows everything to fix", () => {
        const problems = problemsOf({ pipeline: { mode: "x" }, kargo: { chartVersion: "latest" } });
        assert.equal(problems.length, 2);
        assert.match(
            new ConfigError(problems).message,
            /^invalid stack configuration:\n {2}- release-pipeline:pipeline\.mode/,
        );
    });
});
