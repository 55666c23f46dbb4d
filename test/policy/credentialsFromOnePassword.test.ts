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

const policy = "credentials-from-1password";
const level = "mandatory";
const label = "kargo.akuity.io/cred-type";
const secret = (name: string, credType: string, extra: Record<string, unknown>) => () =>
    addResource(loadBaseline(), "kubernetes:core/v1:Secret", `secret-${name}`, {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name, namespace: "monolith", labels: { [label]: credType } },
        ...extra,
    });
const cloneUrl = (url: string) => () =>
    editResource(loadBaseline(), "promotiontask-promote-monolith", (i) => {
        at(i, "spec.steps.0.config").repoURL = url;
    });
const cloneStep = "PromotionTask monolith/promote-monolith step 1 (git-clone) as run by Stage monolith/prod";

const cases: Case[] = [
    {
        name: "git credential Secret with literal stringData",
        build: secret("gitops-literal", "git", {
            stringData: {
                repoURL: "https://github.com/acme/platform.git",
                username: "kargo",
                password: "[secret]",
            },
        }),
        expected: [
            {
                policy,
                resource: "secret-gitops-literal",
                message: `Secret monolith/gitops-literal (${label}: git) carries literal data (stringData.password, stringData.repoURL, stringData.username); source it from a OnePasswordItem`,
                level,
            },
        ],
    },
    {
        name: "generic credential Secret with literal data",
        build: secret("webhook-literal", "generic", { data: { secret: "[secret]" } }),
        expected: [
            {
                policy,
                resource: "secret-webhook-literal",
                message: `Secret monolith/webhook-literal (${label}: generic) carries literal data (data.secret); source it from a OnePasswordItem`,
                level,
            },
        ],
    },
    {
        name: "credential Secret whose whole stringData is redacted",
        build: secret("gitops-redacted", "git", { stringData: "[secret]" }),
        expected: [
            {
                policy,
                resource: "secret-gitops-redacted",
                message: `Secret monolith/gitops-redacted (${label}: git) carries literal data (stringData); source it from a OnePasswordItem`,
                level,
            },
        ],
    },
    {
        name: "git credential declared as a Secret without data",
        build: secret("gitops-empty", "git", {}),
        expected: [
            {
                policy,
                resource: "secret-gitops-empty",
                message:
                    "Secret monolith/gitops-empty is a git credential declared as a Secret; declare a OnePasswordItem (the operator writes the Secret)",
                level,
            },
        ],
    },
    {
        name: "git credential OnePasswordItem with an itemPath the operator cannot parse",
        build: () =>
            editResource(loadBaseline(), "onepassworditem-gitops-repo", (i) => {
                at(i, "spec").itemPath = "vaults/platform/items/kargo/gitops";
            }),
        expected: [
            {
                policy,
                resource: "onepassworditem-gitops-repo",
                message:
                    'OnePasswordItem monolith/gitops-repo has itemPath "vaults/platform/items/kargo/gitops"; expected vaults/<vault>/items/<item>',
                level,
            },
        ],
    },
    {
        name: "git credential item only in an unrelated namespace",
        build: () =>
            editResource(loadBaseline(), "onepassworditem-gitops-repo", (i) => {
                at(i, "metadata").namespace = "elsewhere";
            }),
        expected: ["dev", "prod"].map((stage) => ({
            policy,
            resource: `stage-${stage}`,
            message: `Stage monolith/${stage} clones git but no OnePasswordItem labelled ${label}: git exists in namespace monolith or kargo-shared-resources`,
            level,
        })),
    },
    {
        name: "SSH git URL",
        build: cloneUrl("git@github.com:acme/platform.git"),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message: `${cloneStep} clones "git@github.com:acme/platform.git", which is not an HTTPS URL`,
                level,
            },
        ],
    },
    {
        name: "plain http git URL",
        build: cloneUrl("http://github.com/acme/platform.git"),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message: `${cloneStep} clones "http://github.com/acme/platform.git", which is not an HTTPS URL`,
                level,
            },
        ],
    },
    {
        name: "git URL from a var nobody sets",
        build: cloneUrl("${{ vars.gitRepo }}"),
        expected: [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message:
                    cloneStep +
                    ': cannot resolve repoURL "${{ vars.gitRepo }}": var "gitRepo" has no value here',
                level,
            },
        ],
    },
    {
        name: "credential Secret data unknown during preview",
        build: () =>
            removeResources(
                secret("gitops-unknown", "git", { stringData: unknown })(),
                "onepassworditem-gitops-repo",
            ),
        // Known to be a Secret-declared git credential (that part is not unknown), so only that is reported.
        expected: [
            {
                policy,
                resource: "secret-gitops-unknown",
                message:
                    "Secret monolith/gitops-unknown is a git credential declared as a Secret; declare a OnePasswordItem (the operator writes the Secret)",
                level,
            },
            ...["dev", "prod"].map((stage) => ({
                policy,
                resource: `stage-${stage}`,
                message: `Stage monolith/${stage} clones git but no OnePasswordItem labelled ${label}: git exists in namespace monolith or kargo-shared-resources`,
                level,
            })),
        ],
    },
];

const compliant: Case[] = [
    { name: "baseline", build: loadBaseline, expected: [] },
    {
        name: "git URL from a Stage var",
        build: () =>
            editResource(cloneUrl("${{ vars.gitRepo }}")(), "stage-prod", (i) => {
                at(i, "spec").vars = [{ name: "gitRepo", value: "https://github.com/acme/platform.git" }];
            }),
        expected: [],
    },
    {
        name: "git credential item in the shared resources namespace",
        build: () =>
            editResource(loadBaseline(), "onepassworditem-gitops-repo", (i) => {
                at(i, "metadata").namespace = "kargo-shared-resources";
            }),
        expected: [],
    },
    {
        name: "itemPath unknown during preview",
        build: () =>
            editResource(loadBaseline(), "onepassworditem-gitops-repo", (i) => {
                at(i, "spec").itemPath = unknown;
            }),
        expected: [],
    },
];

describe("policy: credentials-from-1password", () => {
    const pack = usePolicySession();
    itReportsExactly(pack, [...compliant, ...cases]);

    it("is not applicable, and says so, until a credential is declared", async () => {
        // The Argo CD repository Secret (credential-free, but judged as a credential holder) goes too.
        const analysis = await pack.analyze(
            removeResources(
                loadBaseline(),
                "onepassworditem-gitops-repo",
                "secret-helm-oci-ghcr-io-acme-charts",
            ),
        );
        assert.deepEqual(summarize(analysis), []);
        assert.deepEqual(
            analysis.notApplicable.filter((n) => n.policy === policy),
            [
                {
                    policy,
                    reason: `not applicable yet: no Secret labelled ${label}, no credential OnePasswordItem and no Argo CD repository Secret (3 git-clone steps will need one)`,
                },
            ],
        );
    });

    it("still checks git URLs before any credential exists", async () => {
        const resources = removeResources(
            cloneUrl("ssh://git@github.com/acme/platform.git")(),
            "onepassworditem-gitops-repo",
        );
        const analysis = await pack.analyze(resources);
        assert.deepEqual(summarize(analysis), [
            {
                policy,
                resource: "promotiontask-promote-monolith",
                message: `${cloneStep} clones "ssh://git@github.com/acme/platform.git", which is not an HTTPS URL`,
                level,
            },
        ]);
        assert.deepEqual(
            analysis.notApplicable.filter((n) => n.policy === policy),
            [],
        );
    });
});
