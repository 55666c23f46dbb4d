/**
 * Issue 9, defect 7: the opt-in chart registry credential. Builders, the fields the 1Password item must
 * carry (checked against how Kargo 1.11.2 and Argo CD v3.5.1 match them), config validation, and the real
 * program: dev (private rehearsal registry) declares both items, prod (public charts) none.
 */
import { strict as assert } from "node:assert";
import {
    buildArgocdRepoCredsItem,
    buildKargoRegistryCredentialItem,
} from "../../../components/access/registryCredential";
import {
    selectRegistryCredentialFields,
    selectRegistryPath,
} from "../../../components/config/registryCredential";
import { synthesizeStack } from "../../support/stacks";
import { stackConfig } from "../../support/config";
import { baseRaw, loadRegistry, problemsOf } from "./support";

/** Kargo pkg/urls/helm.go NormalizeChart for a ghcr.io URL: oci:// stripped, lower-cased. */
const normalizeChart = (url: string) => url.toLowerCase().replace(/^oci:\/\//, "");

describe("chart registry credential (opt-in)", () => {
    const dev = stackConfig("dev");

    it("gives Kargo a helm credential in the project namespace", () => {
        assert.deepEqual(buildKargoRegistryCredentialItem(dev), {
            apiVersion: "onepassword.com/v1",
            kind: "OnePasswordItem",
            metadata: {
                name: "chart-registry-credential",
                namespace: "monolith-rehearsal",
                labels: {
                    "app.kubernetes.io/managed-by": "pulumi",
                    "app.kubernetes.io/part-of": "release-pipeline",
                    "kargo.akuity.io/cred-type": "helm",
                },
            },
            spec: { itemPath: "vaults/platform-rehearsal/items/chart-registry-read" },
        });
    });

    it("gives Argo CD a repo-creds template in its own namespace, from the same 1Password item", () => {
        const item = buildArgocdRepoCredsItem(dev);
        assert.equal(item.metadata.namespace, "argocd");
        assert.equal(item.metadata.labels?.["argocd.argoproj.io/secret-type"], "repo-creds");
        assert.deepEqual(item.spec, { itemPath: "vaults/platform-rehearsal/items/chart-registry-read" });
    });

    it("names the fields the item must carry, and they match every chart as Kargo and Argo CD match", () => {
        const fields = selectRegistryCredentialFields(dev.charts);
        assert.deepEqual(fields, {
            repoURL: "^ghcr\\.io/acme/charts-rehearsal/[^/]+$",
            repoURLIsRegex: "true",
            url: "ghcr.io/acme/charts-rehearsal",
            type: "helm",
            enableOCI: "true",
            username: "<GitHub user or App name>",
            password: "<token with read:packages>",
        });
        for (const chart of dev.charts) {
            // Kargo: the Warehouse asks for the chart's oci:// URL; the regex matches its normalized form.
            assert.match(normalizeChart(chart.repoURL), new RegExp(fields.repoURL), chart.name);
            // Argo CD: the Helm-type source's scheme-less repoURL starts with the template's url.
            assert.ok(selectRegistryPath(chart.repoURL).startsWith(fields.url), chart.name);
        }
        assert.doesNotMatch("ghcr.io/acme/charts-rehearsal-x/monolith", new RegExp(fields.repoURL));
        assert.doesNotMatch("ghcr.io/acme/charts-rehearsal/nested/monolith", new RegExp(fields.repoURL));
    });

    it("refuses charts under more than one registry path (one credential, one path)", () => {
        const raw = baseRaw("dev");
        const charts = raw.charts as Record<string, unknown>[];
        charts[1] = { ...charts[1], repoURL: "oci://ghcr.io/acme/other/monolith-public" };
        assert.deepEqual(problemsOf(raw), [
            'release-pipeline:charts[1].repoURL: got "oci://ghcr.io/acme/other/monolith-public"; is not under oci://ghcr.io/acme/charts-rehearsal, which registryCredential covers (one credential, one registry path); allowed: oci://ghcr.io/acme/charts-rehearsal/<chart>',
        ]);
    });

    it("dev declares both items (valid against the 1Password CRD) and exports the fields; prod none", async function () {
        this.timeout(120_000);
        const registry = await loadRegistry();
        const devRun = await synthesizeStack("dev");
        const items = devRun.resources.filter(
            (r) =>
                r.type === "kubernetes:onepassword.com/v1:OnePasswordItem" &&
                r.name.startsWith("chart-registry-"),
        );
        assert.deepEqual(items.map((r) => r.name).sort(), [
            "chart-registry-argocd-item",
            "chart-registry-kargo-item",
        ]);
        for (const r of items) assert.deepEqual(registry.validateObject(r.inputs as never), [], r.name);
        assert.deepEqual(
            devRun.outputs.registryCredentialItemFields,
            selectRegistryCredentialFields(dev.charts),
        );
        const prodRun = await synthesizeStack("prod");
        assert.ok(!prodRun.resources.some((r) => r.name.startsWith("chart-registry-")));
        assert.deepEqual(prodRun.outputs.registryCredentialItemFields, {});
    });
});
