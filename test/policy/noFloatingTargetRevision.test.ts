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

const policy = "no-floating-target-revision";
const level = "mandatory";
const app = "Application argocd/monolith (in deploy/prod/monolith.yaml)";
const pin = "pin an exact version such as 1.4.2";
const setRevision = (value: unknown) => () =>
    editDeployFile(loadBaseline(), "file-prod-monolith", (i) => {
        at(i, "spec.source").targetRevision = value;
    });
const revisionCase = (name: string, value: unknown, form: string): Case => ({
    name,
    build: setRevision(value),
    expected: [
        {
            policy,
            resource: "file-prod-monolith",
            message: `${app}: spec.source.targetRevision is ${JSON.stringify(value)}, ${form}; ${pin}`,
            level,
        },
    ],
});
const taskStep =
    (edit: (step: Record<string, unknown>) => void, task = "promotiontask-promote-monolith", step = 1) =>
    () =>
        editResource(loadBaseline(), task, (i) =>
            edit((at(i, "spec.steps") as unknown as Record<string, unknown>[])[step]),
        );
const yamlValue = (value: string) =>
    taskStep((step) => {
        at(step, "config.updates.0").value = value;
    });
const chartFromShape = "${{ chartFrom(<Warehouse repoURL>).Version }}";
const taskWhere = (stage: string) =>
    `PromotionTask monolith/promote-monolith step 2 (yaml-update) as run by Stage monolith/${stage}`;

const cases: Case[] = [
    revisionCase("wildcard *", "*", "a wildcard (*)"),
    revisionCase("HEAD", "HEAD", "HEAD"),
    revisionCase("branch name main", "main", "a branch or tag name"),
    revisionCase("branch name release/1.x", "release/1.x", "a branch or tag name"),
    revisionCase("empty value", "", "empty (Argo CD and Helm then take the latest/HEAD)"),
    revisionCase("caret range ^", "^0.182.0", "a caret range (^)"),
    revisionCase("tilde range ~", "~0.182.0", "a tilde range (~)"),
    revisionCase("comparison range >=", ">=0.182.0", "a comparison range (>=, >, <, <=, =)"),
    revisionCase("x-range 0.x", "0.x", "an x-range (x, X or * in a version part)"),
    revisionCase("x-range 0.182.x", "0.182.x", "an x-range (x, X or * in a version part)"),
    revisionCase("partial version 1.2", "1.2", "a partial version (missing minor or patch)"),
    revisionCase("partial version given as a YAML number", 1.2, "a partial version (missing minor or patch)"),
    revisionCase("digest sha256:…", `sha256:${"a".repeat(64)}`, "a digest"),
    {
        name: "targetRevision missing altogether",
        build: () =>
            editDeployFile(loadBaseline(), "file-prod-monolith", (i) => {
                delete at(i, "spec.source").targetRevision;
            }),
        expected: [
            {
                policy,
                resource: "file-prod-monolith",
                message: `${app}: spec.source.targetRevision is not set, empty (Argo CD and Helm then take the latest/HEAD); ${pin}`,
                level,
            },
        ],
    },
    {
        name: "multi-source Application with one floating source",
        build: () =>
            editDeployFile(loadBaseline(), "file-prod-monolith", (i) => {
                const spec = at(i, "spec");
                spec.sources = [
                    spec.source,
                    { repoURL: "https://github.com/acme/values.git", targetRevision: "main", ref: "values" },
                ];
                delete spec.source;
            }),
        expected: [
            {
                policy,
                resource: "file-prod-monolith",
                message: `${app}: spec.sources[1].targetRevision is "main", a branch or tag name; ${pin}`,
                level,
            },
        ],
    },
    {
        name: "a dev deploy file with a floating revision (every deploy file is judged)",
        build: () =>
            editDeployFile(loadBaseline(), "file-dev-monolith-public", (i) => {
                at(i, "spec.source").targetRevision = "latest";
            }),
        expected: [
            {
                policy,
                resource: "file-dev-monolith-public",
                message: `Application argocd/monolith-public-dev (in deploy/dev/monolith-public.yaml): spec.source.targetRevision is "latest", a branch or tag name; ${pin}`,
                level,
            },
        ],
    },
    {
        name: "the app-of-apps follows HEAD (only a named branch of the deploy files is allowed)",
        build: () =>
            editResource(loadBaseline(), "application-deploy-prod", (i) => {
                at(i, "spec.source").targetRevision = "HEAD";
            }),
        expected: [
            {
                policy,
                resource: "application-deploy-prod",
                message: `Application argocd/deploy-prod: spec.source.targetRevision is "HEAD", HEAD; ${pin}`,
                level,
            },
        ],
    },
    {
        name: "a declared Application following a branch outside the deploy directory",
        build: () =>
            editResource(loadBaseline(), "application-deploy-prod", (i) => {
                at(i, "spec.source").path = "apps/prod";
            }),
        expected: [
            {
                policy,
                resource: "application-deploy-prod",
                message: `Application argocd/deploy-prod: spec.source.targetRevision is "main", a branch or tag name; ${pin}`,
                level,
            },
        ],
    },
    {
        name: "ApplicationSet template with a floating revision",
        build: () =>
            addResource(
                loadBaseline(),
                "kubernetes:argoproj.io/v1alpha1:ApplicationSet",
                "applicationset-previews",
                {
                    apiVersion: "argoproj.io/v1alpha1",
                    kind: "ApplicationSet",
                    metadata: { name: "previews", namespace: "argocd" },
                    spec: {
                        generators: [{ list: { elements: [] } }],
                        template: {
                            metadata: { name: "preview" },
                            spec: {
                                source: {
                                    repoURL: "oci://ghcr.io/acme/charts/monolith",
                                    path: ".",
                                    targetRevision: "*",
                                },
                            },
                        },
                    },
                },
            ),
        expected: [
            {
                policy,
                resource: "applicationset-previews",
                message: `ApplicationSet argocd/previews: spec.template.spec.source.targetRevision is "*", a wildcard (*); ${pin}`,
                level,
            },
        ],
    },
    {
        name: "promotion writes a literal version instead of chartFrom()",
        build: yamlValue("0.183.0"),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message:
                    `${taskWhere("prod")} writes spec.source.targetRevision, but "0.183.0" is not ` +
                    chartFromShape,
                level,
            },
        ],
    },
    {
        name: "chartFrom() argument differs from the Warehouse repoURL (trailing slash)",
        build: yamlValue('${{ chartFrom("oci://ghcr.io/acme/charts/monolith/").Version }}'),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message: `${taskWhere("prod")} writes spec.source.targetRevision from chartFrom("oci://ghcr.io/acme/charts/monolith/"), which matches no Warehouse chart repoURL exactly (Warehouses: "oci://ghcr.io/acme/charts/monolith", "oci://ghcr.io/acme/charts/monolith-public")`,
                level,
            },
        ],
    },
    {
        name: "chartFrom() argument from a var the Stage never sets",
        build: yamlValue("${{ chartFrom(vars.chartRepo).Version }}"),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message: `${taskWhere("prod")} writes spec.source.targetRevision, but the chartFrom() argument cannot be resolved: var "chartRepo" has no value here`,
                level,
            },
        ],
    },
    {
        name: "argocd-update rewrites targetRevision to something other than the Freight version",
        build: taskStep(
            (step) => {
                at(step, "config.apps.0.sources.0").desiredRevision = "main";
            },
            "promotiontask-promote-monolith",
            4,
        ),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message:
                    'PromotionTask monolith/promote-monolith step 5 (argocd-update) as run by Stage monolith/prod writes apps[0].sources[0].desiredRevision, but "main" is not ' +
                    chartFromShape,
                level,
            },
        ],
    },
    {
        name: "Stage uses a PromotionTask the stack does not declare",
        build: () =>
            editResource(loadBaseline(), "stage-dev", (i) => {
                at(i, "spec.promotionTemplate.spec.steps.0.task").name = "promote-elsewhere";
            }),
        expected: ["no-floating-target-revision", "writes-confined"].map((p) => ({
            policy: p,
            resource: "stage-dev",
            message:
                'Stage monolith/dev step 1 uses PromotionTask "promote-elsewhere", which this stack does not declare, so its steps cannot be checked',
            level,
        })),
    },
];

const compliant: Case[] = [
    { name: "baseline", build: loadBaseline, expected: [] },
    { name: "exact version with a pre-release", build: setRevision("0.183.0-rc.1"), expected: [] },
    {
        name: "chartFrom() argument from a Stage var with the exact repoURL, wrapped in quote() and ?.",
        build: () => {
            const resources = yamlValue("${{ quote(chartFrom(vars.chartRepo)?.Version) }}")();
            return editResource(resources, "stage-prod", (i) => {
                at(i, "spec").vars = [{ name: "chartRepo", value: "oci://ghcr.io/acme/charts/monolith" }];
            });
        },
        expected: [],
    },
    { name: "targetRevision unknown during preview", build: setRevision(unknown), expected: [] },
    { name: "promotion value unknown during preview", build: yamlValue(unknown), expected: [] },
];

describe("policy: no-floating-target-revision", () => {
    const pack = usePolicySession();
    itReportsExactly(pack, [...compliant, ...cases]);
});
