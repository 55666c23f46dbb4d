import { strict as assert } from "node:assert";
import { validateProject } from "../../../offline/admission/project";
import { describeRule, kargo, namespace } from "./helpers";

const LABEL = { "kargo.akuity.io/project": "true" };

describeRule("Project: ensureNamespace (project/webhook.go)", validateProject, [
    {
        name: "a Project whose namespace exists without the project label",
        rejects: kargo("Project", "monolith", ""),
        path: "/metadata/name",
        message:
            'failed to initialize Project "monolith" because namespace "monolith" already exists and is not labeled as a Project namespace',
        accepts: kargo("Project", "kargo-monolith", ""),
        ctx: { objects: [namespace("monolith")] },
    },
    {
        name: 'a Project adopting a namespace whose label value is not exactly "true"',
        rejects: kargo("Project", "p", ""),
        path: "/metadata/name",
        message: /namespace "p" already exists and is not labeled/,
        accepts: kargo("Project", "q", ""),
        ctx: { objects: [namespace("p", { "kargo.akuity.io/project": "True" }), namespace("q", LABEL)] },
    },
]);

describe("Project adopting a labelled namespace", () => {
    it("is admitted", () => {
        assert.deepEqual(
            validateProject(kargo("Project", "p", ""), { objects: [namespace("p", LABEL)] }),
            [],
        );
    });
});
