import { strict as assert } from "node:assert";
import {
    addResource,
    at,
    editResource,
    loadBaseline,
    summarize,
    unknown,
    usePolicySession,
    type Case,
} from "./helpers";

const policy = "memory-budget";
const level = "mandatory";
const editKargo = (edit: (values: Record<string, unknown>) => void) => () =>
    editResource(loadBaseline(), "kargo", (i) => edit(at(i, "values")));
const editJob = (edit: (container: Record<string, unknown>) => void) => () =>
    editResource(loadBaseline(), "analysistemplate-visual-regression", (i) =>
        edit(at(i, "spec.metrics.0.provider.job.spec.template.spec.containers.0")),
    );
const deployment = (replicas: number, resources: Record<string, unknown>) => () =>
    addResource(loadBaseline(), "kubernetes:apps/v1:Deployment", "deployment-echo", {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "echo", namespace: "monolith-public-dev" },
        spec: {
            replicas,
            selector: { matchLabels: { app: "echo" } },
            template: {
                spec: { containers: [{ name: "echo", image: "ghcr.io/acme/echo:1.0.0", resources }] },
            },
        },
    });
const largest =
    "Cluster monolith-dev/monolith-dev 512Mi, AnalysisTemplate monolith/visual-regression metric visual-diff container visual-regression 512Mi, Helm chart kargo controller 192Mi, Helm chart kargo api 128Mi, Helm chart kargo managementController 64Mi";

const cases: Case[] = [
    {
        name: "requests over a tighter configured budget",
        build: loadBaseline,
        config: { "memory-budget": { memoryBudget: "1Gi" } },
        expected: [
            {
                policy,
                message: `memory requests total 1568Mi, over the 1Gi budget (largest: ${largest})`,
                level,
            },
        ],
    },
    {
        name: "a workload with replicas pushes the stack over the default budget",
        build: deployment(2, { requests: { memory: "300Mi" }, limits: { memory: "300Mi" } }),
        expected: [
            {
                policy,
                message:
                    "memory requests total 2168Mi, over the 2Gi budget (largest: Deployment monolith-public-dev/echo container echo 600Mi, Cluster monolith-dev/monolith-dev 512Mi, AnalysisTemplate monolith/visual-regression metric visual-diff container visual-regression 512Mi, Helm chart kargo controller 192Mi, Helm chart kargo api 128Mi)",
                level,
            },
        ],
    },
    {
        name: "a workload container without limits",
        build: deployment(1, { requests: { memory: "64Mi" } }),
        expected: [
            {
                policy,
                resource: "deployment-echo",
                message: "Deployment monolith-public-dev/echo container echo has no limits.memory",
                level,
            },
        ],
    },
    {
        name: "a Kargo component without limits",
        build: editKargo((values) => delete at(values, "controller.resources").limits),
        expected: [
            { policy, resource: "kargo", message: "Helm chart kargo controller has no limits.memory", level },
        ],
    },
    {
        name: "a Kargo component with no resources at all (the chart has no defaults)",
        build: editKargo((values) => (at(values, "webhooksServer").resources = {})),
        expected: [
            {
                policy,
                resource: "kargo",
                message: "Helm chart kargo webhooksServer has no limits.memory",
                level,
            },
        ],
    },
    {
        name: "Dex enabled without resources",
        build: editKargo((values) => (at(values, "api").oidc = { dex: { enabled: true } })),
        expected: [
            {
                policy,
                resource: "kargo",
                message: "Helm chart kargo api.oidc.dex has no limits.memory",
                level,
            },
        ],
    },
    {
        name: "an AnalysisTemplate job container without limits",
        build: editJob((container) => delete at(container, "resources").limits),
        expected: [
            {
                policy,
                resource: "analysistemplate-visual-regression",
                message:
                    "AnalysisTemplate monolith/visual-regression metric visual-diff container visual-regression has no limits.memory",
                level,
            },
        ],
    },
    {
        name: "CPU limits required by config and missing",
        build: editJob((container) => delete at(container, "resources.limits").cpu),
        config: { "memory-budget": { requiredLimits: ["memory", "cpu"] } },
        expected: [
            {
                policy,
                resource: "analysistemplate-visual-regression",
                message:
                    "AnalysisTemplate monolith/visual-regression metric visual-diff container visual-regression has no limits.cpu",
                level,
            },
        ],
    },
    {
        name: "a memory request that is not a quantity",
        build: editJob((container) => (at(container, "resources.requests").memory = "lots")),
        expected: [
            {
                policy,
                resource: "analysistemplate-visual-regression",
                message:
                    'AnalysisTemplate monolith/visual-regression metric visual-diff container visual-regression requests memory "lots", which is not a quantity',
                level,
            },
        ],
    },
    {
        name: "a Helm chart the budget cannot see into",
        build: () =>
            addResource(loadBaseline(), "kubernetes:helm.sh/v3:Release", "argo-rollouts", {
                chart: "argo-rollouts",
                version: "2.39.1",
                repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" },
            }),
        expected: [
            {
                policy,
                resource: "argo-rollouts",
                message:
                    "Helm chart https://argoproj.github.io/argo-helm/argo-rollouts cannot be counted: list its components under chartComponents",
                level,
            },
        ],
    },
];

const compliant: Case[] = [
    { name: "baseline", build: loadBaseline, expected: [] },
    {
        name: "another chart counted through configured components",
        build: () =>
            addResource(loadBaseline(), "kubernetes:helm.sh/v3:Release", "argo-rollouts", {
                chart: "argo-rollouts",
                version: "2.39.1",
                repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" },
                values: {
                    controller: { resources: { requests: { memory: "64Mi" }, limits: { memory: "128Mi" } } },
                },
            }),
        config: {
            "memory-budget": {
                chartComponents: {
                    kargo: [
                        "api",
                        "controller",
                        "managementController",
                        "webhooksServer",
                        "externalWebhooksServer",
                        "garbageCollector",
                    ],
                    "argo-rollouts": ["controller"],
                },
            },
        },
        expected: [],
    },
    {
        name: "a request unknown during preview",
        build: editJob((c) => (at(c, "resources.requests").memory = unknown)),
        expected: [],
    },
    {
        name: "limits unknown during preview",
        build: editJob((c) => (at(c, "resources").limits = unknown)),
        expected: [],
    },
];

describe("policy: memory-budget", () => {
    const pack = usePolicySession();
    for (const c of [...compliant, ...cases]) {
        it(c.name, async () => {
            assert.deepEqual(summarize(await pack.analyze(c.build(), c.config)), c.expected);
        });
    }
});
