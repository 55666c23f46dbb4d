/**
 * Small zod building blocks shared by every config section. Messages say what is allowed; the loader adds
 * the key and the offending value, so each message reads "<key>: got <value>; <what is allowed>".
 */
import { z } from "zod";
import { isQuantity, parseQuantity } from "../core/quantity";
import { describeCidrProblem } from "./checks/cidr";
import { describeBranchProblem } from "./checks/gitBranch";
import { describeImageProblem } from "./checks/imageReference";
import { describeConstraintProblem } from "./checks/semverConstraint";

/** RFC 1123 label: namespaces, Kargo projects, stages, chart names. */
export const dnsLabel = z
    .string()
    .regex(
        /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
        "expected a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters",
    );

/** RFC 1123 subdomain: names of cluster-scoped objects such as a cert-manager ClusterIssuer. */
export const dnsSubdomain = z
    .string()
    .regex(
        /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
        "expected a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters",
    );

/** An exact semantic version (no leading v, no range). */
export const exactSemver = z
    .string()
    .regex(
        /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/,
        "expected an exact semantic version such as 1.11.2 (no leading 'v', no range)",
    );

/** A Go-style duration as Kargo and Argo accept it, e.g. 30s, 5m, 1h30m. */
export const duration = z
    .string()
    .regex(/^([0-9]+(\.[0-9]+)?(s|m|h))+$/, "expected a duration such as 30s, 10m or 1h30m");

/** A Masterminds semver constraint that bounds discovery: parses, admits some but not every version. */
export const semverConstraint = checkedString(describeConstraintProblem);

/** A container image pinned by a tag other than latest, or by digest, on a named registry. */
export function pinnedImage(example: string) {
    return checkedString((image) => describeImageProblem(image, example));
}

/** An IPv4 or IPv6 CIDR block with no host bits set. */
export const cidr = checkedString(describeCidrProblem);

/** A branch name git accepts (`git check-ref-format --branch`). */
export const gitBranch = checkedString(describeBranchProblem);

/** Why a deploy directory is refused: it must be a relative path that stays inside the repository. */
export function describeRepoDirProblem(dir: string): string | undefined {
    const allowed =
        "allowed: a relative directory inside the repository, such as deploy or clusters/prod/deploy";
    if (dir.startsWith("/")) return `is absolute; ${allowed}`;
    const parts = dir.split("/");
    if (parts.includes("..")) return `escapes the repository through '..'; ${allowed}`;
    if (parts.some((p) => p === "" || p === ".")) return `has an empty or '.' path component; ${allowed}`;
    if (parts.some((p) => p.toLowerCase() === ".git"))
        return `is inside git's own .git directory; ${allowed}`;
    if (!parts.every((p) => /^[A-Za-z0-9._-]+$/.test(p))) {
        return `has characters other than letters, digits, '.', '_' and '-' in a path component; ${allowed}`;
    }
    return undefined;
}

export const repoDir = checkedString(describeRepoDirProblem);

/** Git remotes must be HTTPS: Kargo deprecated SSH URLs in 1.10 and removes them in 1.13. */
export const httpsGitUrl = z
    .string()
    .regex(
        /^https:\/\/[^\s/@]+\/[^\s@]+$/,
        "expected an HTTPS git URL such as https://github.com/acme/gitops.git (SSH and scp-style URLs are not allowed)",
    );

/** One chart in an OCI registry, addressed the way a Kargo Warehouse needs it: oci://host/path/<chart>. */
export const ociChartUrl = z
    .string()
    .regex(
        /^oci:\/\/[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/,
        "expected oci://<registry>/<path>/<chart> in lower case, with no trailing '/' or tag",
    );

export const hostname = z
    .string()
    .regex(
        /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        "expected a fully qualified lower-case hostname such as dev.example.com",
    );

/** "vaults/<vault>/items/<item>": the operator splits on '/', so titles containing '/' cannot be used. */
export const onePasswordItemPath = z
    .string()
    .regex(
        /^vaults\/[^/\s]+\/items\/[^/\s]+$/,
        "expected vaults/<vault title or id>/items/<item title or id> (titles must not contain '/')",
    );

/** Bytes, or undefined when `value` is not a quantity at all (its own issue says so). */
export function readQuantity(value: string): number | undefined {
    return isQuantity(value) ? parseQuantity(value) : undefined;
}

/** Why `value` is refused as an amount of memory, or undefined when it is a whole number of bytes >= 0. */
export function describeMemoryProblem(value: string): string | undefined {
    const amount = readQuantity(value);
    if (amount === undefined) return "expected a Kubernetes memory quantity such as 256Mi or 1Gi";
    if (amount < 0) return "is negative; allowed: a memory quantity of zero or more, such as 256Mi";
    if (/[mun]$/.test(value)) {
        return `is ${Number(amount.toPrecision(6))} bytes: the suffix ${value.slice(-1)} means a fraction (m is milli, not mega); allowed: e.g. 128Mi (mebibytes) or 128M (megabytes)`;
    }
    if (!Number.isInteger(amount))
        return "is a fraction of a byte; allowed: a whole number of bytes, such as 256Mi";
    return undefined;
}

/** Why `value` is refused as an amount of CPU, or undefined. */
export function describeCpuProblem(value: string): string | undefined {
    const amount = readQuantity(value);
    if (amount === undefined) return "expected a Kubernetes CPU quantity such as 100m or 1";
    if (amount < 0) return "is negative; allowed: a CPU quantity of zero or more, such as 100m";
    return undefined;
}

/** A zod string checked by a `describe…Problem` function: one issue, its message the description. */
export function checkedString(describe: (value: string) => string | undefined) {
    return z.string().superRefine((value, ctx) => {
        const problem = describe(value);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
    });
}

export const memoryQuantity = checkedString(describeMemoryProblem);
export const cpuQuantity = checkedString(describeCpuProblem);

const cpuMemory = z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity });

/** Requests and limits for one container; limits may not be lower than requests. */
export const containerResources = z
    .strictObject({ requests: cpuMemory, limits: cpuMemory })
    .superRefine((r, ctx) => {
        for (const kind of ["cpu", "memory"] as const) {
            // Malformed quantities already have their own issue; only compare what parses.
            const [limit, request] = [readQuantity(r.limits[kind]), readQuantity(r.requests[kind])];
            if (limit === undefined || request === undefined) continue;
            if (limit < request) {
                ctx.addIssue({
                    code: "custom",
                    path: ["limits", kind],
                    message: `limit is lower than the request (${r.requests[kind]}); a limit must be at least the request`,
                });
            }
        }
    });
export type ContainerResources = z.infer<typeof containerResources>;

/** Shorthand for defaults. */
export function resources(
    cpuReq: string,
    memReq: string,
    cpuLim: string,
    memLim: string,
): ContainerResources {
    return { requests: { cpu: cpuReq, memory: memReq }, limits: { cpu: cpuLim, memory: memLim } };
}
