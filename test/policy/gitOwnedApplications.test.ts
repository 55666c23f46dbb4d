import {
    addResource,
    at,
    editDeployFile,
    editResource,
    itReportsExactly,
    loadBaseline,
    removeResources,
    usePolicySession,
    type Case,
} from "./helpers";

const policy = "git-owned-applications";
const level = "mandatory";
const prodMonolith = "Application argocd/monolith (in deploy/prod/monolith.yaml)";
const update = (stage: string, chart = "monolith") =>
    `PromotionTask monolith/promote-${chart} step 5 (argocd-update) as run by Stage monolith/${stage} apps[0]`;
const helmSource = JSON.stringify({ repoURL: "ghcr.io/acme/charts", chart: "monolith" });
const setUpdateSource = (source: Record<string, unknown>) => () =>
    editResource(loadBaseline(), "promotiontask-promote-monolith", (i) => {
        at(i, "spec.steps.4.config.apps.0").sources = [source];
    });

const cases: Case[] = [
    {
        // Issue 9 defect 2: the old argocd-update source (the Warehouse's oci:// URL) matches no Helm source.
        name: "argocd-update names the Warehouse's oci:// URL instead of the Application's Helm source",
        build: setUpdateSource({
            repoURL: "oci://ghcr.io/acme/charts/monolith",
            desiredRevision: '${{ chartFrom("oci://ghcr.io/acme/charts/monolith").Version }}',
            updateTargetRevision: true,
        }),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message: `${update("prod")} (${prodMonolith}) sources[0] {"repoURL":"oci://ghcr.io/acme/charts/monolith"} matches none of its sources (${helmSource}) exactly, so Kargo updates nothing`,
                level,
            },
        ],
    },
    {
        name: "argocd-update without the chart (a Helm source needs repoURL and chart to match)",
        build: setUpdateSource({
            repoURL: "ghcr.io/acme/charts",
            desiredRevision: '${{ chartFrom("oci://ghcr.io/acme/charts/monolith").Version }}',
            updateTargetRevision: true,
        }),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message: `${update("prod")} (${prodMonolith}) sources[0] {"repoURL":"ghcr.io/acme/charts"} matches none of its sources (${helmSource}) exactly, so Kargo updates nothing`,
                level,
            },
        ],
    },
    {
        // Issue 9 defect 2: Argo CD records a native OCI source's digest, never the version Kargo waits for.
        name: "a deploy file with a native oci:// source",
        build: () =>
            editDeployFile(loadBaseline(), "file-prod-monolith", (app) => {
                at(app, "spec").source = {
                    repoURL: "oci://ghcr.io/acme/charts/monolith",
                    path: ".",
                    targetRevision: "0.182.3",
                };
            }),
        expected: [
            {
                policy,
                resource: "file-prod-monolith",
                message: `${prodMonolith} source "oci://ghcr.io/acme/charts/monolith" is a native OCI source: Argo CD records its digest as the sync revision, so argocd-update's desiredRevision (a version) never matches; use the Helm form (repoURL without oci://, chart: <name>)`,
                level,
            },
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message: `${update("prod")} (${prodMonolith}) sources[0] {"repoURL":"ghcr.io/acme/charts","chart":"monolith"} matches none of its sources ({"repoURL":"oci://ghcr.io/acme/charts/monolith"}) exactly, so Kargo updates nothing`,
                level,
            },
        ],
    },
    {
        // Issue 9 defect 5: the old design, a stack-declared Application whose revision Kargo moves.
        name: "the stack declares the Application Kargo promotes (two owners)",
        build: () => {
            const resources = removeResources(loadBaseline(), "file-prod-monolith");
            return addResource(
                resources,
                "kubernetes:argoproj.io/v1alpha1:Application",
                "application-monolith",
                {
                    apiVersion: "argoproj.io/v1alpha1",
                    kind: "Application",
                    metadata: {
                        name: "monolith",
                        namespace: "argocd",
                        annotations: { "kargo.akuity.io/authorized-stage": "monolith:prod" },
                    },
                    spec: {
                        source: {
                            repoURL: "ghcr.io/acme/charts",
                            chart: "monolith",
                            targetRevision: "0.182.3",
                        },
                    },
                },
            );
        },
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message: `${update("prod")} (Application argocd/monolith) moves the targetRevision of an Application the stack declares: two owners would fight over it; commit it as a deploy file, owned by git alone`,
                level,
            },
        ],
    },
    {
        name: "a deploy file without the authorized-stage annotation",
        build: () =>
            editDeployFile(loadBaseline(), "file-prod-monolith", (app) => {
                delete at(app, "metadata").annotations;
            }),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message: `${update("prod")} (${prodMonolith}) needs the annotation kargo.akuity.io/authorized-stage: "monolith:prod" on the Application (it has null); argocd-update refuses it otherwise`,
                level,
            },
        ],
    },
    {
        name: "a dev deploy file authorizing prod",
        build: () =>
            editDeployFile(loadBaseline(), "file-dev-monolith-public", (app) => {
                at(app, "metadata.annotations")["kargo.akuity.io/authorized-stage"] = "monolith:prod";
            }),
        expected: [
            {
                policy,
                resource: "file-dev-monolith-public",
                message:
                    'Application argocd/monolith-public-dev (in deploy/dev/monolith-public.yaml) authorizes Kargo stage "monolith:prod", not the stage of its directory "dev"',
                level,
            },
            {
                policy,
                resource: "promotiontask-promote-monolith-public",
                message: `${update("dev", "monolith-public")} (Application argocd/monolith-public-dev (in deploy/dev/monolith-public.yaml)) needs the annotation kargo.akuity.io/authorized-stage: "monolith:dev" on the Application (it has "monolith:prod"); argocd-update refuses it otherwise`,
                level,
            },
        ],
    },
    ...(["prune", "selfHeal"] as const).map((key): Case => ({
        name: `the app-of-apps syncs with automated ${key}`,
        build: () =>
            editResource(loadBaseline(), "application-deploy-prod", (i) => {
                at(i, "spec.syncPolicy.automated")[key] = true;
            }),
        expected: [
            {
                policy,
                resource: "application-deploy-prod",
                message: `Application argocd/deploy-prod syncs the deploy files with automated ${key}: true; ${
                    key === "prune"
                        ? "removing a deploy file would delete a running Application"
                        : "it would revert a targetRevision argocd-update has just set"
                }`,
                level,
            },
        ],
    })),
];

const compliant: Case[] = [
    { name: "baseline", build: loadBaseline, expected: [] },
    {
        name: "argocd-update of an Application kept outside the stack is not judged",
        build: () => removeResources(loadBaseline(), "file-prod-monolith"),
        expected: [],
    },
];

describe("policy: git-owned-applications", () => {
    const pack = usePolicySession();
    itReportsExactly(pack, [...compliant, ...cases]);
});
