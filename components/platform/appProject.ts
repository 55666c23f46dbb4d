/**
 * The Argo CD AppProject every Application of the stack names (`argocd.project`) must exist and permit
 * each Application's source repositories and destination, or Argo CD refuses the app-of-apps and creates
 * no child Application: argocd-update then errors and Kargo never retries the auto-promotion. Ported from
 * Argo CD v3.5.1 pkg/apis/application/v1alpha1/app_project_types.go (IsSourcePermitted,
 * isDestinationMatched, globMatch) and util/git/git.go NormalizeGitURL.
 */
import type { Application } from "../core/generated";

/** One thing an Application needs its project to permit. */
export interface ProjectNeed {
    /** `Application <namespace>/<name>` that needs it. */
    readonly application: string;
    readonly repoURL?: string;
    readonly destination?: { readonly server?: string; readonly name?: string; readonly namespace: string };
}

/** The AppProject fields the check reads (what `.get` returns). */
export interface AppProjectView {
    readonly spec?: {
        readonly sourceRepos?: readonly string[];
        readonly destinations?: readonly { server?: string; name?: string; namespace?: string }[];
        readonly permitOnlyProjectScopedClusters?: boolean;
    };
}

/** Argo CD names the cluster at https://kubernetes.default.svc `in-cluster` (util/db/cluster.go). */
const IN_CLUSTER_SERVER = "https://kubernetes.default.svc";
const IN_CLUSTER_NAME = "in-cluster";

/** The sources and destinations the Applications of `project` need. */
export function listProjectNeeds(apps: readonly Application[], project: string): ProjectNeed[] {
    return apps
        .filter((app) => app.spec.project === project)
        .flatMap((app) => {
            const application = `Application ${app.metadata.namespace ?? ""}/${app.metadata.name}`;
            const sources = [...(app.spec.source ? [app.spec.source] : []), ...(app.spec.sources ?? [])];
            const dest = app.spec.destination;
            return [
                ...sources.map((s) => ({ application, repoURL: s.repoURL })),
                {
                    application,
                    destination: {
                        server: dest.server,
                        name: dest.name ?? (dest.server === IN_CLUSTER_SERVER ? IN_CLUSTER_NAME : undefined),
                        namespace: dest.namespace ?? "",
                    },
                },
            ];
        });
}

/** util/git NormalizeGitURL for the https and bare-host forms the stack uses: lower case, no `.git`. */
export function normalizeGitUrl(url: string): string {
    return url
        .trim()
        .toLowerCase()
        .replace(/\.git$/, "");
}

/**
 * gobwas/glob as Argo CD compiles it: `*` any run of characters except the separators, `**` any run, `?`
 * one character except a separator, `[...]` a class, `{a,b}` alternatives; `!` negates when allowed.
 */
export function globMatch(pattern: string, value: string, allowNegation: boolean, separators = ""): boolean {
    if (allowNegation && pattern.startsWith("!"))
        return !globMatch(pattern.slice(1), value, false, separators);
    if (pattern === "*") return true;
    const sep = separators.replace(/[\\\]^-]/g, "\\$&");
    const notSep = sep === "" ? "[\\s\\S]" : `[^${sep}]`;
    let re = "";
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === "*" && pattern[i + 1] === "*") {
            re += "[\\s\\S]*";
            i++;
        } else if (c === "*") re += `${notSep}*`;
        else if (c === "?") re += notSep;
        else if (c === "[") {
            const end = pattern.indexOf("]", i + 1);
            if (end === -1) re += "\\[";
            else {
                const body = pattern.slice(i + 1, end);
                re += `[${body.startsWith("!") ? "^" + body.slice(1) : body}]`;
                i = end;
            }
        } else if (c === "{") {
            const end = pattern.indexOf("}", i + 1);
            if (end === -1) re += "\\{";
            else {
                const alternatives = pattern.slice(i + 1, end).split(",");
                re += `(?:${alternatives.map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`;
                i = end;
            }
        } else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
    return new RegExp(`^${re}$`).test(value);
}

/** IsSourcePermitted: any allowing pattern matches, and no deny pattern excludes it. */
export function isSourcePermitted(sourceRepos: readonly string[], repoURL: string): boolean {
    const src = normalizeGitUrl(repoURL);
    let any = false;
    for (const pattern of sourceRepos) {
        const normalized = pattern.startsWith("!")
            ? "!" + normalizeGitUrl(pattern.slice(1))
            : normalizeGitUrl(pattern);
        const matched = globMatch(normalized, src, true, "/");
        if (matched) any = true;
        else if (normalized.startsWith("!")) return false;
    }
    return any;
}

/** isDestinationMatched, item by item, deny patterns included. */
export function isDestinationPermitted(
    destinations: NonNullable<NonNullable<AppProjectView["spec"]>["destinations"]>,
    dst: NonNullable<ProjectNeed["destination"]>,
): boolean {
    let any = false;
    for (const item of destinations) {
        const nameMatched = !!dst.name && globMatch(item.name ?? "", dst.name, true);
        const serverMatched = !!dst.server && globMatch(item.server ?? "", dst.server, true);
        const nsMatched = globMatch(item.namespace ?? "", dst.namespace, true);
        const deny = (p?: string) => (p ?? "").startsWith("!");
        if ((serverMatched || nameMatched) && nsMatched) any = true;
        else if (((!nameMatched && deny(item.name)) || (!serverMatched && deny(item.server))) && nsMatched)
            return false;
        else if (!nsMatched && deny(item.namespace) && serverMatched) return false;
    }
    return any;
}

/** Undefined when `project` permits every need; else the message that fails the preview. */
export function checkAppProject(
    project: AppProjectView,
    needs: readonly ProjectNeed[],
    where: string,
): string | undefined {
    const spec = project.spec;
    if (!spec) return `${where}: not found; every Application of the stack names it (argocd.project)`;
    const problems: string[] = [];
    if (spec.permitOnlyProjectScopedClusters) {
        problems.push(
            "spec.permitOnlyProjectScopedClusters is true, which the stack's in-cluster destinations do not satisfy",
        );
    }
    for (const need of needs) {
        if (need.repoURL !== undefined && !isSourcePermitted(spec.sourceRepos ?? [], need.repoURL)) {
            problems.push(`spec.sourceRepos does not permit ${need.repoURL} (${need.application})`);
        }
        const d = need.destination;
        if (d && !isDestinationPermitted(spec.destinations ?? [], d)) {
            problems.push(
                `spec.destinations does not permit ${d.server ?? d.name} namespace ${d.namespace} (${need.application})`,
            );
        }
    }
    const unique = [...new Set(problems)];
    return unique.length === 0
        ? undefined
        : `${where}: ${unique.join("; ")}; Argo CD would refuse those Applications, so the app-of-apps creates no child Application and Kargo's argocd-update fails`;
}
