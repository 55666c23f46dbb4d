import { strict as assert } from "node:assert";
import { validateStage } from "../../../offline/admission/stage";
import { PROJECT_P, describeRule, kargo, namespace } from "./helpers";

const taskStep = (extra: Record<string, unknown> = {}) => ({
    as: "promote",
    task: { name: "promote-chart" },
    ...extra,
});
const stage = (steps: unknown[], requestedFreight: unknown[] = []) =>
    kargo("Stage", "prod", "p", { requestedFreight, promotionTemplate: { spec: { steps } } });
const request = (name: string, sources: Record<string, unknown>) => ({
    origin: { kind: "Warehouse", name },
    sources,
});

describeRule("Stage: validatePromotionStepTaskRefs (stage/webhook.go)", (o) => validateStage(o), [
    {
        // Issue 9, defect #1: the per-chart layout put the Freight condition on the task-calling step.
        name: "a task step with an 'if' (issue 9 defect #1)",
        rejects: stage([taskStep({ if: '${{ ctx.targetFreight.origin.name == "monolith" }}' })]),
        path: "/spec/promotionTemplate/spec/steps/0/if",
        message: "PromotionTemplate step referencing a task cannot have an 'if' condition",
        accepts: stage([taskStep()]),
    },
    {
        name: "a task step with a config",
        rejects: stage([taskStep({ config: { chart: "monolith" } })]),
        path: "/spec/promotionTemplate/spec/steps/0/config",
        message: "PromotionTemplate step referencing a task cannot have a config",
        accepts: stage([taskStep({ vars: [{ name: "chart", value: "monolith" }] })]),
    },
    {
        name: "an 'if' on the second of two task steps",
        rejects: stage([taskStep(), taskStep({ as: "other", if: "${{ true }}" })]),
        path: "/spec/promotionTemplate/spec/steps/1/if",
        message: "PromotionTemplate step referencing a task cannot have an 'if' condition",
        accepts: stage([taskStep(), { as: "other", uses: "git-clone", if: "${{ true }}", config: {} }]),
    },
]);

describeRule("Stage: ValidatePromotionSteps (promotion_steps.go)", (o) => validateStage(o), [
    {
        name: "two steps with the same alias",
        rejects: stage([
            { as: "clone", uses: "git-clone" },
            { as: " clone ", uses: "git-clone" },
        ]),
        path: "/spec/promotionTemplate/spec/steps/1/as",
        message: "step alias duplicates that of spec.promotionTemplate.spec.steps[0]",
        accepts: stage([
            { as: "clone", uses: "git-clone" },
            { as: "clone2", uses: "git-clone" },
        ]),
    },
    {
        name: "a reserved alias",
        rejects: stage([{ as: "step-1", uses: "git-clone" }]),
        path: "/spec/promotionTemplate/spec/steps/0/as",
        message: "step alias is reserved",
        accepts: stage([{ as: "step-one", uses: "git-clone" }]),
    },
]);

describeRule(
    "Stage: validateRequestedFreight / validateFreightSources (stage/webhook.go)",
    (o) => validateStage(o),
    [
        {
            name: "the same origin requested twice",
            rejects: stage([], [request("w", { direct: true }), request("w", { stages: ["dev"] })]),
            path: "/spec/requestedFreight",
            message: "freight with origin Warehouse/w requested multiple times in spec.requestedFreight",
            accepts: stage([], [request("w", { direct: true }), request("w2", { stages: ["dev"] })]),
        },
        {
            name: "MatchUpstream with a direct source",
            rejects: stage(
                [],
                [
                    request("w", {
                        direct: true,
                        stages: ["dev"],
                        autoPromotionOptions: { selectionPolicy: "MatchUpstream" },
                    }),
                ],
            ),
            path: "/spec/requestedFreight/0/sources/autoPromotionOptions/selectionPolicy",
            message:
                "selection policy 'MatchUpstream' cannot be used when accepting Freight directly from its origin",
            accepts: stage(
                [],
                [
                    request("w", {
                        stages: ["dev"],
                        autoPromotionOptions: { selectionPolicy: "MatchUpstream" },
                    }),
                ],
            ),
        },
        {
            name: "MatchUpstream with two upstream Stages",
            rejects: stage(
                [],
                [
                    request("w", {
                        stages: ["a", "b"],
                        autoPromotionOptions: { selectionPolicy: "MatchUpstream" },
                    }),
                ],
            ),
            path: "/spec/requestedFreight/0/sources/autoPromotionOptions/selectionPolicy",
            message: "selection policy 'MatchUpstream' requires exactly one upstream Stage to be specified",
            accepts: stage(
                [],
                [
                    request("w", {
                        stages: ["a", "b"],
                        autoPromotionOptions: { selectionPolicy: "NewestFreight" },
                    }),
                ],
            ),
        },
    ],
);

describeRule("Stage: ValidateProject (project.go, server/validation/project.go)", validateStage, [
    {
        name: "a Stage in a namespace nobody declares",
        rejects: kargo("Stage", "dev", "q"),
        path: "/metadata/namespace",
        message: 'Namespace "q" not found',
        accepts: kargo("Stage", "dev", "p"),
        ctx: PROJECT_P,
    },
    {
        name: "a Stage in a namespace that is not a project",
        rejects: kargo("Stage", "dev", "plain"),
        path: "/metadata/namespace",
        message: 'namespace "plain" is not a project',
        accepts: kargo("Stage", "dev", "labelled"),
        ctx: { objects: [namespace("plain"), namespace("labelled", { "kargo.akuity.io/project": "true" })] },
    },
]);

describe("Stage without a cluster context", () => {
    it("skips the project check (nothing is known about the cluster)", () => {
        assert.deepEqual(validateStage(kargo("Stage", "dev", "nowhere")), []);
    });
});
