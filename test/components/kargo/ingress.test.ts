/**
 * Issue 9, defect 3: the Kargo 1.11.2 chart points its ingress at the TLS ports of kargo-api and
 * kargo-external-webhooks-server (templates/api/ingress.yaml), so ingress-nginx must speak HTTPS to them
 * (akuity/kargo#3198), and GitHub's webhook deliveries must see a certificate it trusts.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { KARGO_CHART_NAMESPACES } from "../../../components/config/kargo";
import { buildIngressValues, buildKargoValues } from "../../../components/kargo/kargoInstall";
import { stackConfig } from "../../support/config";
import { at } from "../../support/read";

/** charts/kargo/values.yaml of akuity/kargo at v1.11.2 (commit 20c56384dc3a), verbatim. */
const CHART_VALUES: unknown = parse(
    readFileSync(join(__dirname, "..", "..", "fixtures", "kargo-chart-1.11.2", "values.yaml"), "utf8"),
);

/** Every leaf path of `values` that the chart does not declare (free-form maps such as `{}` take anything). */
function findUnknownPaths(values: unknown, chart: unknown, path: string[] = []): string[] {
    if (!values || typeof values !== "object" || Array.isArray(values)) return [];
    const declared =
        chart && typeof chart === "object" ? (chart as Readonly<Record<string, unknown>>) : undefined;
    if (declared && Object.keys(declared).length === 0) return [];
    return Object.entries(values).flatMap(([key, value]) => {
        if (!declared || !(key in declared)) return [[...path, key].join(".")];
        if (declared[key] === null) return [];
        return findUnknownPaths(value, declared[key], [...path, key]);
    });
}

describe("Kargo ingress and TLS (chart 1.11.2)", () => {
    const prod = stackConfig("prod");

    it("sets only keys the pinned chart declares (Helm would silently ignore a misspelt one)", () => {
        for (const stack of ["dev", "prod"] as const) {
            const values = buildKargoValues(stackConfig(stack).kargo, "argocd");
            assert.deepEqual(findUnknownPaths(values, CHART_VALUES), [], stack);
        }
        // The check itself bites: a misspelt key is reported.
        assert.deepEqual(findUnknownPaths({ api: { ingres: { enabled: true } } }, CHART_VALUES), [
            "api.ingres",
        ]);
    });

    it("tells ingress-nginx to speak HTTPS to the backends, whose TLS it states rather than assumes", () => {
        const values = buildKargoValues(prod.kargo, "argocd");
        assert.equal(
            at(values, "api", "ingress", "annotations", "nginx.ingress.kubernetes.io/backend-protocol"),
            "HTTPS",
        );
        // One ingress, two backends (API on /, external webhooks server on /webhooks): both on TLS port 443.
        assert.deepEqual(at(values, "api", "tls"), { enabled: true });
        assert.deepEqual(at(values, "externalWebhooksServer", "tls"), { enabled: true });
        assert.equal(
            at(values, "externalWebhooksServer", "ingress"),
            undefined,
            "the receiver rides on the API ingress",
        );
    });

    it("presents a certificate from the configured ClusterIssuer, not the chart's self-signed one", () => {
        assert.deepEqual(buildIngressValues(prod.kargo), {
            enabled: true,
            ingressClassName: "nginx",
            annotations: {
                "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS",
                "cert-manager.io/cluster-issuer": "letsencrypt-prod",
            },
            tls: { enabled: true, selfSignedCert: false, secretName: "kargo-api-ingress-cert" },
        });
    });

    const cases: [string, Record<string, Record<string, unknown>>, Record<string, unknown>][] = [
        [
            "no issuer: the chart's self-signed certificate (UI only; a receiver is refused by config)",
            { kargo: { ingressTls: {} }, webhook: { receiver: "none" } },
            {
                annotations: { "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS" },
                tls: { enabled: true, selfSignedCert: true, secretName: "kargo-api-ingress-cert" },
            },
        ],
        [
            "another class, with its own annotations next to the stack's",
            {
                kargo: {
                    ingressClassName: "nginx-internal",
                    ingressAnnotations: { "nginx.ingress.kubernetes.io/proxy-body-size": "8m" },
                },
            },
            {
                ingressClassName: "nginx-internal",
                annotations: {
                    "nginx.ingress.kubernetes.io/proxy-body-size": "8m",
                    "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS",
                    "cert-manager.io/cluster-issuer": "letsencrypt-prod",
                },
            },
        ],
    ];
    for (const [name, sections, expected] of cases) {
        it(name, () => {
            const ingress = buildIngressValues(stackConfig("prod", sections).kargo);
            for (const [key, value] of Object.entries(expected)) assert.deepEqual(ingress[key], value, key);
        });
    }
});

describe("the namespaces the Kargo chart creates for itself", () => {
    for (const n of KARGO_CHART_NAMESPACES) {
        it(`${n.value} defaults to ${n.namespace} in the vendored chart values, and the stack leaves it`, () => {
            assert.equal(at(CHART_VALUES, ...n.value.split(".")), n.namespace);
            const values = buildKargoValues(stackConfig("prod").kargo, "argocd") as Record<string, unknown>;
            assert.equal("global" in values, false, "the stack overrides no global.* namespace");
        });
    }
});
