/**
 * Kargo's name patterns (pkg/pattern/matcher.go, ParseNamePattern), as far as admission needs them:
 * whether a `prefix:pattern` string parses.
 */

/** doublestar v4's ErrBadPattern (= path.ErrBadPattern). */
const BAD_PATTERN = "syntax error in pattern";

/**
 * bmatcuk/doublestar v4 validate.go, doValidatePattern with '/' as separator: escapes need a following
 * byte, classes must close and not be empty, alternations must balance.
 */
export function isValidGlob(pattern: string): boolean {
    let altDepth = 0;
    const l = pattern.length;
    for (let i = 0; i < l; i++) {
        const c = pattern[i];
        if (c === "\\") {
            i++;
            if (i >= l) return false;
        } else if (c === "[") {
            i++;
            if (i >= l) return false;
            if (pattern[i] === "^" || pattern[i] === "!") i++;
            if (i >= l || pattern[i] === "]") return false;
            let closed = false;
            for (; i < l; i++) {
                if (pattern[i] === "\\") i++;
                else if (pattern[i] === "]") {
                    closed = true;
                    break;
                }
            }
            if (!closed) return false;
        } else if (c === "{") {
            altDepth++;
        } else if (c === "}") {
            if (altDepth === 0) return false;
            altDepth--;
        }
    }
    return altDepth === 0;
}

/**
 * Why Go's regexp (RE2) would refuse `pattern`, approximated with JavaScript's parser plus the
 * constructs RE2 lacks (lookaround, backreferences). Go's exact error text is not reproduced.
 */
export function describeRegexpError(pattern: string): string | undefined {
    if (/\(\?<?[=!]/.test(pattern))
        return `error parsing regexp: invalid or unsupported Perl syntax: ${pattern}`;
    if (/\\[1-9]/.test(pattern)) return `error parsing regexp: invalid escape sequence: ${pattern}`;
    try {
        new RegExp(pattern, "u");
        return undefined;
    } catch (err) {
        return `error parsing regexp: ${(err as Error).message}`;
    }
}

/**
 * ParseNamePattern for a string that contains ':' (projectconfig/webhook.go, validatePromotionPolicies):
 * the parse error, or the "invalid pattern identifier" error when the prefix is not a pattern kind and
 * the parser fell back to an exact match.
 */
export function describeNamePatternError(value: string): string | undefined {
    for (const prefix of ["glob:", "regex:", "regexp:"]) {
        if (!value.startsWith(prefix)) continue;
        const body = value.slice(prefix.length);
        if (prefix === "glob:") return isValidGlob(body) ? undefined : BAD_PATTERN;
        return describeRegexpError(body);
    }
    const identifier = value.slice(0, value.indexOf(":"));
    return `invalid pattern identifier ${JSON.stringify(identifier)}: must be "regex", "regexp" or "glob"`;
}
