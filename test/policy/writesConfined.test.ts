import {
    at,
    editResource,
    loadBaseline,
    unknown,
    usePolicySession,
    type Case,
    itReportsExactly,
} from "./helpers";

const policy = "writes-confined";
const level = "mandatory";
type Step = Record<string, unknown>;
const editSteps =
    (edit: (steps: Step[]) => void, task = "promotiontask-promote-monolith") =>
    () =>
        editResource(loadBaseline(), task, (i) => edit(at(i, "spec.steps") as unknown as Step[]));
const setPath = (path: string) =>
    editSteps((steps) => {
        at(steps[1], "config").path = path;
    });
const where = "PromotionTask monolith/promote-monolith step 2 (yaml-update) as run by Stage monolith/prod";
const outside = (path: string, resolved?: string) => ({
    policy,
    resource: "promotiontask-promote-monolith",
    message: `${where} writes path ${JSON.stringify(path)}${resolved ? ` (= ${JSON.stringify(resolved)})` : ""}, outside ./repo/deploy/`,
    level,
});

const cases: Case[] = [
    {
        name: "yaml-update outside the deploy directory",
        build: setPath("./repo/.github/workflows/release.yaml"),
        expected: [outside("./repo/.github/workflows/release.yaml")],
    },
    {
        name: "path that climbs out of the deploy directory with ..",
        build: setPath("./repo/deploy/../chart/Chart.yaml"),
        expected: [outside("./repo/deploy/../chart/Chart.yaml")],
    },
    {
        name: "path that leaves the workspace",
        build: setPath("../../etc/passwd"),
        expected: [outside("../../etc/passwd")],
    },
    {
        name: "path built from a Stage var that points elsewhere",
        build: () =>
            editResource(setPath("./repo/${{ vars.dir }}/monolith.yaml")(), "stage-prod", (i) => {
                at(i, "spec").vars = [{ name: "dir", value: "charts" }];
            }),
        expected: [outside("./repo/${{ vars.dir }}/monolith.yaml", "./repo/charts/monolith.yaml")],
    },
    {
        name: "path from a task var whose value comes from the Stage's task step",
        build: () => {
            const resources = editSteps((steps) => {
                at(steps[1], "config").path = "${{ vars.deployFile }}";
            })();
            editResource(resources, "promotiontask-promote-monolith", (i) => {
                at(i, "spec").vars = [{ name: "app" }, { name: "deployFile" }];
            });
            return editResource(resources, "stage-prod", (i) => {
                (at(i, "spec.promotionTemplate.spec.steps.0.vars") as unknown as Step[]).push({
                    name: "deployFile",
                    value: "./repo/README.md",
                });
            });
        },
        expected: [outside("${{ vars.deployFile }}", "./repo/README.md")],
    },
    {
        name: "a ClusterPromotionTask's write is checked as the Stage runs it",
        build: () => {
            const resources = setPath("./repo/Chart.yaml")().map((r) =>
                r.name === "promotiontask-promote-monolith"
                    ? {
                          ...r,
                          type: "kubernetes:kargo.akuity.io/v1alpha1:ClusterPromotionTask",
                          inputs: {
                              ...r.inputs,
                              kind: "ClusterPromotionTask",
                              metadata: { name: "promote-monolith" },
                          },
                      }
                    : r,
            );
            return editResource(resources, "stage-prod", (i) => {
                at(i, "spec.promotionTemplate.spec.steps.0.task").kind = "ClusterPromotionTask";
            });
        },
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message:
                    'ClusterPromotionTask promote-monolith step 2 (yaml-update) as run by Stage monolith/prod writes path "./repo/Chart.yaml", outside ./repo/deploy/',
                level,
            },
        ],
    },
    {
        name: "path the policy cannot resolve",
        build: setPath("./repo/deploy/${{ outputs.pick.file }}"),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message:
                    where +
                    ' writes path "./repo/deploy/${{ outputs.pick.file }}", which cannot be resolved (expression "outputs.pick.file" cannot be evaluated statically), so it cannot be shown to stay under deploy/',
                level,
            },
        ],
    },
    {
        name: "a second write step (copy) outside the deploy directory",
        build: editSteps((steps) => {
            steps.splice(2, 0, {
                uses: "copy",
                config: { inPath: "./repo/deploy/dev/monolith.yaml", outPath: "./repo/Chart.yaml" },
            });
        }),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message:
                    'PromotionTask monolith/promote-monolith step 3 (copy) as run by Stage monolith/prod writes outPath "./repo/Chart.yaml", outside ./repo/deploy/',
                level,
            },
        ],
    },
    {
        name: "git-clear of the whole checkout",
        build: editSteps((steps) => {
            steps.splice(1, 0, { uses: "git-clear", config: { path: "./repo" } });
        }),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message:
                    'PromotionTask monolith/promote-monolith step 2 (git-clear) as run by Stage monolith/prod writes path "./repo", outside ./repo/deploy/',
                level,
            },
        ],
    },
    {
        name: "writes without cloning anything",
        build: editSteps((steps) => {
            steps.splice(0, 1);
        }),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message:
                    'PromotionTask monolith/promote-monolith step 1 (yaml-update) as run by Stage monolith/prod writes path "./repo/deploy/${{ ctx.stage }}/monolith.yaml" (= "./repo/deploy/prod/monolith.yaml"), outside the deploy/ directory of a repository cloned by an earlier step (there is none)',
                level,
            },
        ],
    },
    {
        name: "clones a repository that is not the configured GitOps repository",
        build: loadBaseline,
        config: { "writes-confined": { gitRepoURLs: ["https://github.com/acme/gitops.git"] } },
        // Stages in order (dev, prod); prod runs promote-monolith, then promote-monolith-public.
        expected: [
            ["monolith-public", "dev"],
            ["monolith", "prod"],
            ["monolith-public", "prod"],
        ]
            .map(([chart, stage]) => ({
                policy,
                resource: `promotiontask-promote-${chart}`,
                message: `PromotionTask monolith/promote-${chart} step 1 (git-clone) as run by Stage monolith/${stage} clones "https://github.com/acme/platform.git", which is not one of gitRepoURLs ["https://github.com/acme/gitops.git"]`,
                level,
            }))
            .concat(
                // The deploy files the stack bootstraps are commits to that other repository too.
                [
                    ["dev", "monolith-public"],
                    ["prod", "monolith"],
                    ["prod", "monolith-public"],
                ].map(([stage, chart]) => ({
                    policy,
                    resource: `file-${stage}-${chart}`,
                    message: `RepositoryFile file-${stage}-${chart} commits to repository "platform", not one of gitRepoURLs ["https://github.com/acme/gitops.git"]`,
                    level,
                })),
            ),
    },
    {
        name: "deploy directory configured elsewhere",
        build: loadBaseline,
        config: { "writes-confined": { deployDirectory: "environments" } },
        expected: [
            ["monolith-public", "dev"],
            ["monolith", "prod"],
            ["monolith-public", "prod"],
        ]
            .map(([chart, stage]) => ({
                policy,
                resource: `promotiontask-promote-${chart}`,
                message:
                    `PromotionTask monolith/promote-${chart} step 2 (yaml-update) as run by Stage monolith/${stage} writes path "./repo/deploy/` +
                    "${{ ctx.stage }}" +
                    `/${chart}.yaml" (= "./repo/deploy/${stage}/${chart}.yaml"), outside ./repo/environments/`,
                level,
            }))
            .concat(
                [
                    ["dev", "monolith-public"],
                    ["prod", "monolith"],
                    ["prod", "monolith-public"],
                ].map(([stage, chart]) => ({
                    policy,
                    resource: `file-${stage}-${chart}`,
                    message: `RepositoryFile file-${stage}-${chart} commits "deploy/${stage}/${chart}.yaml", outside environments/`,
                    level,
                })),
            ),
    },
    {
        name: "the stack commits a file outside the deploy directory",
        build: () =>
            editResource(loadBaseline(), "file-prod-monolith", (i) => {
                i.file = ".github/workflows/deploy.yaml";
            }),
        expected: [
            {
                policy,
                resource: "file-prod-monolith",
                message:
                    'RepositoryFile file-prod-monolith commits ".github/workflows/deploy.yaml", outside deploy/',
                level,
            },
        ],
    },
    ...[
        ["a misspelt revision key", [{ key: "spec.source.targetRevison", value: "1.0.0" }], [0]],
        ["a revision key in the wrong case", [{ key: "spec.source.TargetRevision", value: "1.0.0" }], [0]],
        ["a key of another field", [{ key: "spec.destination.namespace", value: "kube-system" }], [0]],
        ["an update without a key", [{ value: "1.0.0" }], [0]],
    ].map(([name, updates, bad]) => ({
        name: name as string,
        build: editSteps((steps) => {
            at(steps[1], "config").updates = updates;
        }),
        expected: (bad as number[]).map((i) => ({
            policy,
            resource: "promotiontask-promote-monolith",
            message: `${where} writes key ${JSON.stringify((updates as Step[])[i].key)} (updates[${i}]), which does not match writableKeyPattern /(^|\\.)targetRevision$/: a misspelt key adds a field nothing reads`,
            level,
        })),
    })),
    {
        name: "a misspelt second update beside the real one",
        build: editSteps((steps) => {
            const config = at(steps[1], "config");
            const [real] = config.updates as unknown as Step[];
            config.updates = [real, { ...real, key: "spec.source.targetRevisions" }];
        }),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message: `${where} writes key "spec.source.targetRevisions" (updates[1]), which does not match writableKeyPattern /(^|\\.)targetRevision$/: a misspelt key adds a field nothing reads`,
                level,
            },
        ],
    },
    {
        name: "a json-update with a misspelt key",
        build: editSteps((steps) => {
            steps[1] = { ...steps[1], uses: "json-update" };
            at(steps[1], "config").updates = [{ key: "spec.source.targetrevision", value: "1.0.0" }];
        }),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message:
                    'PromotionTask monolith/promote-monolith step 2 (json-update) as run by Stage monolith/prod writes key "spec.source.targetrevision" (updates[0]), which does not match writableKeyPattern /(^|\\.)targetRevision$/: a misspelt key adds a field nothing reads',
                level,
            },
        ],
    },
];

const compliant: Case[] = [
    {
        name: "another key the configured writableKeyPattern allows",
        build: editSteps((steps) => {
            at(steps[1], "config").updates = [{ key: "spec.source.helm.parameters.0.value", value: "x" }];
        }),
        config: {
            "writes-confined": {
                writableKeyPattern: "^spec\\.source\\.(targetRevision|helm\\.parameters\\.\\d+\\.value)$",
            },
        },
        expected: [],
    },
    {
        name: "keys unknown during preview",
        build: editSteps((steps) => {
            at(steps[1], "config").updates = unknown;
        }),
        expected: [],
    },
    { name: "baseline", build: loadBaseline, expected: [] },
    {
        name: "path from a task var the Stage sets inside the deploy directory",
        build: () => {
            const resources = setPath("${{ vars.deployFile }}")();
            return editResource(resources, "stage-prod", (i) => {
                (at(i, "spec.promotionTemplate.spec.steps.0.vars") as unknown as Step[]).push({
                    name: "deployFile",
                    value: "./repo/deploy/prod/monolith.yaml",
                });
            });
        },
        expected: [],
    },
    { name: "path unknown during preview", build: setPath(unknown), expected: [] },
];

describe("policy: writes-confined", () => {
    const pack = usePolicySession();
    itReportsExactly(pack, [...compliant, ...cases]);
});
