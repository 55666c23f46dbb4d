/**
 * Config section `registryCredential`: an opt-in read credential for the private chart registry, from
 * 1Password, declared the way the git credential is (issue 9, defect 7). The GitHub App git credential does
 * not cover registries (Kargo 1.11.2 pkg/credentials/github/app.go `Supports`: TypeGit only), so without
 * this a private `ghcr.io` chart is invisible to both Kargo's Warehouses and Argo CD.
 *
 * One 1Password item feeds two OnePasswordItems (components/access/registryCredential.ts): Kargo's, in the
 * project namespace, and Argo CD's credential template, in the Argo CD namespace. The operator copies the
 * item's fields verbatim into each Secret, so the item carries the fields of both (see
 * {@link selectRegistryCredentialFields}); each reader ignores the other's.
 */
import { z } from "zod";
import { dnsLabel, onePasswordItemPath } from "./common";
import type { IssueSink } from "./checks/format";

export const registryCredentialSection = z
    .strictObject({
        enabled: z
            .boolean()
            .prefault(false)
            .describe("Declare the two items. Off by default: a public registry needs no credential."),
        itemPath: onePasswordItemPath
            .prefault("vaults/platform/items/chart-registry-read")
            .describe(
                "1Password item with the fields selectRegistryCredentialFields lists (docs/access.md; the stack output `registryCredentialItemFields`).",
            ),
        kargoSecretName: dnsLabel
            .prefault("chart-registry-credential")
            .describe(
                "OnePasswordItem (and Secret) in the Kargo project namespace, labelled cred-type helm.",
            ),
        argocdSecretName: dnsLabel
            .prefault("chart-registry-repo-creds")
            .describe(
                "OnePasswordItem (and Secret) in the Argo CD namespace, labelled secret-type repo-creds.",
            ),
    })
    .prefault({})
    .describe(
        "An opt-in read credential for a private chart registry, from 1Password, for Kargo's Warehouses and Argo CD; see docs/access.md.",
    );

export type RegistryCredentialConfig = z.infer<typeof registryCredentialSection>;

/** `oci://ghcr.io/acme/charts/monolith` → `ghcr.io/acme/charts`: the registry path a chart lives under. */
export function selectRegistryPath(repoURL: string): string {
    const withoutScheme = repoURL.replace(/^oci:\/\//, "");
    return withoutScheme.slice(0, withoutScheme.lastIndexOf("/"));
}

/** `ghcr.io/acme/charts` → `^ghcr\.io/acme/charts/[^/]+$`. */
function toChartRegex(registryPath: string): string {
    return "^" + registryPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "/[^/]+$";
}

/**
 * The fields the 1Password item must carry, exactly, for the charts' registry path:
 * - Kargo (pkg/credentials/kubernetes/database.go `getCredentialsSecret`): a Secret labelled
 *   `kargo.akuity.io/cred-type: helm` whose `repoURL` equals the Warehouse's chart URL after
 *   `urls.NormalizeChart` (pkg/urls/helm.go: `oci://` stripped, lower-cased), or, with
 *   `repoURLIsRegex: "true"`, a regex matching the original or the normalized URL. One item serves every
 *   chart under the path, so the regex form is used. `username`/`password` are read by the basic provider
 *   (pkg/credentials/basic/basic.go `Supports`: both keys present).
 * - Argo CD v3.5.1 (util/db/repository_secrets.go `getRepositoryCredentialIndex`): a credential template
 *   (`argocd.argoproj.io/secret-type: repo-creds`) applies to every repository whose URL starts with its
 *   `url` after `git.NormalizeGitURL`, longest prefix first. The Applications' Helm-type OCI sources use the
 *   scheme-less `ghcr.io/acme/charts`, so `url` is that path. `type: helm`, and `enableOCI: "true"`
 *   because `Repository.CopyCredentialsFrom` (pkg/apis/application/v1alpha1/repository_types.go) copies
 *   the template's EnableOCI over the repository's unconditionally: a template without it would switch
 *   OCI off for the credential-free repository Secret that enables it.
 */
export function selectRegistryCredentialFields(
    charts: readonly { repoURL: string }[],
): Record<string, string> {
    const path = selectRegistryPath(charts[0].repoURL);
    return {
        repoURL: toChartRegex(path),
        repoURLIsRegex: "true",
        url: path,
        type: "helm",
        enableOCI: "true",
        username: "<GitHub user or App name>",
        password: "<token with read:packages>",
    };
}

/** The sections the registry-credential rules read. */
export interface RegistryCheckInput {
    readonly registryCredential: RegistryCredentialConfig;
    readonly charts: readonly { readonly repoURL: string }[];
}

/** One credential covers one registry path: every chart must live under the first chart's. */
export function checkRegistryCredential(cfg: RegistryCheckInput, sink: IssueSink): void {
    if (!cfg.registryCredential.enabled || cfg.charts.length === 0) return;
    const path = selectRegistryPath(cfg.charts[0].repoURL);
    cfg.charts.forEach((chart, i) => {
        if (selectRegistryPath(chart.repoURL) === path) return;
        sink.addIssue({
            code: "custom",
            input: chart.repoURL,
            path: ["charts", i, "repoURL"],
            message: `is not under oci://${path}, which registryCredential covers (one credential, one registry path); allowed: oci://${path}/<chart>`,
        });
    });
}
