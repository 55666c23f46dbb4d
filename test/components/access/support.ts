/**
 * Helpers for the access tests: the real stack config as a base for table-driven config cases, and the real
 * program run under the recording mock runtime with provider-computed outputs (the service token's client
 * id and secret, a key pair, item UUIDs) filled in with known dummy values the tests then look for.
 */
import { join, resolve } from "node:path";
import {
    CONFIG_NAMESPACE,
    ConfigError,
    readRawConfig,
    validateStackConfig,
} from "../../../components/config";
import { resolveCrdDir } from "../../../offline/schemas/crds";
import { OFFLINE_CLUSTER_STATES } from "../../../offline/runtime/cluster";
import { runProgram, type RunResult, type StateHook } from "../../../offline/runtime/mockRuntime";
import { loadStackFile, PROJECT_ROOT } from "../../../offline/runtime/synth";
import { SchemaRegistry } from "../../../offline/schemas/validate";

/** Dummy values standing in for everything secret; none of them may ever show up in an artifact. */
export const DUMMY = {
    cloudflareApiToken: "dummy-cloudflare-api-token-7f3a91c2",
    githubToken: "ghp_dummyGithubToken0000000000000000001",
    onePasswordToken: "ops_dummyOnePasswordServiceAccount42",
    onePasswordConnectToken: "dummy-connect-token-5e1b",
    clientId: "dummy0client0id0a1b2c3d4e5f6a7b8.access",
    clientSecret: "dummy0client0secret0f00dfeedbeefcafe0123456789abcdef",
    privateKey:
        "-----BEGIN OPENSSH PRIVATE KEY-----\ndummyPrivateKeyMaterial0123456789\n-----END OPENSSH PRIVATE KEY-----\n",
} as const;

/** Secret provider config, as `pulumi config set --secret` would hold it. */
export const SECRET_PROVIDER_CONFIG: Record<string, string> = {
    "cloudflare:apiToken": DUMMY.cloudflareApiToken,
    "github:token": DUMMY.githubToken,
    "onepassword:serviceAccountToken": DUMMY.onePasswordToken,
    "onepassword:token": DUMMY.onePasswordConnectToken,
};

export const ITEM_UUID = "k7x2m4q9w1e5r8t3y6u0i2o4pa";
export const PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDummyPublicKeyForTests kargo";

/** What the real providers compute and the default mock (inputs + id) cannot know. */
export const PROVIDER_STATES: Record<string, StateHook> = {
    ...OFFLINE_CLUSTER_STATES,
    "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken": () => ({
        clientId: DUMMY.clientId,
        clientSecret: DUMMY.clientSecret,
        expiresAt: "2027-11-26T00:00:00Z",
    }),
    "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication": (args) => ({
        aud: "aud-" + String(args.inputs.domain),
    }),
    "tls:index/privateKey:PrivateKey": () => ({
        privateKeyOpenssh: DUMMY.privateKey,
        publicKeyOpenssh: PUBLIC_KEY,
    }),
    "onepassword:index/item:Item": () => ({ uuid: ITEM_UUID }),
};

/** The prod stack file's release-pipeline config as the program reads it: the base every case mutates. */
export function baseRaw(stack: "dev" | "prod" = "prod"): Record<string, unknown> {
    return readRawConfig(loadStackFile(stack).config);
}

/** Every problem the loader reports for `raw`, or [] if it is accepted. */
export function problemsOf(raw: Record<string, unknown>): string[] {
    try {
        validateStackConfig(raw);
        return [];
    } catch (err) {
        if (err instanceof ConfigError) return [...err.problems];
        throw err;
    }
}

/**
 * Runs index.ts for a stack with `overrides` (section → value, or full `ns:key` → value) on top of its
 * stack file, every key in `secretConfig` marked secret, and the provider state hooks above.
 */
export async function runWith(
    stack: "dev" | "prod",
    overrides: Record<string, unknown> = {},
    secretConfig: Record<string, string> = SECRET_PROVIDER_CONFIG,
    preview = false,
): Promise<RunResult> {
    const file = loadStackFile(
        stack,
        PROJECT_ROOT,
        { ...overrides, ...secretConfig },
        Object.keys(secretConfig),
    );
    const entry = require.resolve(join(PROJECT_ROOT, "index.ts"));
    return runProgram(
        () => {
            delete require.cache[entry];
            // Re-evaluated per run (like offline/runtime/synth.ts runStack), so each run sees only its own config.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(entry);
        },
        {
            project: CONFIG_NAMESPACE,
            stack,
            config: file.config,
            secretKeys: file.secretKeys,
            states: PROVIDER_STATES,
            preview,
        },
    );
}

let registry: Promise<SchemaRegistry> | undefined;
/** The pinned CRDs (CI sets CRD_DIR=../shared/crds), loaded once. */
export function loadRegistry(): Promise<SchemaRegistry> {
    registry ??= (process.env.CRD_DIR ? Promise.resolve(resolve(process.env.CRD_DIR)) : resolveCrdDir()).then(
        (dir) => SchemaRegistry.load(dir),
    );
    return registry;
}

/** A deep copy of `value` with `patch` merged in (objects merged, everything else replaced). */
export function merged<T>(value: T, patch: unknown): T {
    if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch as T;
    const base = (value && typeof value === "object" && !Array.isArray(value) ? value : {}) as Record<
        string,
        unknown
    >;
    const out: Record<string, unknown> = { ...structuredClone(base) };
    for (const [k, v] of Object.entries(patch)) out[k] = merged(out[k], v);
    return out as T;
}
