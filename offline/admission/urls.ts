/**
 * Kargo 1.11.2's URL normalizers (pkg/urls), used by the Warehouse webhook to decide whether two
 * subscriptions watch the same repository. Approximations where upstream leans on a library: image
 * references are split the way go-containerregistry's name.ParseReference does for well-formed input.
 */

/** urls/common.go, SanitizeURL: drop non-printable runes, trim. */
export function sanitizeUrl(url: string): string {
    return url.replace(/[\u0000-\u001f\u007f-\u009f\ufeff\u200b-\u200f]/g, "").trim();
}

const IMAGE_REF = /^[a-z0-9][a-z0-9._\-:/@]*$/;

/**
 * urls/image.go, NormalizeImage: registry/repository with tag and digest dropped; Docker Hub's hosts and
 * its `library/` prefix removed. Input that is not a reference comes back as given.
 */
export function normalizeImage(repoUrl: string): string {
    const url = sanitizeUrl(repoUrl.toLowerCase());
    if (!IMAGE_REF.test(url) || url.includes("//")) return repoUrl;
    let ref = url.split("@")[0];
    const lastSlash = ref.lastIndexOf("/");
    const tagColon = ref.indexOf(":", lastSlash + 1);
    if (tagColon !== -1) ref = ref.slice(0, tagColon);
    const [first, ...rest] = ref.split("/");
    const hasRegistry =
        rest.length > 0 && (first.includes(".") || first.includes(":") || first === "localhost");
    const registry = hasRegistry ? first : "index.docker.io";
    const repo = hasRegistry ? rest.join("/") : ref;
    if (repo === "" || repo.split("/").some((s) => s === "")) return repoUrl;
    if (registry === "index.docker.io" || registry === "docker.io" || registry === "registry-1.docker.io") {
        return repo.replace(/^library\//, "");
    }
    return `${registry}/${repo}`;
}

/** urls/helm.go, NormalizeChart: lower-cased, `oci://` dropped, then NormalizeImage. */
export function normalizeChart(repo: string): string {
    return normalizeImage(
        sanitizeUrl(repo)
            .toLowerCase()
            .replace(/^oci:\/\//, ""),
    );
}

/** urls/git.go, NormalizeGit for http(s) and ssh URLs: no user info, no trailing `/` or `.git`. */
export function normalizeGit(repo: string): string {
    const url = sanitizeUrl(repo.toLowerCase());
    const m = /^(https?|ssh):\/\/(?:[^@/]*@)?([^/?#]*)([^?#]*)(\?[^#]*)?/.exec(url);
    if (m) {
        if (m[4] && m[4].length > 1) return repo;
        const keepUser = m[1] === "ssh" ? (/^ssh:\/\/([^@/]*@)/.exec(url)?.[1] ?? "") : "";
        const path = m[3].replace(/\/$/, "").replace(/\.git$/, "");
        return `${m[1]}://${keepUser}${m[2]}${path}`;
    }
    // SCP-style `[user@]host:path` becomes ssh://[user@]host/path.
    const scp = /^((?:[\w-]+@)?[\w-]+(?:\.[\w-]+)*)(?::(.*))?$/.exec(url);
    if (!scp) return repo;
    const path = (scp[2] ?? "").replace(/\/$/, "").replace(/\.git$/, "");
    return path === "" ? `ssh://${scp[1]}` : `ssh://${scp[1]}/${path}`;
}
