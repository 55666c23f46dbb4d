/**
 * Cross-section checks for `access` and `gitCredential`: the rules that need more than one section to judge.
 * Each bad input gets its own issue at its own key, so the loader prints one precise line per problem.
 */
import type { IssueSink } from "./checks/format";
import type { AccessConfig } from "./access";
import type { GitCredentialConfig } from "./gitCredential";

/** The sections these checks read. */
export interface AccessCheckInput {
    readonly access: AccessConfig;
    readonly gitCredential: GitCredentialConfig;
    readonly kargo: { readonly chartVersion: string };
    readonly gitops: { readonly repoURL: string };
    readonly verification: { readonly devHostnames: readonly string[] };
}

/** Kargo 1.10 deprecated SSH credentials and SSH URLs; 1.13 removes them (release notes, deprecations). */
export const SSH_REMOVED_IN = { major: 1, minor: 13 } as const;

/** True when this Kargo version no longer reads `sshPrivateKey` (pre-releases of 1.13 included). */
export function isSshRemoved(chartVersion: string): boolean {
    const [major, minor] = chartVersion.split(".").map((n) => Number.parseInt(n, 10));
    return major > SSH_REMOVED_IN.major || (major === SSH_REMOVED_IN.major && minor >= SSH_REMOVED_IN.minor);
}

/** `https://github.com/<owner>/<repo>[.git]` → owner and repo; undefined for any other host or shape. */
export function parseGithubRepo(url: string): { owner: string; repo: string } | undefined {
    const m = /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(\.git)?\/?$/.exec(url);
    return m ? { owner: m[1], repo: m[2] } : undefined;
}

/** The hostnames that get an Access application: the explicit list, or exactly the dev hostnames. */
export function selectProtectedHostnames(cfg: Pick<AccessCheckInput, "access" | "verification">): string[] {
    return [...new Set(cfg.access.hostnames ?? cfg.verification.devHostnames)];
}

/** Access protects a hostname only if its zone is proxied by this account: it must sit in `access.zone`. */
export function isInZone(host: string, zone: string): boolean {
    return host === zone || host.endsWith("." + zone);
}

export function checkAccessAndGitCredential(cfg: AccessCheckInput, ctx: IssueSink): void {
    const covered = new Set(selectProtectedHostnames(cfg));
    cfg.verification.devHostnames.forEach((host, i) => {
        if (!covered.has(host)) {
            ctx.addIssue({
                code: "custom",
                input: host,
                path: ["verification", "devHostnames", i],
                message:
                    "no Cloudflare Access application covers it, so the dev origin would be public; " +
                    "allowed: a hostname listed in access.hostnames (or leave access.hostnames unset)",
            });
        }
    });
    (cfg.access.hostnames ?? cfg.verification.devHostnames).forEach((host, i) => {
        if (!isInZone(host, cfg.access.zone)) {
            ctx.addIssue({
                code: "custom",
                input: host,
                path: cfg.access.hostnames ? ["access", "hostnames", i] : ["verification", "devHostnames", i],
                message: `is not in the Cloudflare zone ${cfg.access.zone} (access.zone); allowed: ${cfg.access.zone} or a subdomain of it`,
            });
        }
    });
    if (cfg.gitCredential.mode === "deploy-key" && isSshRemoved(cfg.kargo.chartVersion)) {
        ctx.addIssue({
            code: "custom",
            input: cfg.gitCredential.mode,
            path: ["gitCredential", "mode"],
            message:
                `deploy-key is an SSH credential and Kargo ${cfg.kargo.chartVersion} (kargo.chartVersion) no longer ` +
                "supports SSH credentials (removed in 1.13); allowed: github-app",
        });
    }
    // A non-HTTPS URL already has its own message from the field's schema; don't add a second one.
    if (cfg.gitops.repoURL.startsWith("https://") && !parseGithubRepo(cfg.gitops.repoURL)) {
        ctx.addIssue({
            code: "custom",
            input: cfg.gitops.repoURL,
            path: ["gitops", "repoURL"],
            message:
                "Kargo's GitHub credential, the rulesets and the Actions secrets need a github.com repository; " +
                "allowed: https://github.com/<owner>/<repo>.git",
        });
    }
}
