/**
 * Small zod building blocks shared by every config section. Messages say what is allowed; the loader adds
 * the key and the offending value, so each message reads "<key>: got <value>; <what is allowed>".
 */
import { z } from "zod";
import { isCpuQuantity, isMemoryQuantity, isQuantity, parseQuantity } from "../core/quantity";

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

export const memoryQuantity = z
    .string()
    .refine(
        isMemoryQuantity,
        "expected a Kubernetes memory quantity such as 256Mi or 1Gi (not negative, whole bytes, no m/u/n suffix)",
    );
export const cpuQuantity = z
    .string()
    .refine(isCpuQuantity, "expected a Kubernetes CPU quantity such as 100m or 1 (not negative)");

const cpuMemory = z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity });

/** Requests and limits for one container; limits may not be lower than requests. */
export const containerResources = z
    .strictObject({ requests: cpuMemory, limits: cpuMemory })
    .superRefine((r, ctx) => {
        for (const kind of ["cpu", "memory"] as const) {
            // Malformed quantities already have their own issue; only compare what parses.
            if (!isQuantity(r.limits[kind]) || !isQuantity(r.requests[kind])) continue;
            if (parseQuantity(r.limits[kind]) < parseQuantity(r.requests[kind])) {
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
