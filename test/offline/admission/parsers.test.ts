import { strict as assert } from "node:assert";
import { describeCronParseError } from "../../../offline/admission/cron";
import { describeNamePatternError, isValidGlob } from "../../../offline/admission/patterns";
import { compareQuantities, parseQuantity } from "../../../offline/admission/quantity";
import { describeSemverConstraintError } from "../../../offline/admission/semver";
import { normalizeChart, normalizeGit, normalizeImage } from "../../../offline/admission/urls";

describe("Masterminds/semver v3.4.0 constraint parsing (constraints.go, NewConstraint)", () => {
    const accepted = [
        "^1.0.0",
        ">=1.2, <2",
        ">= 1.0.0 <2",
        "1.2 - 1.4",
        "~1.2.x",
        "*",
        "1.x || >=2.5.0",
        "=>1",
        "^v1.2.3",
        "~> 2.1",
    ];
    const refused: readonly (readonly [string, string])[] = [
        ["latest", "improper constraint: latest"],
        [">=1.0.0,", "improper constraint: >=1.0.0,"],
        ["1..2", "improper constraint: 1..2"],
        ["1.0.0-01", "constraint parser error"],
        ["  ", "improper constraint:   "],
    ];
    for (const c of accepted)
        it(`accepts ${JSON.stringify(c)}`, () => assert.equal(describeSemverConstraintError(c), undefined));
    for (const [c, e] of refused)
        it(`refuses ${JSON.stringify(c)}`, () => assert.equal(describeSemverConstraintError(c), e));
});

describe("robfig/cron v1.2.0 Parse (parser.go)", () => {
    const accepted = [
        "0 0 3 * * *",
        "0 3 * * *",
        "*/15 * * * * *",
        "0 0 3 * * sun",
        "0 0 0 1 jan-mar ?",
        "@daily",
        "@every 1h30m",
    ];
    const refused: readonly (readonly [string, string])[] = [
        ["", "Empty spec string"],
        ["0 3 * *", "Expected 5 to 6 fields, found 4: 0 3 * *"],
        ["0 0 24 * * *", "End of range (24) above maximum (23): 24"],
        ["0 0 3 0 * *", "Beginning of range (0) below minimum (1): 0"],
        ["0 0 3 * * mon-sun", "Beginning of range (1) beyond end of range (0): mon-sun"],
        ["*/0 * * * * *", "Step of range should be a positive number: */0"],
        ["@weekdays", "Unrecognized descriptor: @weekdays"],
        ["@every 1 hour", 'Failed to parse duration @every 1 hour: time: invalid duration "1 hour"'],
    ];
    for (const c of accepted)
        it(`accepts ${JSON.stringify(c)}`, () => assert.equal(describeCronParseError(c), undefined));
    for (const [c, e] of refused)
        it(`refuses ${JSON.stringify(c)}`, () => assert.equal(describeCronParseError(c), e));
});

describe("Kubernetes quantities (resource.ParseQuantity, Cmp)", () => {
    it("parses binary, decimal and exponent suffixes exactly", () => {
        const q = (s: string) => parseQuantity(s) ?? assert.fail(`${s} did not parse`);
        assert.equal(compareQuantities(q("1Gi"), q("1073741824")), 0);
        assert.equal(compareQuantities(q("500m"), q("0.5")), 0);
        assert.equal(compareQuantities(q("1e3"), q("1k")), 0);
        assert.equal(compareQuantities(q("256Mi"), q("64M")), 1);
    });
    it("refuses what ParseQuantity refuses", () => {
        for (const s of ["", "1 Gi", "1GB", "Gi", "1.2.3"]) assert.equal(parseQuantity(s), undefined, s);
    });
});

describe("doublestar ValidatePattern and Kargo name patterns (pkg/pattern)", () => {
    it("validates globs as doublestar v4 does", () => {
        for (const ok of ["dev-*", "{a,b}", "[a-z]*", "\\*"]) assert.ok(isValidGlob(ok), ok);
        for (const bad of ["{a", "a}", "[]", "[a", "a\\"]) assert.ok(!isValidGlob(bad), bad);
    });
    it("refuses an unknown prefix and RE2-only-missing syntax", () => {
        assert.match(describeNamePatternError("x:y") ?? "", /invalid pattern identifier "x"/);
        assert.match(describeNamePatternError("regex:(?=a)") ?? "", /error parsing regexp/);
        assert.equal(describeNamePatternError("regexp:^a.*$"), undefined);
    });
});

describe("Kargo URL normalizers (pkg/urls)", () => {
    it("normalizes chart, image and git URLs as the Warehouse webhook compares them", () => {
        assert.equal(normalizeChart("oci://GHCR.io/acme/charts/monolith"), "ghcr.io/acme/charts/monolith");
        assert.equal(normalizeChart("https://charts.example.com"), "https://charts.example.com");
        assert.equal(normalizeImage("docker.io/library/nginx:1.27"), "nginx");
        assert.equal(normalizeImage("localhost:5000/app"), "localhost:5000/app");
        assert.equal(normalizeGit("https://user@github.com/acme/app.git/"), "https://github.com/acme/app");
        assert.equal(normalizeGit("git@github.com:acme/app.git"), "ssh://git@github.com/acme/app");
    });
});
