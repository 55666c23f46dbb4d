/**
 * Issue 9, defects 3 and 9: a webhook receiver needs a host GitHub can reach and a certificate GitHub
 * trusts, and the ingress annotations the stack owns cannot be overridden. Each violation alone, its
 * message asserted (components/config/kargoChecks.ts).
 */
import { strict as assert } from "node:assert";
import { ConfigError, validateStackConfig } from "../../../components/config";
import { buildPipelineObjects } from "../../../components/pipeline/promotionPipeline";
import { stackConfig, stackRaw } from "../../support/config";

function problemsOf(stack: "dev" | "prod", sections: Record<string, Record<string, unknown>>): string[] {
    const raw = stackRaw(stack);
    for (const [key, value] of Object.entries(sections)) raw[key] = { ...(raw[key] as object), ...value };
    try {
        validateStackConfig(raw);
        return [];
    } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        return [...err.problems];
    }
}

const NO_HOST =
    'release-pipeline:webhook.receiver: got "github"; needs kargo.apiHost: without it Kargo publishes the receiver at https://localhost/webhooks/…, which GitHub cannot reach; allowed: set kargo.apiHost, or webhook.receiver: none (the Warehouses poll)';
const NO_ISSUER =
    "release-pipeline:webhook.receiver: got \"github\"; needs kargo.ingressTls.clusterIssuer: the chart's default ingress certificate is self-signed and GitHub refuses to deliver to it (SSL verification stays on); allowed: a cert-manager ClusterIssuer GitHub's clients trust, or webhook.receiver: none";

describe("Kargo exposure config", () => {
    const cases: [string, "dev" | "prod", Record<string, Record<string, unknown>>, string[]][] = [
        ["the shipped prod stack (receiver, host, issuer)", "prod", {}, []],
        ["the shipped dev stack (no host, no receiver: it polls)", "dev", {}, []],
        [
            "a receiver on a stack without kargo.apiHost (dev)",
            "dev",
            { webhook: { receiver: "github" }, kargo: { ingressTls: { clusterIssuer: "letsencrypt-prod" } } },
            [NO_HOST],
        ],
        [
            "a receiver behind the chart's self-signed certificate",
            "prod",
            { kargo: { apiHost: "kargo.acme.dev", ingressTls: {} } },
            [NO_ISSUER],
        ],
        [
            "an ingress annotation the stack owns",
            "prod",
            { kargo: { ingressAnnotations: { "nginx.ingress.kubernetes.io/backend-protocol": "HTTP" } } },
            [
                'release-pipeline:kargo.ingressAnnotations.nginx.ingress.kubernetes.io/backend-protocol: got "HTTP"; is set by the stack (backend TLS and the issuer come from kargo.ingressTls); allowed: any other annotation',
            ],
        ],
        [
            "an issuer name that is not a DNS subdomain",
            "prod",
            { kargo: { ingressTls: { clusterIssuer: "Lets_Encrypt" } } },
            [
                `release-pipeline:kargo.ingressTls.clusterIssuer: got "Lets_Encrypt"; expected a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters`,
            ],
        ],
        [
            "an unknown receiver",
            "prod",
            { webhook: { receiver: "gitlab" } },
            [
                'release-pipeline:webhook.receiver: got "gitlab"; Invalid option: expected one of "none"|"github"',
            ],
        ],
    ];
    for (const [name, stack, sections, expected] of cases) {
        it(`${expected.length ? "rejects" : "accepts"} ${name}`, () =>
            assert.deepEqual(problemsOf(stack, sections), expected));
    }

    it("declares the receiver and its secret only with webhook.receiver github", () => {
        const prod = buildPipelineObjects(stackConfig("prod"));
        const dev = buildPipelineObjects(stackConfig("dev"));
        assert.deepEqual((prod.projectConfig.spec as { webhookReceivers?: unknown }).webhookReceivers, [
            { name: "github", github: { secretRef: { name: "github-webhook" } } },
        ]);
        assert.equal(
            (prod.webhookSecret?.spec as { itemPath?: string }).itemPath,
            "vaults/platform/items/kargo-github-webhook",
        );
        assert.equal("webhookReceivers" in (dev.projectConfig.spec as object), false);
        assert.equal(dev.webhookSecret, undefined);
    });
});
