/**
 * Derived names and namespaces, checked at config time at the key that produced them; and the derivations
 * compared with the builders' own, so that config and components can never disagree on a name.
 */
import { strict as assert } from "node:assert";
import { ConfigError, validateStackConfig } from "../../../components/config";
import { describeNameProblem } from "../../../components/config/checks/kubernetesNames";
import { listDerivedNames, selectDevChartIndexes } from "../../../components/config/checks/names";
import { listWorkloadNamespaces } from "../../../components/config/checks/namespaces";
import { KARGO_CHART_NAMESPACES } from "../../../components/config/kargo";
import { applicationName } from "../../../components/core/names";
import { dataApplicationName, refresherName } from "../../../components/devData/names";
import { ownerLabelValue } from "../../../components/devData/names";
import { promotionTaskName } from "../../../components/pipeline/names";
import { selectDevCharts } from "../../../components/pipeline/stages";
import { warehouseName } from "../../../components/pipeline/warehouse";
import { mergeDeep, rawConfigOf } from "../devData/helpers";
import { isCloneProvisioned } from "../../../components/config/devCharts";
import { BOTH_CHARTS_VERIFIED } from "../../support/config";

function problemsOf(patch: Record<string, unknown>, stack: "dev" | "prod" = "prod"): string[] {
    try {
        validateStackConfig(mergeDeep(rawConfigOf(stack), patch) as Record<string, unknown>);
    } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        return [...err.problems];
    }
    return [];
}

const chart = (name: string, namespace: string, extra: Record<string, unknown> = {}) => ({
    name,
    repoURL: `oci://ghcr.io/acme/charts/${name}`,
    semverConstraint: "^1.0.0",
    initialVersion: "1.0.0",
    namespace,
    ...extra,
});

describe("config names: Kubernetes grammars", () => {
    const table: [string, Parameters<typeof describeNameProblem>[1], string | undefined][] = [
        ["monolith", "label", undefined],
        ["a".repeat(63), "label", undefined],
        [
            "a".repeat(64),
            "label",
            "64 characters; a DNS-1123 label (lower-case letters, digits, '-') has at most 63",
        ],
        ["Monolith", "label", "not a DNS-1123 label (lower-case letters, digits, '-')"],
        ["-a", "label", "not a DNS-1123 label (lower-case letters, digits, '-')"],
        ["a.b", "label", "not a DNS-1123 label (lower-case letters, digits, '-')"],
        ["a.b", "subdomain", undefined],
        ["a..b", "subdomain", "not a DNS-1123 subdomain (DNS-1123 labels joined by '.')"],
        [`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`, "subdomain", undefined],
        [
            `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`,
            "subdomain",
            "254 characters; a DNS-1123 subdomain (DNS-1123 labels joined by '.') has at most 253",
        ],
        [
            "1db-rw",
            "dns1035",
            "not a DNS-1035 label (starting with a letter; lower-case letters, digits, '-')",
        ],
        ["db-rw", "dns1035", undefined],
        ["monolith-dev.monolith-db-dev", "labelValue", undefined],
        [
            "a".repeat(64),
            "labelValue",
            "64 characters; a label value (letters, digits, '-', '_', '.') has at most 63",
        ],
        ["a".repeat(52), "cronJob", undefined],
        ["a".repeat(53), "cronJob", "53 characters; a CronJob name (a DNS-1123 subdomain) has at most 52"],
    ];
    for (const [name, rule, problem] of table) {
        it(`${problem ? "refuses" : "accepts"} a ${name.length}-character ${rule} ${name.length > 30 ? "" : JSON.stringify(name)}`, () =>
            assert.equal(describeNameProblem(name, rule), problem));
    }
});

describe("config names: derived names at the key that produced them", () => {
    const ns60 = "n".repeat(60);
    const cases: { name: string; patch: Record<string, unknown>; problems: string[] }[] = [
        {
            name: "a 60-character namespace whose dev namespace is 64",
            patch: { charts: [chart("monolith", "monolith"), chart("monolith-public", ns60)] },
            problems: [
                `release-pipeline:charts[1].namespace: got "${ns60}"; derives the dev namespace "${ns60}-dev", which is 64 characters; a DNS-1123 label (lower-case letters, digits, '-') has at most 63; allowed: a shorter name`,
            ],
        },
        {
            name: "a long namespace is fine for a chart that never runs in dev",
            patch: {
                charts: [chart("monolith", ns60), chart("monolith-public", "monolith-public")],
                devData: { prod: { namespace: ns60 } },
            },
            problems: [],
        },
        {
            name: "a clone whose Service name would start with a digit",
            patch: {
                pipeline: { devCharts: "all" },
                verification: BOTH_CHARTS_VERIFIED,
                devData: { clone: { name: "1db" } },
            },
            problems: [
                `release-pipeline:devData.clone.name: got "1db"; derives the clone's read-write Service "1db-rw", which is not a DNS-1035 label (starting with a letter; lower-case letters, digits, '-'); allowed: a shorter name`,
            ],
        },
        {
            name: "a 39-character prod cluster name: the refresher's Backup names are over 63",
            patch: {
                pipeline: { devCharts: "all" },
                verification: BOTH_CHARTS_VERIFIED,
                devData: { prod: { clusterName: "p".repeat(39) } },
            },
            problems: [
                `release-pipeline:devData.prod.clusterName: got "${"p".repeat(39)}"; derives the refresher's snapshot Backup names (CloudNativePG's cnpg.io/backupName label on their VolumeSnapshots) "${"p".repeat(39)}-dev-clone-20261231235959", which is 64 characters; a label value (letters, digits, '-', '_', '.') has at most 63; allowed: a shorter name`,
            ],
        },
        {
            name: "a 38-character prod cluster name: its Backup names just fit",
            patch: {
                pipeline: { devCharts: "all" },
                verification: BOTH_CHARTS_VERIFIED,
                devData: { prod: { clusterName: "p".repeat(38) } },
            },
            problems: [],
        },
        {
            name: "a 46-character clone name: the hook Job's name is over 63",
            patch: {
                pipeline: { devCharts: "all" },
                verification: BOTH_CHARTS_VERIFIED,
                devData: { clone: { name: "c".repeat(46) } },
            },
            problems: [
                `release-pipeline:devData.clone.name: got "${"c".repeat(46)}"; derives the refresh hook Job (its pods' job-name label) "${"c".repeat(46)}-refresh-promotion", which is 64 characters; a label value (letters, digits, '-', '_', '.') has at most 63; allowed: a shorter name`,
            ],
        },
        {
            name: "a 51-character clone name: owner label and Jobs over 63",
            patch: {
                pipeline: { devCharts: "all" },
                verification: BOTH_CHARTS_VERIFIED,
                devData: { clone: { name: "c".repeat(51) } },
            },
            problems: [
                `release-pipeline:devData.clone.name: got "${"c".repeat(51)}"; derives the seed Job (its pods' job-name label) "${"c".repeat(51)}-refresh-seed", which is 64 characters; a label value (letters, digits, '-', '_', '.') has at most 63; allowed: a shorter name`,
                `release-pipeline:devData.clone.name: got "${"c".repeat(51)}"; derives the refresh hook Job (its pods' job-name label) "${"c".repeat(51)}-refresh-promotion", which is 69 characters; a label value (letters, digits, '-', '_', '.') has at most 63; allowed: a shorter name`,
                `release-pipeline:devData.clone.name: got "${"c".repeat(51)}"; derives the refresher's owner label value (<dev namespace>.<clone>) "monolith-dev.${"c".repeat(51)}", which is 64 characters; a label value (letters, digits, '-', '_', '.') has at most 63; allowed: a shorter name`,
            ],
        },
        {
            name: "a 45-character clone name with cadence schedule: the CronJob name is over 52",
            patch: {
                pipeline: { devCharts: "all" },
                verification: BOTH_CHARTS_VERIFIED,
                devData: { clone: { name: "c".repeat(45) }, refresh: { cadence: "schedule" } },
            },
            problems: [
                `release-pipeline:devData.clone.name: got "${"c".repeat(45)}"; derives the refresh CronJob "${"c".repeat(45)}-refresh", which is 53 characters; a CronJob name (a DNS-1123 subdomain) has at most 52; allowed: a shorter name`,
            ],
        },
        {
            name: "the same clone name is fine while no clone is provisioned (dev runs monolith-public only)",
            patch: { devData: { clone: { name: "c".repeat(51) } } },
            problems: [],
        },
    ];
    for (const c of cases) {
        it(`${c.problems.length > 0 ? "refuses" : "accepts"} ${c.name}`, () =>
            assert.deepEqual(problemsOf(c.patch), c.problems));
    }
});

describe("config names: namespaces that must not collide", () => {
    const project = (what: string) =>
        `is also ${what}; the Kargo project's namespace (named like the project) must hold nothing else: the stack creates and deletes it, and Kargo gives project admins every Secret in it; allowed: a namespace of its own, e.g.`;
    const cases: {
        name: string;
        patch: Record<string, unknown>;
        problems: string[];
        stack?: "dev" | "prod";
    }[] = [
        {
            name: "the project namespace is prod's workload namespace (issue 9 #4: the old prod stack)",
            patch: { pipeline: { project: "monolith" } },
            problems: [
                `release-pipeline:pipeline.project: got "monolith"; ${project("the prod namespace of charts[0] (monolith) and prod's database namespace (devData.prod.namespace)")} monolith-release`,
            ],
        },
        {
            name: "the project namespace is a dev workload namespace",
            patch: { pipeline: { project: "monolith-public-dev" } },
            problems: [
                `release-pipeline:pipeline.project: got "monolith-public-dev"; ${project("the dev namespace of charts[1] (monolith-public)")} monolith-public-dev-release`,
            ],
        },
        {
            name: "the project namespace is Kargo's own",
            patch: { pipeline: { project: "kargo" } },
            problems: [
                `release-pipeline:pipeline.project: got "kargo"; ${project("Kargo's own namespace")} kargo-release`,
            ],
        },
        ...KARGO_CHART_NAMESPACES.map((n) => ({
            name: `the project namespace is ${n.namespace}, which the Kargo chart creates (${n.value})`,
            patch: { pipeline: { project: n.namespace } },
            problems: [
                `release-pipeline:pipeline.project: got "${n.namespace}"; ${project(`a namespace the Kargo chart creates for itself (${n.value})`)} ${n.namespace}-release`,
            ],
        })),
        {
            name: "the project namespace is a renamed Kargo install namespace",
            patch: { kargo: { namespace: "platform-kargo" }, pipeline: { project: "platform-kargo" } },
            problems: [
                `release-pipeline:pipeline.project: got "platform-kargo"; ${project("Kargo's own namespace")} platform-kargo-release`,
            ],
        },
        {
            name: "the project namespace is Argo CD's",
            patch: { pipeline: { project: "argocd" } },
            problems: [
                `release-pipeline:pipeline.project: got "argocd"; ${project("Argo CD's namespace and kargo.prerequisites.argocdNamespace")} argocd-release`,
            ],
        },
        {
            name: "the project namespace is kube-system",
            patch: { pipeline: { project: "kube-system" } },
            problems: [
                `release-pipeline:pipeline.project: got "kube-system"; ${project("a namespace Kubernetes owns")} kube-system-release`,
            ],
        },
        {
            name: "the rehearsal stack's project is the workload namespace there too",
            stack: "dev",
            patch: { pipeline: { project: "monolith-dev" } },
            problems: [
                `release-pipeline:pipeline.project: got "monolith-dev"; ${project("the dev namespace of charts[0] (monolith)")} monolith-dev-release`,
            ],
        },
        {
            name: "two charts in one namespace",
            patch: {
                charts: [chart("monolith", "shop"), chart("monolith-public", "shop")],
                devData: { prod: { namespace: "shop" } },
            },
            problems: [
                'release-pipeline:charts[1].namespace: got "shop"; makes shop the prod namespace of charts[1] (monolith-public), which is already the prod namespace of charts[0] (monolith); allowed: a namespace per chart and stage (dev adds -dev to the prod namespace)',
            ],
        },
        {
            name: "a chart's prod namespace is another chart's dev namespace",
            patch: {
                charts: [chart("monolith", "monolith"), chart("monolith-public", "web")],
                pipeline: { devCharts: "all" },
                verification: BOTH_CHARTS_VERIFIED,
            },
            problems: [],
        },
        {
            name: "a chart's prod namespace is another chart's dev namespace (devCharts all)",
            patch: {
                pipeline: { devCharts: "all" },
                verification: BOTH_CHARTS_VERIFIED,
                charts: [chart("monolith", "monolith"), chart("monolith-public", "monolith-dev")],
                devData: { clone: { storageClass: "longhorn-snapshot" } },
            },
            problems: [
                'release-pipeline:charts[1].namespace: got "monolith-dev"; makes monolith-dev the prod namespace of charts[1] (monolith-public), which is already the dev namespace of charts[0] (monolith); allowed: a namespace per chart and stage (dev adds -dev to the prod namespace)',
            ],
        },
        {
            name: "a chart deployed into kube-system",
            patch: { charts: [chart("monolith", "monolith"), chart("monolith-public", "default")] },
            problems: [
                'release-pipeline:charts[1].namespace: got "default"; makes the prod namespace of charts[1] (monolith-public) default, a namespace Kubernetes owns; allowed: a namespace of the chart\'s own',
            ],
        },
    ];
    for (const c of cases) {
        it(`${c.problems.length > 0 ? "refuses" : "accepts"} ${c.name}`, () =>
            assert.deepEqual(problemsOf(c.patch, c.stack), c.problems));
    }
});

describe("config names: a chart's repoURL ends in its name", () => {
    const mismatch = (url: string, last: string, name: string) =>
        `release-pipeline:charts[1].repoURL: got "${url}"; ends in /${last}, not in the chart's name /${name}: the Warehouse would watch a repository chart-release never publishes this chart to; allowed: oci://<registry>/<path>/${name}, or repoNameDiffers: true when the chart is published under another name`;
    const cases: [string, Record<string, unknown>, string[]][] = [
        ["the chart's own repository", {}, []],
        [
            "another chart's repository",
            { repoURL: "oci://ghcr.io/acme/charts/web" },
            [mismatch("oci://ghcr.io/acme/charts/web", "web", "monolith-public")],
        ],
        [
            "a near miss",
            { repoURL: "oci://ghcr.io/acme/charts/monolith-publik" },
            [mismatch("oci://ghcr.io/acme/charts/monolith-publik", "monolith-publik", "monolith-public")],
        ],
        [
            "the registry path without the chart",
            { repoURL: "oci://ghcr.io/acme/charts" },
            [mismatch("oci://ghcr.io/acme/charts", "charts", "monolith-public")],
        ],
        [
            "another name, said explicitly",
            { repoURL: "oci://ghcr.io/acme/charts/web", repoNameDiffers: true },
            [],
        ],
    ];
    for (const [name, changes, problems] of cases) {
        it(`${problems.length > 0 ? "refuses" : "accepts"} ${name}`, () => {
            const charts = (rawConfigOf("prod").charts as Record<string, unknown>[]).map((c, i) =>
                i === 1 ? { ...c, ...changes } : c,
            );
            assert.deepEqual(problemsOf({ charts }), problems);
        });
    }
});

describe("config names: the derivations agree with the builders'", () => {
    for (const stack of ["dev", "prod"] as const) {
        for (const patch of [
            {},
            { pipeline: { devCharts: "all" }, verification: BOTH_CHARTS_VERIFIED },
            // A shared Warehouse needs every chart in dev (config/devCharts.ts checkSharedWarehouseScope).
            { pipeline: { warehouseLayout: "shared", devCharts: "all" }, verification: BOTH_CHARTS_VERIFIED },
            { pipeline: { mode: "prod-only" } },
        ]) {
            it(`${stack} stack with ${JSON.stringify(patch)}`, () => {
                const raw = mergeDeep(rawConfigOf(stack), {
                    devData: { clone: { storageClass: "sc" } },
                    ...patch,
                });
                const cfg = validateStackConfig(raw as Record<string, unknown>);
                const names = new Set(listDerivedNames(cfg).map((d) => d.name));
                const devIndexes = selectDevChartIndexes(cfg);
                assert.deepEqual(
                    devIndexes.map((i) => cfg.charts[i].name),
                    cfg.pipeline.mode === "full" ? selectDevCharts(cfg).map((c) => c.name) : [],
                );
                for (const c of cfg.charts) {
                    assert.ok(names.has(promotionTaskName(c)), promotionTaskName(c));
                    assert.ok(names.has(applicationName("prod", c)));
                    if (cfg.pipeline.warehouseLayout === "per-chart")
                        assert.ok(names.has(warehouseName(cfg, c)));
                }
                const workload = listWorkloadNamespaces(cfg).map((u) => u.namespace);
                assert.equal(new Set(workload).size, workload.length);
                if (isCloneProvisioned(cfg)) {
                    for (const n of [
                        `${refresherName(cfg)}-seed`,
                        `${refresherName(cfg)}-promotion`,
                        ownerLabelValue(cfg),
                        dataApplicationName(cfg),
                    ]) {
                        assert.ok(names.has(n), n);
                    }
                }
            });
        }
    }
});
