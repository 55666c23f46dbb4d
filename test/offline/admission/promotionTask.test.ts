import {
    validateClusterPromotionTask,
    validatePromotionTask,
} from "../../../offline/admission/promotionTask";
import { PROJECT_P, describeRule, kargo } from "./helpers";

const task = (steps: unknown[], ns = "p") => kargo("PromotionTask", "promote-chart", ns, { steps });
const clusterTask = (steps: unknown[]) => kargo("ClusterPromotionTask", "promote-chart", "", { steps });

describeRule(
    "PromotionTask: ValidatePromotionSteps + ValidateProject (promotiontask/webhook.go)",
    validatePromotionTask,
    [
        {
            name: "a duplicated alias",
            rejects: task([
                { as: "a", uses: "git-clone" },
                { as: "a", uses: "git-push" },
            ]),
            path: "/spec/steps/1/as",
            message: "step alias duplicates that of spec.steps[0]",
            accepts: task([
                { as: "a", uses: "git-clone" },
                { as: "b", uses: "git-push" },
            ]),
            ctx: PROJECT_P,
        },
        {
            name: "a reserved 'task-N' alias",
            rejects: task([{ as: "task-0", uses: "git-clone" }]),
            path: "/spec/steps/0/as",
            message: "step alias is reserved",
            accepts: task([{ as: "task-zero", uses: "git-clone" }]),
            ctx: PROJECT_P,
        },
        {
            name: "a task outside any project namespace",
            rejects: task([], "elsewhere"),
            path: "/metadata/namespace",
            message: 'Namespace "elsewhere" not found',
            accepts: task([]),
            ctx: PROJECT_P,
        },
    ],
);

describeRule(
    "ClusterPromotionTask: ValidatePromotionSteps (clusterpromotiontask/webhook.go)",
    (o) => validateClusterPromotionTask(o),
    [
        {
            name: "a duplicated alias",
            rejects: clusterTask([
                { as: "x", uses: "git-clone" },
                { as: "x", uses: "git-clone" },
            ]),
            path: "/spec/steps/1/as",
            message: "step alias duplicates that of spec.steps[0]",
            accepts: clusterTask([{ as: "x", uses: "git-clone" }, { uses: "git-clone" }]),
        },
    ],
);
