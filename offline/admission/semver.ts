/**
 * Masterminds/semver v3.4.0's constraint parser (constraints.go, NewConstraint), which Kargo 1.11.2's
 * `validation.SemverConstraint` (pkg/validation/validation.go) calls. Its grammar is not npm's: commas
 * and spaces join, `||` alternates, `1.2 - 1.4` is a range, `=>`/`=<`/`~>` are operators. Only whether
 * the string parses is modelled; matching is not needed at admission.
 */

const CV =
    String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?` +
    String.raw`(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?` +
    String.raw`(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;

const CONSTRAINT = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const CONSTRAINT_RANGE = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, "g");
const FIND_CONSTRAINT = new RegExp(String.raw`(${OPS})\s*(${CV})`, "g");
const VALID_CONSTRAINT = new RegExp(
    String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`,
);
/** version.go, looseSemVerRegex: what NewVersion accepts with CoerceNewVersion (the default). */
const LOOSE_VERSION = new RegExp(
    String.raw`^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$`,
);
const MAX_UINT64 = 2n ** 64n - 1n;

function isX(part: string): boolean {
    return part === "x" || part === "X" || part === "*";
}

/** constraints.go, rewriteRange: `a - b` becomes `>= a, <= b`. */
function rewriteRange(text: string): string {
    let out = text;
    for (const m of text.matchAll(CONSTRAINT_RANGE)) out = out.replace(m[0], `>= ${m[1]}, <= ${m[11]} `);
    return out;
}

/** version.go, coerceNewVersion + validatePrerelease: why `ver` is not a version, if it is not. */
function describeVersionError(ver: string): string | undefined {
    const m = LOOSE_VERSION.exec(ver);
    if (!m) return "constraint parser error";
    for (const part of [m[1], m[2]?.slice(1), m[3]?.slice(1)]) {
        if (part !== undefined && BigInt(part) > MAX_UINT64) return "constraint parser error";
    }
    const pre = m[5];
    if (pre !== undefined && pre.split(".").some((p) => /^0\d+$/.test(p))) return "constraint parser error";
    return undefined;
}

/** constraints.go, parseConstraint. */
function describeConstraintError(text: string): string | undefined {
    if (text.length === 0) return undefined;
    const m = CONSTRAINT.exec(text);
    if (!m) return `improper constraint: ${text}`;
    const [major, minor = "", patch = "", pre = ""] = [m[3], m[4], m[5], m[6]];
    let ver = m[2];
    if (isX(major)) ver = `0.0.0${pre}`;
    else if (minor === "" || isX(minor.slice(1))) ver = `${major}.0.0${pre}`;
    else if (patch === "" || isX(patch.slice(1))) ver = `${major}${minor}.0${pre}`;
    return describeVersionError(ver);
}

/** Why Masterminds/semver would refuse `constraint`, or undefined when NewConstraint accepts it. */
export function describeSemverConstraintError(constraint: string): string | undefined {
    for (const group of rewriteRange(constraint).split("||")) {
        if (!VALID_CONSTRAINT.test(group)) return `improper constraint: ${group}`;
        const found = [...group.matchAll(FIND_CONSTRAINT)].map((m) => m[0]);
        for (const c of found.length > 0 ? found : [group]) {
            const problem = describeConstraintError(c);
            if (problem !== undefined) return problem;
        }
    }
    return undefined;
}
