import { strict as assert } from "node:assert";
import type { ResourceRecord } from "../../../offline/runtime/mockRuntime";
import { checkMemoryBudget, renderMemoryReport, sumMemory } from "../../../offline/report/memoryBudget";
import { synthesize } from "../../components/devData/helpers";

const Mi = 2 ** 20;

function record(type: string, inputs: Record<string, unknown>, read = false): ResourceRecord {
    const urn = `urn:${type}:${String(Math.random())}`;
    return {
        urn,
        type,
        name: "r",
        dependencies: [],
        inputs,
        read,
        custom: true,
        options: {},
    } as unknown as ResourceRecord;
}

const res = (req: string, lim: string) => ({ requests: { memory: req }, limits: { memory: lim } });

describe("memory budget", () => {
    const sources: { name: string; records: ResourceRecord[]; requests: number; limits: number }[] = [
        {
            name: "Helm release values: one line per component's resources block",
            records: [
                record("kubernetes:helm.sh/v3:Release", {
                    name: "kargo",
                    values: {
                        api: { resources: res("128Mi", "256Mi") },
                        controller: { resources: res("64Mi", "128Mi") },
                    },
                }),
            ],
            requests: 192,
            limits: 384,
        },
        {
            name: "a CNPG Cluster: resources x instances",
            records: [
                record("kubernetes:postgresql.cnpg.io/v1:Cluster", {
                    apiVersion: "postgresql.cnpg.io/v1",
                    kind: "Cluster",
                    metadata: { name: "db" },
                    spec: { instances: 2, resources: res("256Mi", "256Mi") },
                }),
            ],
            requests: 512,
            limits: 512,
        },
        {
            name: "a Deployment: containers x replicas, a larger init container wins",
            records: [
                record("kubernetes:apps/v1:Deployment", {
                    apiVersion: "apps/v1",
                    kind: "Deployment",
                    metadata: { name: "web" },
                    spec: {
                        replicas: 3,
                        template: {
                            spec: {
                                initContainers: [{ name: "migrate", resources: res("200Mi", "300Mi") }],
                                containers: [
                                    { name: "a", resources: res("64Mi", "128Mi") },
                                    { name: "b", resources: res("32Mi", "64Mi") },
                                ],
                            },
                        },
                    },
                }),
            ],
            requests: 600,
            limits: 900,
        },
        {
            name: "a Job inside an Application's Helm values, and an AnalysisTemplate job provider",
            records: [
                record("kubernetes:argoproj.io/v1alpha1:Application", {
                    apiVersion: "argoproj.io/v1alpha1",
                    kind: "Application",
                    metadata: { name: "hook" },
                    spec: {
                        source: {
                            helm: {
                                valuesObject: {
                                    resources: [
                                        {
                                            kind: "Job",
                                            metadata: { name: "j" },
                                            spec: {
                                                template: {
                                                    spec: {
                                                        containers: [
                                                            { name: "c", resources: res("48Mi", "96Mi") },
                                                        ],
                                                    },
                                                },
                                            },
                                        },
                                    ],
                                },
                            },
                        },
                    },
                }),
                record("kubernetes:argoproj.io/v1alpha1:AnalysisTemplate", {
                    apiVersion: "argoproj.io/v1alpha1",
                    kind: "AnalysisTemplate",
                    metadata: { name: "vr" },
                    spec: {
                        metrics: [
                            {
                                provider: {
                                    job: {
                                        spec: {
                                            template: {
                                                spec: {
                                                    containers: [
                                                        { name: "vr", resources: res("512Mi", "1Gi") },
                                                    ],
                                                },
                                            },
                                        },
                                    },
                                },
                            },
                        ],
                    },
                }),
            ],
            requests: 560,
            limits: 1120,
        },
        {
            name: "reads of existing objects add nothing",
            records: [
                record(
                    "kubernetes:apps/v1:Deployment",
                    {
                        apiVersion: "apps/v1",
                        kind: "Deployment",
                        metadata: { name: "argo-rollouts" },
                        spec: {
                            template: { spec: { containers: [{ name: "x", resources: res("1Gi", "1Gi") }] } },
                        },
                    },
                    true,
                ),
            ],
            requests: 0,
            limits: 0,
        },
    ];
    for (const s of sources) {
        it(`sums ${s.name}`, () => {
            const totals = sumMemory(s.records);
            assert.deepEqual([totals.requests / Mi, totals.limits / Mi], [s.requests, s.limits]);
            assert.deepEqual(totals.unbounded, []);
        });
    }

    const overruns: { name: string; budget: { requests: string; limits: string }; problems: string[] }[] = [
        {
            name: "requests over budget",
            budget: { requests: "512Mi", limits: "4Gi" },
            problems: [
                "memory requests 600Mi exceed the budget of 512Mi (512Mi) by 88Mi; lower the resources or raise release-pipeline:budget.requests",
            ],
        },
        {
            name: "limits over budget",
            budget: { requests: "1Gi", limits: "0.5Gi" },
            problems: [
                "memory limits 900Mi exceed the budget of 0.5Gi (512Mi) by 388Mi; lower the resources or raise release-pipeline:budget.limits",
            ],
        },
        { name: "a budget that fits", budget: { requests: "600Mi", limits: "900Mi" }, problems: [] },
        {
            name: "totals exactly at both budgets",
            budget: { requests: "600Mi", limits: "900Mi" },
            problems: [],
        },
        {
            name: "totals one byte over both budgets",
            budget: { requests: String(600 * Mi - 1), limits: String(900 * Mi - 1) },
            problems: [
                `memory requests 600Mi exceed the budget of ${600 * Mi - 1} (600.0Mi) by 0.0Mi; lower the resources or raise release-pipeline:budget.requests`,
                `memory limits 900Mi exceed the budget of ${900 * Mi - 1} (900.0Mi) by 0.0Mi; lower the resources or raise release-pipeline:budget.limits`,
            ],
        },
    ];
    for (const o of overruns) {
        it(`reports ${o.name}`, () => {
            assert.deepEqual(checkMemoryBudget(sumMemory(sources[2].records), o.budget), o.problems);
        });
    }

    it("refuses a container without a memory limit: the budget could not hold", () => {
        const totals = sumMemory([
            record("kubernetes:batch/v1:Job", {
                apiVersion: "batch/v1",
                kind: "Job",
                metadata: { name: "j", namespace: "ns" },
                spec: {
                    template: {
                        spec: { containers: [{ name: "c", resources: { requests: { memory: "64Mi" } } }] },
                    },
                },
            }),
        ]);
        assert.deepEqual(checkMemoryBudget(totals, { requests: "1Gi", limits: "1Gi" }), [
            "Job ns/j container c has no memory request or limit; every container needs both",
        ]);
    });

    const stacks = [
        { stack: "dev", requests: 1120, limits: 1984, clone: "Cluster monolith-dev/monolith-db-dev" },
        { stack: "prod", requests: 1056, limits: 2112, clone: undefined },
    ] as const;
    for (const s of stacks) {
        it(`stack ${s.stack} adds ${s.requests}Mi / ${s.limits}Mi, inside its budget of 1152Mi / 2304Mi`, async () => {
            const totals = sumMemory((await synthesize(s.stack)).resources);
            assert.deepEqual([totals.requests / Mi, totals.limits / Mi], [s.requests, s.limits]);
            assert.deepEqual(checkMemoryBudget(totals, { requests: "1152Mi", limits: "2304Mi" }), []);
            assert.equal(
                totals.lines.some((l) => l.owner === s.clone),
                s.clone !== undefined,
            );
            assert.match(
                renderMemoryReport(s.stack, totals, { requests: "1152Mi", limits: "2304Mi" }),
                /total; budget 1152Mi \/ 2304Mi$/,
            );
        });
    }
});
