/**
 * The shape around the stack's own keys: which config namespaces a stack may use, and what a Pulumi stack
 * file (`Pulumi.<stack>.yaml`) may hold at its top level. A key outside them is a mistake that would
 * otherwise be dropped silently (a misspelt `release-pipelin:pipeline` falls back to every default).
 */
import { describeNearest } from "./suggest";
import { CONFIG_NAMESPACE, formatProblem, quote } from "./format";

/** Namespaces read by this program or by the providers it declares. */
export const CONFIG_NAMESPACES = [
    CONFIG_NAMESPACE,
    "kubernetes",
    "cloudflare",
    "github",
    "onepassword",
    "pulumi",
] as const;

/**
 * Top-level keys of a stack file, as Pulumi's `workspace.ProjectStack` defines them
 * (sdk/go/common/workspace/project.go: secretsprovider, encryptedkey, encryptionsalt, config, environment,
 * and the newer mainEnvironment).
 */
export const STACK_FILE_KEYS = [
    "config",
    "secretsprovider",
    "encryptedkey",
    "encryptionsalt",
    "environment",
    "mainEnvironment",
] as const;

function isMapping(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeKind(value: unknown): string {
    if (value === null || value === undefined) return "an empty document";
    if (Array.isArray(value)) return "a list";
    return `a ${typeof value}`;
}

/**
 * One problem per config key whose namespace is not one the stack reads, with the nearest known namespace.
 * The value is never shown: a key outside the stack's namespace may be a provider credential
 * (`cloudfare:apiToken`).
 */
export function findNamespaceProblems(keys: readonly string[]): string[] {
    return keys.flatMap((key) => {
        const colon = key.indexOf(":");
        const namespace = colon === -1 ? "" : key.slice(0, colon);
        if ((CONFIG_NAMESPACES as readonly string[]).includes(namespace)) return [];
        const rest = key.slice(colon + 1);
        const hint = describeNearest(namespace, CONFIG_NAMESPACES, (ns) => `${ns}:${rest}`);
        return [
            `${key}: got a value (not shown); unknown config namespace ${quote(namespace)}${hint}; ` +
                `allowed namespaces: ${CONFIG_NAMESPACES.join(", ")}`,
        ];
    });
}

/**
 * Problems with a parsed stack file's top level (`file` names it in the lines). Empty when it is a mapping
 * of known keys whose `config` (if any) is a mapping. A file that is not a mapping, or whose keys look like
 * config keys without the `config:` wrapper, gets exactly one line.
 */
export function findStackFileProblems(doc: unknown, file: string): string[] {
    if (!isMapping(doc)) {
        return [
            `${file}: got ${describeKind(doc)}; expected a Pulumi stack file: a YAML mapping with a top-level config: key`,
        ];
    }
    const keys = Object.keys(doc);
    const unknown = keys.filter((k) => !(STACK_FILE_KEYS as readonly string[]).includes(k));
    if (!("config" in doc) && unknown.length > 0 && unknown.some((k) => k.includes(":"))) {
        return [
            `${file}: got top-level keys ${unknown.join(", ")}; these are config keys outside the config: wrapper; ` +
                "allowed: indent them under a top-level config: key",
        ];
    }
    if (unknown.length === keys.length) {
        return [
            `${file}: got top-level keys ${keys.join(", ")}; not a Pulumi stack file (it has none of ` +
                `${STACK_FILE_KEYS.join(", ")}); allowed: a stack file whose settings sit under config:`,
        ];
    }
    const problems = unknown.map((key) =>
        formatProblem(
            key,
            doc[key],
            `not a key of a Pulumi stack file${describeNearest(key, STACK_FILE_KEYS)}; allowed: ${STACK_FILE_KEYS.join(", ")}`,
        ),
    );
    if ("config" in doc && !isMapping(doc.config) && doc.config !== null) {
        problems.push(
            formatProblem("config", doc.config, 'expected a mapping of "<namespace>:<key>" to values'),
        );
    }
    return problems;
}
