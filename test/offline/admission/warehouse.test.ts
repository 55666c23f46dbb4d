import { strict as assert } from "node:assert";
import { validateWarehouse } from "../../../offline/admission/warehouse";
import { PROJECT_P, describeRule, kargo } from "./helpers";

const warehouse = (...subscriptions: unknown[]) => kargo("Warehouse", "charts", "p", { subscriptions });
const chart = (c: Record<string, unknown>) => ({ chart: c });
const OCI = "oci://ghcr.io/acme/charts/monolith";

describeRule(
    "Warehouse: chartSubscriber.ValidateSubscription (subscription/chart.go)",
    (o) => validateWarehouse(o),
    [
        {
            name: "an oci:// chart subscription with a name",
            rejects: warehouse(chart({ repoURL: OCI, name: "monolith" })),
            path: "/spec/subscriptions/0/chart/name",
            message: "must be empty if repoURL starts with oci://",
            accepts: warehouse(chart({ repoURL: OCI })),
        },
        {
            name: "an https chart subscription without a name",
            rejects: warehouse(chart({ repoURL: "https://charts.example.com" })),
            path: "/spec/subscriptions/0/chart/name",
            message: "must be non-empty if repoURL starts with http:// or https://",
            accepts: warehouse(chart({ repoURL: "https://charts.example.com", name: "monolith" })),
        },
        {
            name: "a chart repository URL without a scheme",
            rejects: warehouse(chart({ repoURL: "ghcr.io/acme/charts/monolith" })),
            path: "/spec/subscriptions/0/chart/repoURL",
            message: "must be a valid Helm repository URL",
            accepts: warehouse(chart({ repoURL: OCI })),
        },
        {
            name: "an npm-style semver range Masterminds cannot parse",
            rejects: warehouse(chart({ repoURL: OCI, semverConstraint: "latest" })),
            path: "/spec/subscriptions/0/chart/semverConstraint",
            message: 'Invalid value: "latest" (improper constraint: latest)',
            accepts: warehouse(chart({ repoURL: OCI, semverConstraint: ">=1.0.0, <2" })),
        },
        {
            name: "a discovery limit above 100",
            rejects: warehouse(chart({ repoURL: OCI, discoveryLimit: 101 })),
            path: "/spec/subscriptions/0/chart/discoveryLimit",
            message: "must be <= 100",
            accepts: warehouse(chart({ repoURL: OCI, discoveryLimit: 100 })),
        },
    ],
);

describeRule(
    "Warehouse: gitSubscriber.ValidateSubscription (subscription/git.go)",
    (o) => validateWarehouse(o),
    [
        {
            name: "a branch name ending in a dot",
            rejects: warehouse({ git: { repoURL: "https://github.com/acme/app.git", branch: "release." } }),
            path: "/spec/subscriptions/0/git/branch",
            message: "must be a valid branch name",
            accepts: warehouse({
                git: { repoURL: "https://github.com/acme/app.git", branch: "release/1.x" },
            }),
        },
        {
            name: "an unknown commit selection strategy",
            rejects: warehouse({
                git: { repoURL: "https://github.com/acme/app", commitSelectionStrategy: "Newest" },
            }),
            path: "/spec/subscriptions/0/git/commitSelectionStrategy",
            message: /^Unsupported value: "Newest"/,
            accepts: warehouse({
                git: { repoURL: "https://github.com/acme/app", commitSelectionStrategy: "NewestTag" },
            }),
        },
        {
            name: "a git URL that is not one",
            rejects: warehouse({ git: { repoURL: "github.com/acme/app" } }),
            path: "/spec/subscriptions/0/git/repoURL",
            message: "must be a valid Git repository URL",
            accepts: warehouse({ git: { repoURL: "git@github.com:acme/app.git" } }),
        },
    ],
);

describeRule(
    "Warehouse: imageSubscriber.ValidateSubscription (subscription/image.go)",
    (o) => validateWarehouse(o),
    [
        {
            name: "a Digest strategy without a constraint",
            rejects: warehouse({ image: { repoURL: "ghcr.io/acme/app", imageSelectionStrategy: "Digest" } }),
            path: "/spec/subscriptions/0/image/constraint",
            message: "must be set when imageSelectionStrategy is Digest",
            accepts: warehouse({
                image: { repoURL: "ghcr.io/acme/app", imageSelectionStrategy: "Digest", constraint: "main" },
            }),
        },
        {
            name: "a platform without an architecture",
            rejects: warehouse({ image: { repoURL: "ghcr.io/acme/app", platform: "linux" } }),
            path: "/spec/subscriptions/0/image/platform",
            message: "must be in format <os>/<arch>",
            accepts: warehouse({ image: { repoURL: "ghcr.io/acme/app", platform: "linux/arm64" } }),
        },
        {
            name: "an image URL with a scheme",
            rejects: warehouse({ image: { repoURL: "https://ghcr.io/acme/app" } }),
            path: "/spec/subscriptions/0/image/repoURL",
            message: "must be a valid image repository URL",
            accepts: warehouse({ image: { repoURL: "localhost:5000/acme/app" } }),
        },
    ],
);

describeRule(
    "Warehouse: validateSub registry lookup and uniqueSubSet.addSub (warehouse/webhook.go)",
    (o) => validateWarehouse(o),
    [
        {
            name: "a subscription kind no subscriber handles",
            rejects: warehouse({ helm: { repoURL: OCI } }),
            path: "/spec/subscriptions/0/helm",
            message: "subscriber registry lookup failed: no matching registration found",
            accepts: warehouse(chart({ repoURL: OCI })),
        },
        {
            name: "the same OCI chart twice, spelled differently",
            rejects: warehouse(
                chart({ repoURL: OCI }),
                chart({ repoURL: "oci://GHCR.io/acme/charts/monolith" }),
            ),
            path: "/spec/subscriptions/1/chart/repoURL",
            message: /^subscription for chart already exists at "spec.subscriptions\[0\].chart"/,
            accepts: warehouse(
                chart({ repoURL: OCI }),
                chart({ repoURL: "oci://ghcr.io/acme/charts/monolith-public" }),
            ),
        },
        {
            name: "the same https chart twice",
            rejects: warehouse(
                chart({ repoURL: "https://charts.example.com", name: "a" }),
                chart({ repoURL: "https://charts.example.com", name: "a" }),
            ),
            path: "/spec/subscriptions/1/chart/repoURL",
            message: /^subscription for chart "a" already exists/,
            accepts: warehouse(
                chart({ repoURL: "https://charts.example.com", name: "a" }),
                chart({ repoURL: "https://charts.example.com", name: "b" }),
            ),
        },
        {
            name: "the same Git repository with and without .git",
            rejects: warehouse(
                { git: { repoURL: "https://github.com/acme/app" } },
                { git: { repoURL: "https://github.com/acme/app.git/" } },
            ),
            path: "/spec/subscriptions/1/git/repoURL",
            message: /^subscription for Git repository already exists/,
            accepts: warehouse(
                { git: { repoURL: "https://github.com/acme/app" } },
                { git: { repoURL: "https://github.com/acme/ops" } },
            ),
        },
        {
            name: "the same Docker Hub image with and without docker.io/library",
            rejects: warehouse(
                { image: { repoURL: "nginx" } },
                { image: { repoURL: "docker.io/library/nginx" } },
            ),
            path: "/spec/subscriptions/1/image/repoURL",
            message: /^subscription for image repository already exists/,
            accepts: warehouse(
                { image: { repoURL: "nginx" } },
                { image: { repoURL: "ghcr.io/library/nginx" } },
            ),
        },
    ],
);

describe("Warehouse in its project", () => {
    it("checks the namespace when a cluster is given", () => {
        assert.deepEqual(validateWarehouse(warehouse(chart({ repoURL: OCI })), PROJECT_P), []);
        assert.equal(
            validateWarehouse(kargo("Warehouse", "w", "q", { subscriptions: [] }), PROJECT_P)[0]?.message,
            'Namespace "q" not found',
        );
    });
});
