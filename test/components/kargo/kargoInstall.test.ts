import { strict as assert } from "node:assert";
import { KARGO_COMPONENTS } from "../../../components/config/kargo";
import {
    buildAdminSecretItem,
    buildKargoValues,
    buildPrerequisites,
    KARGO_ADMIN_SECRET,
    KARGO_CHART,
} from "../../../components/kargo/kargoInstall";
import { stackConfig } from "../../support/config";
import { at } from "../../support/read";
import { synthesizeStack } from "../../support/stacks";

describe("Kargo install", () => {
    const cfg = stackConfig("prod");

    it("sets requests and limits for every Kargo component (the chart sets none)", () => {
        const values = buildKargoValues(cfg.kargo, "argocd");
        for (const component of KARGO_COMPONENTS) {
            const r = at(values, component, "resources");
            assert.ok(
                at(r, "requests", "memory") &&
                    at(r, "limits", "memory") &&
                    at(r, "requests", "cpu") &&
                    at(r, "limits", "cpu"),
                component,
            );
        }
    });

    it("takes the admin credentials from the 1Password-backed Secret, never from values", () => {
        const values = buildKargoValues(cfg.kargo, "argocd");
        assert.deepEqual(at(values, "api", "secret"), { name: KARGO_ADMIN_SECRET });
        assert.equal(at(values, "api", "adminAccount", "passwordHash"), undefined);
        assert.equal(at(values, "api", "adminAccount", "tokenSigningKey"), undefined);
        const item = buildAdminSecretItem(cfg.kargo);
        assert.deepEqual(item.metadata.name, KARGO_ADMIN_SECRET);
        assert.equal(item.metadata.namespace, "kargo");
        assert.equal(item.spec?.itemPath, "vaults/platform/items/kargo-admin");
    });

    it("keeps CRDs on uninstall and wires the Argo integrations", () => {
        const values = buildKargoValues(cfg.kargo, "argocd");
        assert.deepEqual(values.crds, { install: true, keep: true });
        assert.deepEqual(at(values, "controller", "argocd"), {
            integrationEnabled: true,
            namespace: "argocd",
        });
        assert.deepEqual(at(values, "controller", "rollouts"), { integrationEnabled: true });
    });

    it("exposes the API (and the webhook receiver) only when a host is configured", () => {
        assert.equal(at(buildKargoValues(stackConfig("dev").kargo, "argocd"), "api", "ingress"), undefined);
        assert.equal(at(buildKargoValues(stackConfig("dev").kargo, "argocd"), "api", "host"), undefined);
    });

    it("requires cert-manager, its ClusterIssuer, Argo CD and Argo Rollouts before the controller starts", () => {
        const names = buildPrerequisites(cfg.kargo, "argocd").map(
            (p) => `${p.kind}:${p.namespace ?? ""}/${p.name}${p.floor ? ` >=${p.floor.minimum}` : ""}`,
        );
        assert.deepEqual(names, [
            "CustomResourceDefinition:/certificates.cert-manager.io",
            "CustomResourceDefinition:/issuers.cert-manager.io",
            "Deployment:cert-manager/cert-manager",
            "Deployment:cert-manager/cert-manager-webhook",
            "ClusterIssuer:/letsencrypt-prod",
            "CustomResourceDefinition:/applications.argoproj.io",
            "StatefulSet:argocd/argocd-application-controller >=2.11.0",
            "CustomResourceDefinition:/analysistemplates.argoproj.io",
            "CustomResourceDefinition:/analysisruns.argoproj.io",
            "Deployment:argo-rollouts/argo-rollouts",
        ]);
        // No ingress (dev): no issuer to read.
        assert.ok(
            !buildPrerequisites(stackConfig("dev").kargo, "argocd").some((p) => p.kind === "ClusterIssuer"),
        );
    });

    it("installs the pinned OCI chart after its namespace, admin secret and every prerequisite", async () => {
        const run = await synthesizeStack("prod");
        const release = run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release");
        assert.ok(release);
        assert.equal(release.inputs.chart, KARGO_CHART);
        assert.equal(release.inputs.version, "1.11.2");
        assert.equal(release.inputs.namespace, "kargo");
        // Kargo's own prerequisites; the platform's (components/platform) gate their own dependents.
        const reads = run.resources
            .filter((r) => r.read && r.urn.includes("KargoInstall$"))
            .map((r) => r.urn);
        const ns = run.resources.find(
            (r) => r.type === "kubernetes:core/v1:Namespace" && r.name === "kargo-namespace",
        );
        const admin = run.resources.find((r) => r.name === "kargo-admin-secret");
        for (const dep of [...reads, ns?.urn, admin?.urn])
            assert.ok(release.dependencies.includes(dep as string), `missing ${dep}`);
        assert.equal(reads.length, 10);
    });

    it("makes every Kargo project object wait for the release (its webhooks admit them)", async () => {
        const run = await synthesizeStack("prod");
        const release = run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release");
        const kargoObjects = run.resources.filter((r) => /^kubernetes:kargo\.akuity\.io\//.test(r.type));
        assert.ok(kargoObjects.length >= 6);
        for (const obj of kargoObjects) assert.ok(obj.dependencies.includes(release!.urn), obj.name);
    });
});
