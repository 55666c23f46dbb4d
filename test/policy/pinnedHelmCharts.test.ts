import {
    addResource,
    editResource,
    loadBaseline,
    unknown,
    usePolicySession,
    type Case,
    itReportsExactly,
} from "./helpers";

const policy = "pinned-helm-charts";
const level = "mandatory";
const kargoChart = "oci://ghcr.io/akuity/kargo-charts/kargo";
const setKargo = (edit: (inputs: Record<string, unknown>) => void) => () =>
    editResource(loadBaseline(), "kargo", edit);
/** Adding any chart other than Kargo is also a memory-budget finding until its components are listed. */
const uncounted = (chart: string) => ({
    policy: "memory-budget",
    resource: "cert-manager",
    message: `Helm chart ${chart} cannot be counted: list its components under chartComponents`,
    level,
});
const withChart = (type: string, inputs: Record<string, unknown>) => () =>
    addResource(loadBaseline(), type, "cert-manager", inputs);

const cases: Case[] = [
    {
        name: "Kargo chart without a version",
        build: setKargo((i) => delete i.version),
        expected: [
            {
                policy,
                resource: "kargo",
                message: `Helm chart ${kargoChart} has no version, empty (Argo CD and Helm then take the latest/HEAD); pin an exact chart version`,
                level,
            },
        ],
    },
    {
        name: "Kargo chart with a range",
        build: setKargo((i) => (i.version = "^1.11.0")),
        expected: [
            {
                policy,
                resource: "kargo",
                message: `Helm chart ${kargoChart} has version "^1.11.0", a caret range (^); pin an exact chart version`,
                level,
            },
        ],
    },
    {
        name: "Kargo chart pinned, but not to the vetted release",
        build: setKargo((i) => (i.version = "1.10.0")),
        expected: [
            {
                policy,
                resource: "kargo",
                message: `Kargo chart ${kargoChart} is at "1.10.0", not the vetted 1.11.2; upgrade deliberately by changing the pack's kargoVersion too`,
                level,
            },
        ],
    },
    {
        name: "another chart (helm.v4.Chart from a repository) with a partial version",
        build: withChart("kubernetes:helm.sh/v4:Chart", {
            chart: "cert-manager",
            version: "1.16",
            repositoryOpts: { repo: "https://charts.jetstack.io" },
        }),
        expected: [
            {
                policy,
                resource: "cert-manager",
                message:
                    'Helm chart https://charts.jetstack.io/cert-manager has version "1.16", a partial version (missing minor or patch); pin an exact chart version',
                level,
            },
            uncounted("https://charts.jetstack.io/cert-manager"),
        ],
    },
    {
        name: "another chart (helm.v3.Release) with no version",
        build: withChart("kubernetes:helm.sh/v3:Release", {
            chart: "oci://quay.io/jetstack/charts/cert-manager",
        }),
        expected: [
            {
                policy,
                resource: "cert-manager",
                message:
                    "Helm chart oci://quay.io/jetstack/charts/cert-manager has no version, empty (Argo CD and Helm then take the latest/HEAD); pin an exact chart version",
                level,
            },
            uncounted("oci://quay.io/jetstack/charts/cert-manager"),
        ],
    },
];

const compliant: Case[] = [
    { name: "baseline", build: loadBaseline, expected: [] },
    {
        name: "another chart pinned exactly",
        build: withChart("kubernetes:helm.sh/v4:Chart", {
            chart: "cert-manager",
            version: "1.16.2",
            repositoryOpts: { repo: "https://charts.jetstack.io" },
        }),
        expected: [uncounted("https://charts.jetstack.io/cert-manager")],
    },
    {
        name: "a newer vetted Kargo release set in the pack config",
        build: setKargo((i) => (i.version = "1.12.0")),
        config: { "pinned-helm-charts": { kargoVersion: "1.12.0" } },
        expected: [],
    },
    { name: "version unknown during preview", build: setKargo((i) => (i.version = unknown)), expected: [] },
];

describe("policy: pinned-helm-charts", () => {
    const pack = usePolicySession();
    itReportsExactly(pack, [...compliant, ...cases]);
});
