/**
 * Policy 5 (credentials-from-1password) over the chart registry's read credential (issue 9, defect 7):
 * Kargo `cred-type: helm` and Argo CD `repo-creds` come from OnePasswordItems where their readers look;
 * a credential-free Argo CD repository Secret (enableOCI only) is fine. Each violation alone.
 */
import { addResource, loadBaseline, usePolicySession, type Case, itReportsExactly } from "./helpers";

const policy = "credentials-from-1password";
const level = "mandatory";
const kargoLabel = "kargo.akuity.io/cred-type";
const argoLabel = "argocd.argoproj.io/secret-type";

const item = (name: string, namespace: string, labels: Record<string, string>, itemPath: string) => () =>
    addResource(loadBaseline(), "kubernetes:onepassword.com/v1:OnePasswordItem", `onepassworditem-${name}`, {
        apiVersion: "onepassword.com/v1",
        kind: "OnePasswordItem",
        metadata: { name, namespace, labels },
        spec: { itemPath },
    });
const secret = (name: string, namespace: string, labels: Record<string, string>, extra: object) => () =>
    addResource(loadBaseline(), "kubernetes:core/v1:Secret", `secret-${name}`, {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name, namespace, labels },
        ...extra,
    });
const ITEM = "vaults/platform/items/chart-registry-read";

const cases: Case[] = [
    {
        name: "the Kargo helm credential and the Argo CD template, each where its reader looks",
        build: () => [
            ...item("chart-registry", "monolith", { [kargoLabel]: "helm" }, ITEM)(),
            // Only the added item: the baseline is already in the first list.
            ...item("chart-repo-creds", "argocd", { [argoLabel]: "repo-creds" }, ITEM)().slice(-1),
        ],
        expected: [],
    },
    {
        name: "a credential-free Argo CD repository Secret (enableOCI) is not a credential",
        build: secret(
            "charts-oci",
            "argocd",
            { [argoLabel]: "repository" },
            {
                stringData: { url: "ghcr.io/acme/charts", type: "helm", enableOCI: "true", name: "charts" },
            },
        ),
        expected: [],
    },
    {
        name: "a helm credential in a namespace Kargo never reads",
        build: item("chart-registry", "kargo", { [kargoLabel]: "helm" }, ITEM),
        expected: [
            {
                policy,
                resource: "onepassworditem-chart-registry",
                message: `OnePasswordItem kargo/chart-registry (${kargoLabel}: helm) is in no namespace Kargo reads credentials from (monolith, kargo-shared-resources)`,
                level,
            },
        ],
    },
    {
        name: "a repo-creds template outside the Argo CD namespace",
        build: item("chart-repo-creds", "monolith", { [argoLabel]: "repo-creds" }, ITEM),
        expected: [
            {
                policy,
                resource: "onepassworditem-chart-repo-creds",
                message: `OnePasswordItem monolith/chart-repo-creds (${argoLabel}: repo-creds) is not in the Argo CD namespace (argocd), where Argo CD reads repository credentials`,
                level,
            },
        ],
    },
    {
        name: "a helm credential item with a malformed itemPath",
        build: item("chart-registry", "monolith", { [kargoLabel]: "helm" }, "platform/chart-registry-read"),
        expected: [
            {
                policy,
                resource: "onepassworditem-chart-registry",
                message: `OnePasswordItem monolith/chart-registry has itemPath "platform/chart-registry-read"; expected vaults/<vault>/items/<item>`,
                level,
            },
        ],
    },
    {
        name: "a helm credential declared as a Secret",
        build: secret("chart-registry", "monolith", { [kargoLabel]: "helm" }, {}),
        expected: [
            {
                policy,
                resource: "secret-chart-registry",
                message:
                    "Secret monolith/chart-registry is a helm credential declared as a Secret; declare a OnePasswordItem (the operator writes the Secret)",
                level,
            },
        ],
    },
    {
        name: "an Argo CD credential template declared as a Secret",
        build: secret("chart-repo-creds", "argocd", { [argoLabel]: "repo-creds" }, {}),
        expected: [
            {
                policy,
                resource: "secret-chart-repo-creds",
                message: `Secret argocd/chart-repo-creds is an Argo CD credential template (${argoLabel}: repo-creds) declared as a Secret; declare a OnePasswordItem (the operator writes the Secret)`,
                level,
            },
        ],
    },
    {
        name: "an Argo CD repository Secret with a literal password",
        build: secret(
            "charts-oci",
            "argocd",
            { [argoLabel]: "repository" },
            {
                stringData: {
                    url: "ghcr.io/acme/charts",
                    type: "helm",
                    enableOCI: "true",
                    username: "ci",
                    password: "[secret]",
                },
            },
        ),
        expected: [
            {
                policy,
                resource: "secret-charts-oci",
                message: `Secret argocd/charts-oci (${argoLabel}: repository) carries literal credentials (stringData.password, stringData.username); keep the repository Secret credential-free and source the credential from a OnePasswordItem labelled ${argoLabel}: repo-creds`,
                level,
            },
        ],
    },
];

describe("policy: credentials-from-1password (registry credentials)", function () {
    this.timeout(120_000);
    itReportsExactly(usePolicySession(), cases);
});
