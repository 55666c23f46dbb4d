import { strict as assert } from "node:assert";
import type { Violation } from "../../../offline/policy/policyRunner";
import {
    describeUrn,
    formatViolation,
    renderViolationsMarkdown,
    summarizeViolations,
} from "../../../offline/policy/verdicts";

const APP =
    "urn:pulumi:prod::release-pipeline::release-pipeline:index:PromotionPipeline$kubernetes:argoproj.io/v1alpha1:Application::pipeline-monolith-prod";

describe("policy verdicts: human form", () => {
    const urns: { urn: string | undefined; shown: string }[] = [
        { urn: APP, shown: "kubernetes:argoproj.io/v1alpha1:Application pipeline-monolith-prod" },
        { urn: undefined, shown: "(stack)" },
        { urn: "not-a-urn", shown: "not-a-urn" },
    ];
    for (const c of urns)
        it(`names ${c.urn ?? "no URN"} as "${c.shown}"`, () => assert.equal(describeUrn(c.urn), c.shown));

    it("prints level, policy and resource, then the message indented line by line", () => {
        const v: Violation = {
            policy: "gated-prod",
            urn: APP,
            message: "first line\nsecond line\n",
            enforcementLevel: "advisory",
        };
        assert.equal(
            formatViolation(v),
            "[advisory] gated-prod  kubernetes:argoproj.io/v1alpha1:Application pipeline-monolith-prod\n    first line\n    second line",
        );
    });

    const summaries: { levels: Violation["enforcementLevel"][]; text: string }[] = [
        { levels: [], text: "0 violation(s)" },
        { levels: ["advisory", "mandatory", "advisory"], text: "3 violation(s): 1 mandatory, 2 advisory" },
    ];
    for (const c of summaries) {
        it(`summarizes [${c.levels.join(", ")}]`, () =>
            assert.equal(
                summarizeViolations(
                    c.levels.map((l) => ({ policy: "p", message: "m", enforcementLevel: l })),
                ),
                c.text,
            ));
    }

    it("renders a Markdown table, mandatory first, pipes and newlines escaped", () => {
        const md = renderViolationsMarkdown([
            { policy: "a", message: "x | y\nz", enforcementLevel: "advisory" },
            { policy: "b", urn: APP, message: "m", enforcementLevel: "mandatory" },
        ]);
        assert.equal(
            md,
            [
                "2 violation(s): 1 mandatory, 1 advisory.",
                "",
                "| level | policy | resource | message |",
                "|---|---|---|---|",
                "| mandatory | `b` | kubernetes:argoproj.io/v1alpha1:Application pipeline-monolith-prod | m |",
                "| advisory | `a` | (stack) | x \\| y<br>z |",
            ].join("\n"),
        );
        assert.equal(renderViolationsMarkdown([]), "No policy violations.");
    });
});
