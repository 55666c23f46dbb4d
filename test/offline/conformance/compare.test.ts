import { strict as assert } from "node:assert";
import { ALLOW_LIST } from "../../../offline/conformance/allowList";
import {
    compareVerdicts,
    describeDisagreements,
    type AllowEntry,
} from "../../../offline/conformance/compare";

const cases = [{ id: "a" }, { id: "b [retype /spec/x]" }, { id: "c" }];
const entry: AllowEntry = {
    harness: "apiserver",
    case: /\[retype \/spec\/x\]/,
    modelMessage: /must be string/,
    reason: "stricter on purpose",
};
const admit = (id: string, result?: unknown) => ({ id, allowed: true, result });
const refuse = (id: string, message: string) => ({ id, allowed: false, message });

describe("conformance comparison", () => {
    const table = [
        {
            name: "agreement on every case",
            model: [admit("a"), refuse("b [retype /spec/x]", "/spec/x: must be string"), admit("c")],
            oracle: [admit("a"), refuse("b [retype /spec/x]", "invalid"), admit("c")],
            allow: [],
            want: { agreed: 3, allowed: 0, disagreements: [], unused: 0 },
        },
        {
            name: "the model admits what upstream refuses: never allow-listed",
            model: [admit("a"), admit("b [retype /spec/x]"), admit("c")],
            oracle: [admit("a"), refuse("b [retype /spec/x]", "must be string"), admit("c")],
            allow: [entry],
            want: { agreed: 2, allowed: 0, disagreements: ["b [retype /spec/x]"], unused: 1 },
        },
        {
            name: "the model is stricter and the entry covers it",
            model: [admit("a"), refuse("b [retype /spec/x]", "/spec/x: must be string"), admit("c")],
            oracle: [admit("a"), admit("b [retype /spec/x]"), admit("c")],
            allow: [entry],
            want: { agreed: 2, allowed: 1, disagreements: [], unused: 0 },
        },
        {
            name: "the model is stricter for another reason than the entry's",
            model: [admit("a"), refuse("b [retype /spec/x]", "/spec/x: too long"), admit("c")],
            oracle: [admit("a"), admit("b [retype /spec/x]"), admit("c")],
            allow: [entry],
            want: { agreed: 2, allowed: 0, disagreements: ["b [retype /spec/x]"], unused: 1 },
        },
        {
            name: "both admit but evaluate to different values",
            model: [admit("a", "1.2.3"), admit("b [retype /spec/x]"), admit("c")],
            oracle: [admit("a", "1.2.4"), admit("b [retype /spec/x]"), admit("c")],
            allow: [],
            want: { agreed: 2, allowed: 0, disagreements: ["a"], unused: 0 },
        },
    ];
    for (const t of table) {
        it(t.name, () => {
            const c = compareVerdicts("apiserver", cases, t.model, t.oracle, t.allow);
            assert.deepEqual(
                {
                    agreed: c.agreed,
                    allowed: c.allowed.length,
                    disagreements: c.disagreements.map((d) => d.id),
                    unused: c.unusedEntries.length,
                },
                t.want,
            );
        });
    }

    it("refuses to compare when a side skipped a case", () => {
        assert.throws(
            () => compareVerdicts("apiserver", cases, [admit("a"), admit("c")], [], []),
            /the model gave no verdict for 1 case\(s\), first: b \[retype \/spec\/x\]/,
        );
    });

    it("describes a disagreement with both sides' words", () => {
        const [line] = describeDisagreements("analysis", [
            { id: "t", model: admit("t"), oracle: refuse("t", "count (1) must be >= failureLimit") },
        ]);
        assert.equal(
            line,
            "- analysis: t\n  - model admits\n  - upstream refuses: count (1) must be >= failureLimit",
        );
    });

    it("every allow-list entry gives its reason and cites upstream", () => {
        for (const e of ALLOW_LIST) {
            assert.ok(e.reason.length > 80, `${e.case}: a reviewed reason`);
            assert.match(e.reason, /v\d+\.\d+\.\d+ .*\.go/, `${e.case}: cites the upstream file`);
        }
    });
});
