/**
 * Git branch names, by the rules `git check-ref-format --branch` applies (git-check-ref-format(1)), plus
 * two names git would take that Kargo and GitHub would misread: `@` (git's shorthand for HEAD) and a name
 * starting with `refs/` (Kargo prefixes `refs/heads/` itself, so it would look for refs/heads/refs/heads/…).
 */

/** Each rule: a test on the name and what the line says when it matches. */
const RULES: readonly [(name: string) => boolean, string][] = [
    [(n) => n === "", "is empty"],
    [(n) => n.startsWith("-"), "starts with '-'"],
    [(n) => n === "HEAD", "is HEAD, which names the checked-out commit, not a branch"],
    [(n) => n === "@", "is '@', git's shorthand for HEAD"],
    [(n) => n.startsWith("refs/"), "starts with refs/ (write the short branch name, e.g. main)"],
    [(n) => /[\x00-\x20\x7f]/.test(n), "contains a space or a control character"],
    [(n) => /[~^:?*[\\]/.test(n), "contains one of ~ ^ : ? * [ \\"],
    [(n) => n.includes(".."), "contains '..'"],
    [(n) => n.includes("@{"), "contains '@{'"],
    [(n) => n.startsWith("/") || n.endsWith("/") || n.includes("//"), "has an empty path component"],
    [(n) => n.endsWith("."), "ends with '.'"],
    [(n) => n.split("/").some((c) => c.startsWith(".")), "has a path component starting with '.'"],
    [(n) => n.split("/").some((c) => c.endsWith(".lock")), "has a path component ending with .lock"],
];

/** Why git (or Kargo) would refuse `name` as a branch, or undefined when it is a valid branch name. */
export function describeBranchProblem(name: string): string | undefined {
    const broken = RULES.filter(([test]) => test(name)).map(([, message]) => message);
    if (broken.length === 0) return undefined;
    return `is not a valid git branch name: it ${broken.join(", ")} (git check-ref-format --branch); allowed: e.g. main or release/1.x`;
}
