import compare from "semver/functions/compare";
import { isStrictSemver } from "./chart";
import { toOciTag } from "./oci";

/** SemVer 2 precedence of two strict versions: negative, zero or positive, as Array.prototype.sort wants. */
export function compareVersions(a: string, b: string): number {
    return compare(a, b);
}

/** The version an OCI tag stands for (Helm writes `+` as `_`), or null when the tag is no strict SemVer. */
export function fromOciTag(tag: string): string | null {
    const version = tag.replaceAll("_", "+");
    return isStrictSemver(version) && toOciTag(version) === tag ? version : null;
}

/** The highest strict-SemVer version among registry tags, or null. */
export function findNewestVersion(tags: readonly string[]): string | null {
    let newest: string | null = null;
    for (const tag of tags) {
        const version = fromOciTag(tag);
        if (version !== null && (newest === null || compareVersions(version, newest) > 0)) newest = version;
    }
    return newest;
}
