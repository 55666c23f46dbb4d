import {
    addResource,
    at,
    editDeployFile,
    editResource,
    loadBaseline,
    unknown,
    usePolicySession,
    type Case,
    itReportsExactly,
} from "./helpers";

const policy = "memory-budget";
const level = "mandatory";
const vr = "AnalysisTemplate monolith/visual-regression";
const editKargo = (edit: (values: Record<string, unknown>) => void) => () =>
    editResource(loadBaseline(), "kargo", (i) => edit(at(i, "values")));
const editJob = (edit: (container: Record<string, unknown>) => void) => () =>
    editResource(loadBaseline(), "analysistemplate-visual-regression", (i) =>
        edit(at(i, "spec.metrics.0.provider.job.spec.template.spec.containers.0")),
    );
const memory = (request: string, limit?: string) => ({
    requests: { memory: request },
    ...(limit ? { limits: { memory: limit } } : {}),
});
const deployment = (replicas: number, podSpec: Record<string, unknown>) => () =>
    addResource(loadBaseline(), "kubernetes:apps/v1:Deployment", "deployment-echo", {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "echo", namespace: "monolith-public-dev" },
        spec: { replicas, selector: { matchLabels: { app: "echo" } }, template: { spec: podSpec } },
    });
const echo = (resources: Record<string, unknown>) => ({
    name: "echo",
    image: "ghcr.io/acme/echo:1.0.0",
    resources,
});
/** The baseline adds 992Mi of requests and 1856Mi of limits (see the fixture). */
const baselineLargest = `${vr} 256Mi, Helm chart kargo controller 192Mi, Cluster monolith-dev/monolith-dev 192Mi, Helm chart kargo api 128Mi, Helm chart kargo managementController 64Mi`;

const cases: Case[] = [
    {
        name: "requests over a tighter configured budget",
        build: loadBaseline,
        config: { "memory-budget": { memoryBudget: "512Mi" } },
        expected: [
            {
                policy,
                message: `memory requests total 992Mi, over the 512Mi budget (largest: ${baselineLargest})`,
                level,
            },
        ],
    },
    {
        name: "limits over a configured limits budget",
        build: loadBaseline,
        config: { "memory-budget": { limitsBudget: "1Gi" } },
        expected: [
            {
                policy,
                message: `memory limits total 1856Mi, over the 1Gi budget (largest: ${vr} 512Mi, Helm chart kargo controller 384Mi, Helm chart kargo api 256Mi, Cluster monolith-dev/monolith-dev 256Mi, Helm chart kargo managementController 128Mi)`,
                level,
            },
        ],
    },
    {
        name: "a workload with replicas pushes the stack over the default budget",
        build: deployment(3, { containers: [echo(memory("64Mi", "64Mi"))] }),
        expected: [
            {
                policy,
                message: `memory requests total 1184Mi, over the 1152Mi budget (largest: ${vr} 256Mi, Helm chart kargo controller 192Mi, Cluster monolith-dev/monolith-dev 192Mi, Deployment monolith-public-dev/echo 192Mi, Helm chart kargo api 128Mi)`,
                level,
            },
        ],
    },
    {
        name: "an init container larger than the pod's containers is what the pod reserves",
        build: deployment(1, {
            initContainers: [
                { name: "migrate", image: "ghcr.io/acme/migrate:1.0.0", resources: memory("192Mi", "192Mi") },
            ],
            containers: [echo(memory("16Mi", "16Mi"))],
        }),
        expected: [
            {
                policy,
                message: `memory requests total 1184Mi, over the 1152Mi budget (largest: ${vr} 256Mi, Helm chart kargo controller 192Mi, Cluster monolith-dev/monolith-dev 192Mi, Deployment monolith-public-dev/echo 192Mi, Helm chart kargo api 128Mi)`,
                level,
            },
        ],
    },
    {
        name: "a Job embedded in an Argo CD Application's Helm values counts too",
        build: () =>
            editDeployFile(loadBaseline(), "file-dev-monolith-public", (i) => {
                at(i, "spec.source").helm = {
                    valuesObject: {
                        resources: [
                            {
                                apiVersion: "batch/v1",
                                kind: "Job",
                                metadata: { name: "seed" },
                                spec: {
                                    template: {
                                        spec: { containers: [{ name: "seed", resources: memory("64Mi") }] },
                                    },
                                },
                            },
                        ],
                    },
                };
            }),
        expected: [
            {
                policy,
                resource: "file-dev-monolith-public",
                message:
                    "Application argocd/monolith-public-dev (in deploy/dev/monolith-public.yaml) > Job seed container seed has no limits.memory",
                level,
            },
        ],
    },
    {
        name: "a workload container without limits",
        build: deployment(1, { containers: [echo(memory("16Mi"))] }),
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
                message: `${vr} container visual-regression has no limits.memory`,
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
                message: `${vr} container visual-regression has no limits.cpu`,
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
                message: `${vr} container visual-regression requests memory "lots", which is not a quantity`,
                level,
            },
        ],
    },
    {
        name: "an invalid limit that also stands in for the missing request is reported once",
        build: editJob((container) => (container.resources = { limits: { memory: "1 GB" } })),
        expected: [
            {
                policy,
                resource: "analysistemplate-visual-regression",
                message: `${vr} container visual-regression limits memory "1 GB", which is not a quantity`,
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

const limitsLargest = `${vr} 512Mi, Helm chart kargo controller 384Mi, Helm chart kargo api 256Mi, Cluster monolith-dev/monolith-dev 256Mi, Helm chart kargo managementController 128Mi`;
/** Both budgets one byte below the baseline's totals (992Mi requests, 1856Mi limits). */
const justUnder = { memoryBudget: String(992 * 2 ** 20 - 1), limitsBudget: String(1856 * 2 ** 20 - 1) };
cases.push({
    name: "totals one byte over each budget",
    build: loadBaseline,
    config: { "memory-budget": justUnder },
    expected: [
        {
            policy,
            message: `memory requests total 992Mi, over the ${justUnder.memoryBudget} budget (largest: ${baselineLargest})`,
            level,
        },
        {
            policy,
            message: `memory limits total 1856Mi, over the ${justUnder.limitsBudget} budget (largest: ${limitsLargest})`,
            level,
        },
    ],
});

const compliant: Case[] = [
    { name: "baseline", build: loadBaseline, expected: [] },
    {
        name: "totals exactly at both budgets",
        build: loadBaseline,
        config: { "memory-budget": { memoryBudget: "992Mi", limitsBudget: "1856Mi" } },
        expected: [],
    },
    {
        name: "another chart counted through configured components",
        build: () =>
            addResource(loadBaseline(), "kubernetes:helm.sh/v3:Release", "argo-rollouts", {
                chart: "argo-rollouts",
                version: "2.39.1",
                repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" },
                values: { controller: { resources: memory("16Mi", "32Mi") } },
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
    itReportsExactly(pack, [...compliant, ...cases]);
});
