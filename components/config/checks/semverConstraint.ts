/**
 * A Warehouse's `semverConstraint`, judged by meaning with the `semver` package: it must parse, admit at
 * least one version, and not admit every version ("always latest" is the floating revision ADR 009
 * rejects). Kargo reads the constraint with Masterminds/semver, whose grammar differs from npm's in two
 * spellings handled here: a comma also means AND, and `!=` excludes one version.
 */
import semver from "semver";

const EXAMPLE = "e.g. >=0.182.0 <1.0.0 or ^1.4.0";

/** Masterminds → npm: commas become spaces, and `!=x` terms are dropped (excluding one version never bounds a range). */
export function toNpmRange(constraint: string): string {
    return constraint
        .split("||")
        .map((group) =>
            group
                .replace(/,/g, " ")
                .replace(/!=\s*\S+/g, " ")
                .trim(),
        )
        .map((group) => (group === "" ? "*" : group))
        .join(" || ");
}

/** The release version just above `v` (1.2.3 → 1.2.4), prerelease dropped. */
function nextRelease(v: semver.SemVer): string {
    return `${v.major}.${v.minor}.${v.patch + 1}`;
}

/**
 * Release versions that decide whether a range admits every release. A range is a union of intervals whose
 * bounds are its comparators' versions; between two consecutive bounds membership cannot change, so probing
 * 0.0.0, every bound and the release just above every bound covers each stretch of the version line.
 */
export function selectProbeVersions(range: semver.Range): string[] {
    const probes = new Set<string>(["0.0.0"]);
    for (const comparator of range.set.flat()) {
        if (comparator.value === "") continue; // the "any version" comparator has no bound
        const v = comparator.semver;
        probes.add(`${v.major}.${v.minor}.${v.patch}`);
        probes.add(nextRelease(v));
    }
    return [...probes];
}

/** True when every release version satisfies the range (`*`, `>=0`, `^0 || >=1`, `~0 || ~1 || >=2`, ...). */
export function admitsEveryRelease(range: semver.Range): boolean {
    return selectProbeVersions(range).every((v) => range.test(v));
}

/** Why a constraint is refused, or undefined when it bounds discovery to some, but not all, versions. */
export function describeConstraintProblem(constraint: string): string | undefined {
    if (constraint.trim() === "") return `expected a non-empty semver constraint, ${EXAMPLE}`;
    const npmRange = toNpmRange(constraint);
    if (semver.validRange(npmRange) === null) {
        return `expected a semver constraint, ${EXAMPLE} (a tag such as latest is not a constraint)`;
    }
    const range = new semver.Range(npmRange);
    if (admitsEveryRelease(range)) {
        return `admits every version, so the Warehouse would always take the latest (the floating revision ADR 009 rejects); allowed: a bounded constraint, ${EXAMPLE}`;
    }
    if (semver.minVersion(range) === null) {
        return `admits no version, so the Warehouse would never find a chart; allowed: a satisfiable constraint, ${EXAMPLE}`;
    }
    return undefined;
}
