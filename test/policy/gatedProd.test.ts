import {
    at,
    editResource,
    loadBaseline,
    removeResources,
    usePolicySession,
    type Case,
    itReportsExactly,
} from "./helpers";

const level = "mandatory";
const editStage = (name: string, edit: (spec: Record<string, unknown>) => void) => () =>
    editResource(loadBaseline(), `stage-${name}`, (i) => edit(at(i, "spec")));
const gated = (resource: string, message: string) => ({ policy: "gated-prod", resource, message, level });

const cases: Case[] = [
    {
        // Issue 18 #5: a Warehouse with a chart the upstream Stage never deploys; Kargo verifies the whole Freight.
        name: "prod takes Freight verified in dev that carries a chart dev never deploys",
        build: () =>
            editResource(loadBaseline(), "warehouse-monolith-public", (i) => {
                (at(i, "spec").subscriptions as unknown[]).push({
                    chart: {
                        repoURL: "oci://ghcr.io/acme/charts/monolith",
                        semverConstraint: "<1.0.0",
                        discoveryLimit: 20,
                    },
                });
            }),
        expected: [
            gated(
                "stage-prod",
                'Stage monolith/prod requestedFreight[1] takes Freight of Warehouse "monolith-public" verified in Stage "dev", which never deploys oci://ghcr.io/acme/charts/monolith: Kargo marks the whole Freight verified, so prod would run it unverified',
            ),
        ],
    },
    {
        name: "prod takes Freight directly from a Warehouse",
        build: editStage("prod", (spec) => {
            at(spec, "requestedFreight.1").sources = { direct: true, stages: ["dev"] };
        }),
        expected: [
            gated(
                "stage-prod",
                'Stage monolith/prod requestedFreight[1] takes Freight directly from Warehouse "monolith-public"',
            ),
        ],
    },
    {
        name: "prod names no upstream stage",
        build: editStage("prod", (spec) => {
            at(spec, "requestedFreight.0").sources = {};
        }),
        expected: [
            gated(
                "stage-prod",
                'Stage monolith/prod requestedFreight[0] (Warehouse "monolith") names no upstream stage',
            ),
        ],
    },
    {
        name: "prod requests no Freight",
        build: editStage("prod", (spec) => {
            spec.requestedFreight = [];
        }),
        expected: [gated("stage-prod", "Stage monolith/prod requests no Freight")],
    },
    {
        name: "the upstream stage has no verification",
        build: editStage("dev", (spec) => {
            delete spec.verification;
        }),
        expected: [gated("stage-prod", "Stage monolith/dev has no verification AnalysisTemplate")],
    },
    {
        name: "the upstream stage's verification lists no template",
        build: editStage("dev", (spec) => {
            at(spec, "verification").analysisTemplates = [];
        }),
        expected: [gated("stage-prod", "Stage monolith/dev has no verification AnalysisTemplate")],
    },
    {
        name: "the upstream stage verifies with a template the stack does not declare",
        build: () => removeResources(loadBaseline(), "analysistemplate-visual-regression"),
        expected: [
            gated(
                "stage-prod",
                'Stage monolith/dev verifies with AnalysisTemplate "visual-regression", which this stack does not declare',
            ),
        ],
    },
    {
        name: "prod takes Freight from a stage the stack does not declare",
        build: editStage("prod", (spec) => {
            at(spec, "requestedFreight.0.sources").stages = ["staging"];
        }),
        expected: [
            gated(
                "stage-prod",
                'Stage monolith/prod takes Freight from Stage "staging", which this stack does not declare',
            ),
        ],
    },
    {
        name: "no stage matches the configured production stage names",
        build: loadBaseline,
        config: { "gated-prod": { prodStages: ["production"] } },
        expected: [
            {
                policy: "gated-prod",
                message:
                    'no Stage matches prodStages ["production"] (Stages: dev, prod); set prodStages to the production stage',
                level,
            },
        ],
    },
    {
        name: "auto-promotion into prod is advisory by default",
        build: () =>
            editResource(loadBaseline(), "projectconfig-monolith", (i) => {
                at(i, "spec.promotionPolicies.1").autoPromotionEnabled = true;
            }),
        expected: [
            {
                policy: "prod-auto-promotion",
                resource: "projectconfig-monolith",
                message:
                    "ProjectConfig monolith/monolith promotionPolicies[1] enables auto-promotion into Stage monolith/prod",
                level: "advisory",
            },
        ],
    },
    {
        name: "auto-promotion into prod is mandatory when the pack is configured so",
        build: () =>
            editResource(loadBaseline(), "projectconfig-monolith", (i) => {
                at(i, "spec.promotionPolicies.1").autoPromotionEnabled = true;
            }),
        config: { "prod-auto-promotion": "mandatory" },
        expected: [
            {
                policy: "prod-auto-promotion",
                resource: "projectconfig-monolith",
                message:
                    "ProjectConfig monolith/monolith promotionPolicies[1] enables auto-promotion into Stage monolith/prod",
                level: "mandatory",
            },
        ],
    },
    {
        name: "auto-promotion into prod through a glob selector",
        build: () =>
            editResource(loadBaseline(), "projectconfig-monolith", (i) => {
                at(i, "spec").promotionPolicies = [
                    { stageSelector: { name: "glob:*" }, autoPromotionEnabled: true },
                ];
            }),
        expected: [
            {
                policy: "prod-auto-promotion",
                resource: "projectconfig-monolith",
                message:
                    "ProjectConfig monolith/monolith promotionPolicies[0] enables auto-promotion into Stage monolith/prod",
                level: "advisory",
            },
        ],
    },
];

const compliant: Case[] = [
    { name: "baseline", build: loadBaseline, expected: [] },
    {
        name: "templates owned by another stack, with requireDeclaredTemplates off",
        build: () => removeResources(loadBaseline(), "analysistemplate-visual-regression"),
        config: { "gated-prod": { requireDeclaredTemplates: false } },
        expected: [],
    },
    {
        name: "auto-promotion into prod selected by a label the prod stage does not carry",
        build: () =>
            editResource(loadBaseline(), "projectconfig-monolith", (i) => {
                at(i, "spec").promotionPolicies = [
                    { stageSelector: { matchLabels: { tier: "pre-prod" } }, autoPromotionEnabled: true },
                ];
            }),
        expected: [],
    },
];

describe("policy: gated-prod and prod-auto-promotion", () => {
    const pack = usePolicySession();
    itReportsExactly(pack, [...compliant, ...cases]);
});
