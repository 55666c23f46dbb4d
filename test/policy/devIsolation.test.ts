import { strict as assert } from "node:assert";
import {
    addResource,
    at,
    editResource,
    loadBaseline,
    removeResources,
    summarize,
    unknown,
    usePolicySession,
    type Case,
    itReportsExactly,
} from "./helpers";

const policy = "dev-isolation";
const level = "mandatory";
const accessResources = ["kargo-smoke", "dev-machines", "dev-humans", "dev"];
const editCluster = (edit: (spec: Record<string, unknown>) => void) => () =>
    editResource(loadBaseline(), "cluster-monolith-dev", (i) => edit(at(i, "spec")));
const everyone = [{ everyone: {} }];
const ingress = (host: string) => () =>
    addResource(loadBaseline(), "kubernetes:networking.k8s.io/v1:Ingress", "ingress-preview", {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: { name: "preview", namespace: "monolith-public-dev" },
        spec: { rules: [{ host, http: { paths: [] } }] },
    });

const cases: Case[] = [
    {
        name: "dev clone with three instances",
        build: editCluster((spec) => (spec.instances = 3)),
        expected: [
            {
                policy,
                resource: "cluster-monolith-dev",
                message:
                    "dev CNPG Cluster monolith-dev/monolith-dev has instances 3; a dev clone runs at most 1",
                level,
            },
            {
                // Three copies of the clone's 192Mi also break the default 1152Mi budget (and 2304Mi of limits).
                policy: "memory-budget",
                message:
                    "memory requests total 1376Mi, over the 1152Mi budget (largest: Cluster monolith-dev/monolith-dev 576Mi, AnalysisTemplate monolith/visual-regression 256Mi, Helm chart kargo controller 192Mi, Helm chart kargo api 128Mi, Helm chart kargo managementController 64Mi)",
                level,
            },
            {
                policy: "memory-budget",
                message:
                    "memory limits total 2368Mi, over the 2304Mi budget (largest: Cluster monolith-dev/monolith-dev 768Mi, AnalysisTemplate monolith/visual-regression 512Mi, Helm chart kargo controller 384Mi, Helm chart kargo api 256Mi, Helm chart kargo managementController 128Mi)",
                level,
            },
        ],
    },
    {
        name: "dev clone without a memory limit",
        build: editCluster((spec) => delete at(spec, "resources").limits),
        expected: [
            {
                policy,
                resource: "cluster-monolith-dev",
                message: "dev CNPG Cluster monolith-dev/monolith-dev has no resources.limits.memory",
                level,
            },
            {
                policy: "memory-budget",
                resource: "cluster-monolith-dev",
                message: "Cluster monolith-dev/monolith-dev has no limits.memory",
                level,
            },
        ],
    },
    {
        name: "dev hostname (from the dev Stage's verification URL) without an Access application",
        build: () => removeResources(loadBaseline(), "dev"),
        expected: [
            {
                policy,
                message: "dev hostname dev.example.com has no self_hosted Cloudflare Access application",
                level,
            },
        ],
    },
    {
        name: "configured dev hostname without an Access application",
        build: loadBaseline,
        config: { "dev-isolation": { devHostnames: ["public.dev.example.com"] } },
        expected: [
            {
                policy,
                message:
                    "dev hostname public.dev.example.com has no self_hosted Cloudflare Access application",
                level,
            },
        ],
    },
    {
        name: "dev Ingress host without an Access application",
        build: ingress("preview.dev.example.com"),
        expected: [
            {
                policy,
                message:
                    "dev hostname preview.dev.example.com has no self_hosted Cloudflare Access application",
                level,
            },
        ],
    },
    {
        name: "reusable Access policy that includes everyone",
        build: () => editResource(loadBaseline(), "dev-humans", (i) => (i.includes = everyone)),
        expected: [
            { policy, resource: "dev-humans", message: "Access policy dev-humans includes everyone", level },
        ],
    },
    {
        name: "inline application policy that includes everyone",
        build: () =>
            editResource(loadBaseline(), "dev", (i) => {
                (i.policies as unknown[]).push({
                    name: "open",
                    decision: "allow",
                    includes: everyone,
                    precedence: 3,
                });
            }),
        expected: [
            {
                policy,
                resource: "dev",
                message: "Access application dev policies[2] includes everyone",
                level,
            },
        ],
    },
];

const NP = "networkpolicy-monolith-dev-deny-egress-to-prod";
const NP_NAME = "NetworkPolicy monolith-dev/deny-egress-to-prod";
const editEgress = (edit: (spec: Record<string, unknown>) => void) => () =>
    editResource(loadBaseline(), NP, (i) => edit(at(i, "spec")));
const egressProblem = (message: string) => ({ policy, message, level });

const egressCases: Case[] = [
    {
        name: "no egress NetworkPolicy in the clone's namespace",
        build: () => removeResources(loadBaseline(), NP),
        expected: [
            egressProblem(
                "dev namespace monolith-dev has no egress NetworkPolicy selecting every pod, so its pods can reach prod",
            ),
        ],
    },
    {
        name: "an egress NetworkPolicy that selects only some pods",
        build: editEgress((spec) => (spec.podSelector = { matchLabels: { app: "web" } })),
        expected: [
            egressProblem(
                "dev namespace monolith-dev has no egress NetworkPolicy selecting every pod, so its pods can reach prod",
            ),
        ],
    },
    {
        name: "a NetworkPolicy for ingress only",
        build: editEgress((spec) => (spec.policyTypes = ["Ingress"])),
        expected: [
            egressProblem(
                "dev namespace monolith-dev has no egress NetworkPolicy selecting every pod, so its pods can reach prod",
            ),
        ],
    },
    {
        name: "a prod namespace missing from the NotIn list",
        build: editEgress((spec) => {
            at(spec, "egress.0.to.0.namespaceSelector.matchExpressions.0").values = ["argocd", "monolith"];
        }),
        expected: [egressProblem(`${NP_NAME} egress[0] allows egress to prod namespace monolith-public`)],
    },
    {
        name: "a namespaceSelector that selects every namespace",
        build: editEgress((spec) => {
            at(spec, "egress.0.to.0").namespaceSelector = {};
        }),
        // The app-of-apps deploy into argocd, so the pack counts it as a prod namespace too.
        expected: ["argocd", "monolith", "monolith-public"].map((ns) =>
            egressProblem(`${NP_NAME} egress[0] allows egress to prod namespace ${ns}`),
        ),
    },
    {
        name: "a namespaceSelector on a label the pack cannot evaluate",
        build: editEgress((spec) => {
            at(spec, "egress.0.to.0").namespaceSelector = { matchLabels: { tier: "dev" } };
        }),
        expected: ["argocd", "monolith", "monolith-public"].map((ns) =>
            egressProblem(
                `${NP_NAME} egress[0] has a namespaceSelector that cannot be shown to exclude prod namespace ${ns}`,
            ),
        ),
    },
    {
        name: "an egress rule without `to` (every destination)",
        build: editEgress((spec) => {
            (spec.egress as unknown[]).push({ ports: [{ port: 5432 }] });
        }),
        expected: [egressProblem(`${NP_NAME} egress[2] allows egress to every destination (no \`to\`)`)],
    },
    {
        name: "an ipBlock without except (prod's pods by IP)",
        build: editEgress((spec) => {
            delete at(spec, "egress.1.to.0.ipBlock").except;
        }),
        expected: [
            egressProblem(
                `${NP_NAME} egress[1] allows every address in 0.0.0.0/0 with no except, prod's pods included`,
            ),
        ],
    },
    {
        name: "a second policy in the namespace that reopens prod (policies add up)",
        build: () =>
            addResource(
                loadBaseline(),
                "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                "networkpolicy-allow-db",
                {
                    apiVersion: "networking.k8s.io/v1",
                    kind: "NetworkPolicy",
                    metadata: { name: "allow-db", namespace: "monolith-dev" },
                    spec: {
                        podSelector: { matchLabels: { app: "web" } },
                        policyTypes: ["Egress"],
                        egress: [
                            {
                                to: [
                                    {
                                        namespaceSelector: {
                                            matchLabels: { "kubernetes.io/metadata.name": "monolith" },
                                        },
                                    },
                                ],
                            },
                        ],
                    },
                },
            ),
        expected: [
            egressProblem(
                "NetworkPolicy monolith-dev/allow-db egress[0] allows egress to prod namespace monolith",
            ),
        ],
    },
    {
        name: "a configured prod namespace that the policy does not exclude",
        build: loadBaseline,
        config: { "dev-isolation": { prodNamespaces: ["payments"] } },
        expected: [egressProblem(`${NP_NAME} egress[0] allows egress to prod namespace payments`)],
    },
];

const compliant: Case[] = [
    {
        name: "a NotIn list that also names unrelated namespaces, and an In list of dev namespaces",
        build: editEgress((spec) => {
            at(spec, "egress.0.to.0.namespaceSelector.matchExpressions.0").values = [
                "argocd",
                "monolith",
                "monolith-public",
                "kargo",
            ];
            (spec.egress as unknown[]).push({
                to: [
                    {
                        namespaceSelector: {
                            matchExpressions: [
                                {
                                    key: "kubernetes.io/metadata.name",
                                    operator: "In",
                                    values: ["monolith-public-dev"],
                                },
                            ],
                        },
                    },
                    { podSelector: { matchLabels: { app: "db" } } },
                ],
            });
        }),
        expected: [],
    },
    {
        name: "egress rules unknown during preview",
        build: editEgress((spec) => (spec.egress = unknown)),
        expected: [],
    },
    { name: "baseline", build: loadBaseline, expected: [] },
    {
        name: "wildcard Access application covers a dev Ingress host",
        build: () =>
            editResource(ingress("preview.dev.example.com")(), "dev", (i) => {
                (i.destinations as unknown[]).push({ type: "public", uri: "*.dev.example.com" });
            }),
        expected: [],
    },
    {
        name: "Access application domains unknown during preview",
        build: () =>
            editResource(loadBaseline(), "dev", (i) => {
                i.domain = unknown;
                i.destinations = unknown;
            }),
        expected: [],
    },
    {
        name: "instances unknown during preview",
        build: editCluster((spec) => (spec.instances = unknown)),
        expected: [],
    },
];

describe("policy: dev-isolation", () => {
    const pack = usePolicySession();
    itReportsExactly(pack, [...compliant, ...cases, ...egressCases]);

    it("is not applicable, and says so, until a dev clone or Access resource is declared", async () => {
        const analysis = await pack.analyze(
            removeResources(loadBaseline(), "cluster-monolith-dev", ...accessResources),
        );
        assert.deepEqual(summarize(analysis), []);
        assert.deepEqual(
            analysis.notApplicable.filter((n) => n.policy === policy),
            [
                {
                    policy,
                    reason: "not applicable yet: no dev CNPG Cluster and no Cloudflare Access application or policy",
                },
            ],
        );
    });

    it("applies as soon as the dev clone exists, even before Access does", async () => {
        const resources = removeResources(editCluster((spec) => (spec.instances = 2))(), ...accessResources);
        const analysis = await pack.analyze(resources, { "memory-budget": { memoryBudget: "4Gi" } });
        assert.deepEqual(summarize(analysis), [
            {
                policy,
                resource: "cluster-monolith-dev",
                message:
                    "dev CNPG Cluster monolith-dev/monolith-dev has instances 2; a dev clone runs at most 1",
                level,
            },
        ]);
        assert.deepEqual(
            analysis.notApplicable.filter((n) => n.policy === policy),
            [],
        );
    });
});
