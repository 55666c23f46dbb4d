import {
    at,
    editResource,
    loadBaseline,
    unknown,
    usePolicySession,
    type Case,
    itReportsExactly,
} from "./helpers";

const policy = "warehouse-discipline";
const level = "mandatory";
const editChart = (edit: (chart: Record<string, unknown>) => void) => () =>
    editResource(loadBaseline(), "warehouse-monolith", (i) => edit(at(i, "spec.subscriptions.0.chart")));
const violation = (message: string) => ({
    policy,
    resource: "warehouse-monolith",
    message: `Warehouse monolith/monolith: subscriptions[0].chart ${message}`,
    level,
});

const cases: Case[] = [
    {
        // The chartFrom() in the promotion still names the oci:// URL, so policy 1 sees the mismatch too.
        name: "https repoURL instead of oci://",
        build: editChart((c) => (c.repoURL = "https://ghcr.io/acme/charts/monolith")),
        expected: [
            violation('repoURL "https://ghcr.io/acme/charts/monolith" is not under oci://'),
            ...[
                "step 2 (yaml-update) as run by Stage monolith/prod writes spec.source.targetRevision",
                "step 5 (argocd-update) as run by Stage monolith/prod writes apps[0].sources[0].desiredRevision",
            ].map((write) => ({
                policy: "no-floating-target-revision",
                resource: "promotiontask-promote-monolith",
                message: `PromotionTask monolith/promote-monolith ${write} from chartFrom("oci://ghcr.io/acme/charts/monolith"), which matches no Warehouse chart repoURL exactly (Warehouses: "https://ghcr.io/acme/charts/monolith", "oci://ghcr.io/acme/charts/monolith-public")`,
                level,
            })),
        ],
    },
    {
        name: "empty semverConstraint",
        build: editChart((c) => (c.semverConstraint = "")),
        expected: [violation("semverConstraint is empty, so every new version (any major) becomes Freight")],
    },
    {
        name: "missing semverConstraint",
        build: editChart((c) => delete c.semverConstraint),
        expected: [violation("semverConstraint is empty, so every new version (any major) becomes Freight")],
    },
    {
        name: "semverConstraint that matches everything",
        build: editChart((c) => (c.semverConstraint = "*")),
        expected: [violation('semverConstraint "*" matches every version')],
    },
    {
        name: "missing discoveryLimit",
        build: editChart((c) => delete c.discoveryLimit),
        expected: [violation("discoveryLimit is not set")],
    },
    {
        name: "discoveryLimit over Kargo's maximum",
        build: editChart((c) => (c.discoveryLimit = 500)),
        expected: [violation("discoveryLimit 500 is not an integer from 1 to 100")],
    },
];

const compliant: Case[] = [
    { name: "baseline", build: loadBaseline, expected: [] },
    {
        name: "constraint and limit unknown during preview",
        build: editChart((c) => {
            c.semverConstraint = unknown;
            c.discoveryLimit = unknown;
        }),
        expected: [],
    },
    {
        name: "a tighter discovery limit configured",
        build: loadBaseline,
        config: { "warehouse-discipline": { maxDiscoveryLimit: 10 } },
        expected: ["monolith", "monolith-public"].map((w) => ({
            policy,
            resource: `warehouse-${w}`,
            message: `Warehouse monolith/${w}: subscriptions[0].chart discoveryLimit 20 is not an integer from 1 to 10`,
            level,
        })),
    },
];

describe("policy: warehouse-discipline", () => {
    const pack = usePolicySession();
    itReportsExactly(pack, [...compliant, ...cases]);
});
