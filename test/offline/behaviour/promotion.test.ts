/**
 * The Promotion webhook's task inflation as a behaviour rule (offline/behaviour/promotion.ts): each case is
 * data with upstream's exact message, so the conformance harness can replay it on Kargo's InflateSteps.
 */
import { strict as assert } from "node:assert";
import { validateBehaviourAll } from "../../../offline/behaviour";

type Obj = Record<string, unknown>;
const API = "kargo.akuity.io/v1alpha1";

const task = (vars: Obj[] = [{ name: "app" }], namespace = "shop", kind = "PromotionTask"): Obj => ({
    apiVersion: API,
    kind,
    metadata: { name: "promote-shop", ...(kind === "PromotionTask" ? { namespace } : {}) },
    spec: { vars, steps: [{ uses: "git-clone", config: {} }] },
});
const stage = (step: Obj, spec: Obj = {}): Obj => ({
    apiVersion: API,
    kind: "Stage",
    metadata: { name: "prod", namespace: "shop" },
    spec: { ...spec, promotionTemplate: { spec: { steps: [step] } } },
});
const STEP = { task: { name: "promote-shop" }, as: "promote_shop", vars: [{ name: "app", value: "shop" }] };
const DENIED =
    "the Promotion webhook denies every Promotion of this Stage (pkg/api/promotion.go InflateSteps): " +
    'failed to inflate Promotion steps: inflate task steps for task "promote-shop" ("promote_shop"): ';

export const INFLATION_CASES: { name: string; objects: Obj[]; cluster?: boolean; expected: string[] }[] = [
    { name: "compliant: the step sets the task's var", objects: [stage(STEP), task()], expected: [] },
    {
        name: "compliant: the var has a default in the task",
        objects: [stage({ ...STEP, vars: [] }), task([{ name: "app", value: "shop" }])],
        expected: [],
    },
    {
        name: "compliant: the Stage's own vars set it (the Promotion's vars)",
        objects: [stage({ ...STEP, vars: [] }, { vars: [{ name: "app", value: "shop" }] }), task()],
        expected: [],
    },
    {
        name: "compliant: the template's vars set it",
        objects: [
            {
                ...stage({ ...STEP, vars: [] }),
                spec: { promotionTemplate: { spec: { vars: [{ name: "app", value: "x" }], steps: [STEP] } } },
            },
            task(),
        ],
        expected: [],
    },
    {
        name: "a task that does not exist",
        objects: [stage(STEP)],
        expected: [`${DENIED}promotiontasks.kargo.akuity.io "promote-shop" not found`],
    },
    {
        name: "a task in another project",
        objects: [stage(STEP), task(undefined, "other")],
        expected: [`${DENIED}promotiontasks.kargo.akuity.io "promote-shop" not found`],
    },
    {
        name: "a ClusterPromotionTask that does not exist",
        objects: [stage({ ...STEP, task: { name: "promote-shop", kind: "ClusterPromotionTask" } }), task()],
        expected: [`${DENIED}clusterpromotiontasks.kargo.akuity.io "promote-shop" not found`],
    },
    {
        name: "a task absent from files that are only part of the cluster is not judged",
        objects: [stage(STEP)],
        cluster: false,
        expected: [],
    },
    {
        name: "a task var without value that nothing sets",
        objects: [stage({ ...STEP, vars: [] }), task()],
        expected: [`${DENIED}missing value for variable "app"`],
    },
    {
        name: "a task var the step sets to an empty value",
        objects: [stage({ ...STEP, vars: [{ name: "app", value: "" }] }), task()],
        cluster: false,
        expected: [`${DENIED}missing value for variable "app"`],
    },
];

describe("the Promotion webhook's task inflation (behaviour rule)", () => {
    for (const c of INFLATION_CASES) {
        it(`${c.expected.length > 0 ? "refuses" : "admits"} ${c.name}`, () => {
            const found = validateBehaviourAll(c.objects, { cluster: c.cluster ?? true });
            assert.deepEqual(
                found.map((i) => `${i.object} ${i.path}: ${i.message}`),
                c.expected.map((m) => `Stage shop/prod /spec/promotionTemplate/spec/steps/0/task: ${m}`),
            );
        });
    }
});
