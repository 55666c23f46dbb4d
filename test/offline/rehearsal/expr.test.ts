import { strict as assert } from "node:assert";
import { evaluateExpression, type ExprScope } from "../../../offline/rehearsal/expr/evaluate";
import { bindFunctions, type FreightContext } from "../../../offline/rehearsal/expr/functions";
import { evaluateConfig, evaluateTemplate } from "../../../offline/rehearsal/expr/template";
import {
    ExpressionError,
    toValue,
    UnsupportedExpressionError,
    type ValueMap,
} from "../../../offline/rehearsal/expr/values";
import type { Freight } from "../../../offline/rehearsal/types";

const A = "oci://ghcr.io/acme/charts/a";
const B = "oci://ghcr.io/acme/charts/b";
const freightA: Freight = {
    name: "f-a",
    origin: { kind: "Warehouse", name: "a" },
    charts: [{ RepoURL: A, Name: "", Version: "1.2.0" }],
};

function scope(collection: Freight[] = [freightA], requests = ["a", "b"], withStatus = true): ExprScope {
    const freight: FreightContext = {
        requests: requests.map((name) => ({
            origin: { kind: "Warehouse", name },
            sources: { direct: true },
        })),
        subscriptionsByWarehouse: new Map([
            ["a", [{ repoURL: A }]],
            ["b", [{ repoURL: B }]],
        ]),
        collection,
    };
    const env = toValue({
        ctx: { stage: "dev", targetFreight: { origin: { name: "a" } } },
        vars: { app: "a-dev" },
    }) as ValueMap;
    const { functions, refused } = bindFunctions(
        freight,
        withStatus ? { alias: "t::x", records: [] } : undefined,
    );
    return { env, functions, refused };
}

describe("rehearsal expressions: expr-lang semantics", () => {
    const cases: [string, unknown][] = [
        [`chartFrom("${A}").Version`, "1.2.0"],
        [`chartFrom("${B}")`, null],
        ['ctx.targetFreight.origin.name == "a"', true],
        ['ctx.targetFreight.origin.name == "a" && success()', true],
        ["vars.app", "a-dev"],
        ["vars.missing", null], // a missing map key is nil, not an error
        ["vars.missing == nil", true],
        ["vars.app == 1", false], // runtime.Equal: other type, unequal (the checker cannot know vars.app)
        ["1 == 1.0", true], // both numbers: comparable
        ['nil == "x"', false],
        ['ctx.stage + "-x"', "dev-x"],
        ["!failure()", true],
        ['status("y")', ""],
        [`chartFrom("${B}")?.Version ?? "none"`, "none"],
        ['true ? "y" : "n"', "y"],
    ];
    for (const [expression, expected] of cases) {
        it(`${expression} → ${JSON.stringify(expected)}`, () => {
            assert.deepEqual(evaluateExpression(expression, scope()), expected);
        });
    }

    const errors: [string, RegExp][] = [
        [`chartFrom("${B}").Version`, /cannot fetch Version from nil/],
        [`chartFrom("${A}").version`, /type v1alpha1\.Chart has no field version/],
        [
            'chartFrom("oci://elsewhere/c").Version',
            /chart from repo oci:\/\/elsewhere\/c not found in referenced Freight/,
        ],
        ['"a" && true', /invalid operation: &&/],
        ["ctx.stage + 1", /mismatched types string and float64/],
        // expr-lang's checker refuses literals of incomparable types at compile time (found by the oracle).
        ['1 == "1"', /invalid operation: == \(mismatched types int and string\)/],
        ['"a" != true', /invalid operation: != \(mismatched types string and bool\)/],
        ["1.5 == false", /invalid operation: == \(mismatched types float64 and bool\)/],
    ];
    for (const [expression, reason] of errors) {
        it(`${expression} errors as Kargo would`, () => {
            assert.throws(
                () => evaluateExpression(expression, scope()),
                (e: Error) => e instanceof ExpressionError && reason.test(e.message),
            );
        });
    }

    const refused: [string, RegExp][] = [
        ['chartVersion("a")', /unknown function chartVersion\(\)/],
        ['secret("token").value', /secret\(\) is not rehearsed: secrets are never read/],
        ["ctx.stage == 'dev' and true", /keyword operators/],
        ["ctx.stage | upper", /operator \| is not supported/],
        ["stage", /unknown name "stage"/],
        ["ctx.stage ===", /does not parse/],
    ];
    for (const [expression, reason] of refused) {
        it(`${expression} is refused`, () => {
            assert.throws(
                () => evaluateExpression(expression, scope()),
                (e: Error) => e instanceof UnsupportedExpressionError && reason.test(e.message),
            );
        });
    }

    it("chartFrom() without an origin is ambiguous when two requested Warehouses subscribe to the repo", () => {
        const s = scope();
        const freight: FreightContext = {
            requests: ["a", "b"].map((name) => ({ origin: { kind: "Warehouse", name }, sources: {} })),
            subscriptionsByWarehouse: new Map([
                ["a", [{ repoURL: A }]],
                ["b", [{ repoURL: A }]],
            ]),
            collection: [freightA],
        };
        const { functions } = bindFunctions(freight);
        assert.throws(
            () => evaluateExpression(`chartFrom("${A}")`, { ...s, functions }),
            /please provide a Freight origin/,
        );
        assert.equal(
            evaluateExpression(`chartFrom("${A}", warehouse("a")).Version`, { ...s, functions }),
            "1.2.0",
        );
    });

    it("status functions are bound for if/config, not for vars", () => {
        assert.throws(
            () => evaluateExpression("always()", scope(undefined, undefined, false)),
            /unknown function always/,
        );
    });
});

describe("rehearsal templates: json_templates.go EvaluateTemplate", () => {
    it("keeps a string without delimiters as it is, even when it looks like a number", () => {
        assert.equal(evaluateTemplate("42", scope()), "42");
    });
    it("coerces an evaluated number-looking result, unless quote() protects it", () => {
        assert.equal(evaluateTemplate("${{ 1 + 1 }}", scope()), 2);
        assert.equal(evaluateTemplate("${{ quote(1 + 1) }}", scope()), "2");
        assert.equal(evaluateTemplate('${{ quote(chartFrom("' + A + '").Version) }}', scope()), "1.2.0");
    });
    it("splices several expressions and both delimiter styles into one string", () => {
        assert.equal(
            evaluateTemplate('v${{ chartFrom("' + A + '").Version }} in ${% ctx.stage %}', scope()),
            "v1.2.0 in dev",
        );
    });
    it("a version with two dots stays a string; a bare bool becomes a bool", () => {
        assert.equal(evaluateTemplate('${{ chartFrom("' + A + '").Version }}', scope()), "1.2.0");
        assert.equal(evaluateTemplate('${{ ctx.stage == "dev" }}', scope()), true);
    });
    it("evaluates values, never keys, through nested config", () => {
        assert.deepEqual(evaluateConfig({ "${{ ctx.stage }}": ["${{ vars.app }}", { n: 3 }] }, scope()), {
            "${{ ctx.stage }}": ["a-dev", { n: 3 }],
        });
    });
    it("an unclosed expression is refused", () => {
        assert.throws(() => evaluateTemplate("${{ ctx.stage", scope()), /unclosed expression/);
    });
});
