/**
 * The config outside `release-pipeline:*` that decides where the stack's resources land: the cluster its
 * explicit Kubernetes provider targets (`kubernetes:context`) and the switch that leaves no default provider
 * to fall back on (`pulumi:disable-default-providers: ["*"]`). Both are required: without them a resource
 * could land in whatever cluster or account the runner happens to be logged into.
 */
import type * as k8s from "@pulumi/kubernetes";
import { ConfigError } from "./index";

export const KUBERNETES_CONTEXT_KEY = "kubernetes:context";
export const DISABLE_DEFAULT_PROVIDERS_KEY = "pulumi:disable-default-providers";

export interface ProviderConfig {
    /** The kubeconfig context of the stack's cluster, passed to the explicit Kubernetes provider. */
    readonly kubernetesContext: string;
    /** Packages whose default providers the engine refuses; always `["*"]` here. */
    readonly disabledDefaultProviders: readonly string[];
}

function parseList(text: string | undefined): unknown {
    if (text === undefined) return undefined;
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** Validates the provider keys of Pulumi's flat config map; throws {@link ConfigError} listing every problem. */
export function validateProviderConfig(flat: Readonly<Record<string, string>>): ProviderConfig {
    const problems: string[] = [];
    const context = flat[KUBERNETES_CONTEXT_KEY]?.trim() ?? "";
    if (context === "") {
        problems.push(
            `${KUBERNETES_CONTEXT_KEY}: missing; required: the kubeconfig context of this stack's cluster (pulumi config set ${KUBERNETES_CONTEXT_KEY} <context>)`,
        );
    }
    const disabled = parseList(flat[DISABLE_DEFAULT_PROVIDERS_KEY]);
    if (!Array.isArray(disabled) || disabled.length !== 1 || disabled[0] !== "*") {
        problems.push(
            `${DISABLE_DEFAULT_PROVIDERS_KEY}: got ${JSON.stringify(disabled) ?? "nothing"}; required: ["*"] (every provider is declared explicitly)`,
        );
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return { kubernetesContext: context, disabledDefaultProviders: ["*"] };
}

/**
 * The Kubernetes provider's arguments, every behaviour that matters stated rather than defaulted:
 * - `context`: the stack's cluster, never the kubeconfig's current context;
 * - `enableServerSideApply`: field managers, so Kargo's writes (`targetRevision`) and ours do not collide;
 * - `deleteUnreachable: false`: an unreachable cluster fails the run instead of silently dropping every
 *   object from the state (a later `up` would then try to create them again, or a destroy forget them).
 */
export function buildKubernetesProviderArgs(cfg: ProviderConfig): k8s.ProviderArgs {
    return { context: cfg.kubernetesContext, enableServerSideApply: true, deleteUnreachable: false };
}
