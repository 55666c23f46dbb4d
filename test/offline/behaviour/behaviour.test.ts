/**
 * The behaviour rules, each violation alone against a compliant object (table-driven), messages asserted.
 */
import { strict as assert } from "node:assert";
import { validateBehaviourAll } from "../../../offline/behaviour";

type Obj = Record<string, unknown>;

const ingress = (edit: (spec: Obj, meta: Obj) => void = () => undefined): Obj => {
    const meta: Obj = {
        name: "kargo-api",
        namespace: "kargo",
        annotations: { "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS" },
    };
    const spec: Obj = {
        ingressClassName: "nginx",
        rules: [
            {
                host: "k.example",
                http: {
                    paths: [
                        {
                            path: "/",
                            pathType: "Prefix",
                            backend: { service: { name: "kargo-api", port: { number: 443 } } },
                        },
                    ],
                },
            },
        ],
    };
    edit(spec, meta);
    return { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: meta, spec };
};

const application = (
    source: Obj,
    annotations: Record<string, string> = { "kargo.akuity.io/authorized-stage": "shop:prod" },
): Obj => ({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name: "shop", namespace: "argocd", annotations },
    spec: {
        project: "default",
        source,
        destination: { server: "https://kubernetes.default.svc", namespace: "shop" },
    },
});

const HELM = { repoURL: "ghcr.io/acme/charts", chart: "shop", targetRevision: "1.2.3" };
const VERSION = '${{ chartFrom("oci://ghcr.io/acme/charts/shop").Version }}';

const stage = (update: Obj, app: Obj = { name: "shop" }, kind = "Stage"): Obj => {
    const steps = [{ uses: "argocd-update", config: { apps: [{ ...app, sources: [update] }] } }];
    return {
        apiVersion: "kargo.akuity.io/v1alpha1",
        kind,
        metadata: { name: "prod", namespace: "shop" },
        spec: kind === "Stage" ? { promotionTemplate: { spec: { steps } } } : { steps },
    };
};
const UPDATE = {
    repoURL: "ghcr.io/acme/charts",
    chart: "shop",
    desiredRevision: VERSION,
    updateTargetRevision: true,
};

const labelled = (labels: Record<string, string>): Obj => {
    const app = application(HELM);
    return { ...app, metadata: { ...(app.metadata as Obj), labels } };
};

const cases: { name: string; objects: Obj[]; expected: RegExp[] }[] = [
    {
        name: "compliant: an Application labelled with the stack's own stage label",
        objects: [labelled({ "release-pipeline.acme.dev/stage": "prod" })],
        expected: [],
    },
    {
        name: "an Application carrying Kargo's stage label, which Kargo never reads there",
        objects: [labelled({ "kargo.akuity.io/stage": "prod" })],
        expected: [
            /Application argocd\/shop \/metadata\/labels\/kargo.akuity.io~1stage: Kargo never reads its stage label from an Application .*authorized-stage annotation/,
        ],
    },
    { name: "compliant: an nginx ingress with backend-protocol HTTPS", objects: [ingress()], expected: [] },
    {
        name: "compliant: a plain-HTTP backend port",
        objects: [
            ingress((s, m) => {
                delete (m.annotations as Obj)["nginx.ingress.kubernetes.io/backend-protocol"];
                (s.rules as Obj[])[0] = {
                    http: { paths: [{ backend: { service: { name: "kargo-api", port: { number: 80 } } } }] },
                };
            }),
        ],
        expected: [],
    },
    {
        name: "compliant: another ingress class",
        objects: [
            ingress((s, m) => {
                s.ingressClassName = "traefik";
                m.annotations = {};
            }),
        ],
        expected: [],
    },
    {
        name: "an nginx backend on port 443 without the annotation",
        objects: [
            ingress((_, m) => {
                m.annotations = {};
            }),
        ],
        expected: [
            /Ingress kargo\/kargo-api \/spec\/rules\/0\/http\/paths\/0\/backend: service kargo-api on its TLS port.*\(got none\)/,
        ],
    },
    {
        name: "an explicit backend-protocol HTTP on a port named https (legacy class annotation)",
        objects: [
            ingress((s, m) => {
                delete s.ingressClassName;
                m.annotations = {
                    "kubernetes.io/ingress.class": "nginx",
                    "nginx.ingress.kubernetes.io/backend-protocol": "HTTP",
                };
                s.defaultBackend = {
                    service: { name: "kargo-external-webhooks-server", port: { name: "https" } },
                };
                s.rules = [];
            }),
        ],
        expected: [
            /\/spec\/defaultBackend: service kargo-external-webhooks-server on its TLS port.*\(got HTTP\)/,
        ],
    },
    {
        name: "compliant: a Helm-type source the update matches, authorized",
        objects: [stage(UPDATE), application(HELM)],
        expected: [],
    },
    {
        name: "compliant: an Application named by an expression is not looked up",
        objects: [stage({ ...UPDATE, chart: "other" }, { name: "${{ vars.app }}" }), application(HELM)],
        expected: [],
    },
    {
        name: "argocd-update names the Warehouse's oci:// URL (a git-style update on a native OCI source)",
        objects: [
            stage({ repoURL: "oci://ghcr.io/acme/charts/shop", desiredRevision: VERSION }),
            application(HELM),
        ],
        expected: [
            /sources\/0\/desiredRevision: desiredRevision ".*" never converges on the native OCI source oci:\/\/ghcr\.io\/acme\/charts\/shop/,
            /sources\/0: matches no source of Application shop: .*applyArgoCDSourceUpdate/,
        ],
    },
    {
        name: "the update's chart differs from the Application's",
        objects: [stage({ ...UPDATE, chart: "shop-public" }), application(HELM)],
        expected: [/sources\/0: matches no source of Application shop/],
    },
    {
        name: "a literal desiredRevision that is not an exact version",
        objects: [stage({ ...UPDATE, desiredRevision: "1.2" }), application(HELM)],
        expected: [/desiredRevision: desiredRevision "1\.2" is not an exact chart version/],
    },
    {
        name: "the Application authorizes another stage",
        objects: [stage(UPDATE), application(HELM, { "kargo.akuity.io/authorized-stage": "shop:dev" })],
        expected: [
            /apps\/0: Application shop does not permit mutation by Stage shop\/prod .*"shop:dev"; allowed: "shop:prod"/,
        ],
    },
    {
        name: "the Application has no authorized-stage annotation (and is then not judged as promoted)",
        objects: [stage(UPDATE), application(HELM, {})],
        expected: [/apps\/0: .*has no kargo\.akuity\.io\/authorized-stage annotation; allowed: "shop:prod"/],
    },
    {
        name: "a task's step is not judged for authorization (its Stage is not known)",
        objects: [stage(UPDATE, { name: "shop" }, "PromotionTask"), application(HELM, {})],
        expected: [],
    },
    {
        name: "a promoted Application with a native oci:// source",
        objects: [application({ repoURL: "oci://ghcr.io/acme/charts/shop", targetRevision: "1.2.3" })],
        expected: [
            /Application argocd\/shop \/spec\/source\/repoURL: native OCI source oci:\/\/ghcr\.io\/acme\/charts\/shop on an Application Kargo promotes/,
        ],
    },
    {
        // Argo CD v3.5.1 tests IsOCI() before IsHelm(): chart: beside an oci:// repoURL is still OCI.
        name: "a promoted Application with an oci:// repoURL and a chart",
        objects: [
            application({ repoURL: "oci://ghcr.io/acme/charts", chart: "shop", targetRevision: "1.2.3" }),
        ],
        expected: [
            /\/spec\/source\/repoURL: native OCI source oci:\/\/ghcr\.io\/acme\/charts on an Application Kargo promotes \(chart "shop" beside an oci:\/\/ repoURL changes nothing: Argo CD v3\.5\.1 tests IsOCI\(\) before IsHelm\(\)/,
        ],
    },
    {
        name: "argocd-update of an oci:// source with a chart converges on no version",
        objects: [
            stage({ repoURL: "oci://ghcr.io/acme/charts", chart: "shop", desiredRevision: VERSION }),
            application(
                { repoURL: "oci://ghcr.io/acme/charts", chart: "shop", targetRevision: "1.2.3" },
                {
                    "kargo.akuity.io/authorized-stage": "shop:prod",
                },
            ),
        ],
        expected: [
            /sources\/0\/desiredRevision: desiredRevision ".*" never converges on the native OCI source oci:\/\/ghcr\.io\/acme\/charts: .*; chart "shop" beside it changes nothing, Argo CD tests IsOCI\(\) before IsHelm\(\)/,
            /\/spec\/source\/repoURL: native OCI source oci:\/\/ghcr\.io\/acme\/charts on an Application Kargo promotes \(chart "shop"/,
        ],
    },
    {
        name: "compliant: a native oci:// Application nobody promotes",
        objects: [application({ repoURL: "oci://ghcr.io/acme/charts/shop", targetRevision: "1.2.3" }, {})],
        expected: [],
    },
];

describe("behaviour rules (offline/behaviour)", () => {
    for (const c of cases) {
        it(c.name, () => {
            const found = validateBehaviourAll(c.objects).map((i) => `${i.object} ${i.path}: ${i.message}`);
            assert.equal(found.length, c.expected.length, found.join("\n"));
            c.expected.forEach((re, i) => assert.match(found[i], re));
        });
    }
});
