/**
 * The one recording mock runtime: runs a Pulumi program under `@pulumi/pulumi`'s mock monitor and records
 * every resource the program registers (and every resource it reads with `.get`), in registration order,
 * with its parent, its dependencies and its inputs with secrets redacted. The offline synth and the tests
 * both use it, so what the tests assert is exactly what `npm run synth` writes.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { REDACTED } from "./redacted";

export { REDACTED };

/** Marker the Pulumi wire format puts on special values (secrets, resource references, assets). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One resource as the program registered (or read) it. */
export interface ResourceRecord {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** URN of the parent resource; absent for resources parented to the stack. */
    readonly parent?: string;
    /** URNs this resource depends on (explicit `dependsOn` and input dependencies). */
    readonly dependencies: readonly string[];
    /** Inputs as sent to the engine, secrets replaced by {@link REDACTED}. */
    readonly inputs: Record<string, unknown>;
    /** True when the program read an existing resource (`X.get`) instead of declaring one. */
    readonly read: boolean;
    /** The id a read names (`<namespace>/<name>` for a namespaced Kubernetes object). */
    readonly readId?: string;
    readonly custom: boolean;
    /** Resource options that change how later updates behave, and the provider it is managed through. */
    readonly options: {
        readonly ignoreChanges: readonly string[];
        readonly protect: boolean;
        readonly retainOnDelete: boolean;
        readonly deleteBeforeReplace: boolean;
        /** `customTimeouts` as set (Go durations such as 55m); a timeout left unset is absent. */
        readonly customTimeouts: Readonly<Partial<Record<"create" | "update" | "delete", string>>>;
        /**
         * What `dependsOn` added: dependencies (components expanded to their children, as the SDK sends
         * them) that no input carries. A resource both named in `dependsOn` and used in an input is listed
         * only as an input dependency, which orders the same.
         */
        readonly dependsOn: readonly string[];
        /**
         * The explicit provider reference (`<provider urn>::<id>`) a custom resource names; absent when it
         * names none, i.e. it would fall back to a default provider (which the stacks disable).
         */
        readonly provider?: string;
    };
}

/** Answers for provider functions (invokes) the program calls; keyed by the function token. */
export type InvokeHandler = (args: MockCallArgs) => Record<string, unknown>;

export interface RunOptions {
    readonly project: string;
    readonly stack: string;
    /** Stack configuration as `pulumi config` would hold it: `"<namespace>:<key>"` → string value. */
    readonly config: Readonly<Record<string, string>>;
    /** Config keys (full `"ns:key"` names) that are secrets. */
    readonly secretKeys?: readonly string[];
    /** Simulate `pulumi preview` (outputs of new resources are unknown). Default false. */
    readonly preview?: boolean;
    readonly invokes?: Readonly<Record<string, InvokeHandler>>;
    /**
     * Provider-computed outputs per resource type token (a service token's clientSecret, a key's public
     * half), merged over the default state (inputs + id). Types without a hook keep the default.
     */
    readonly states?: Readonly<Record<string, StateHook>>;
}

/** Extra mock state for one resource of a type; may be secret-free dummies the tests then look for. */
export type StateHook = (args: MockResourceArgs) => Record<string, unknown>;

export interface RunResult {
    readonly resources: readonly ResourceRecord[];
    /** The program's exported stack outputs, resolved, secrets redacted. */
    readonly outputs: Record<string, unknown>;
}

/** Replaces wire-format secrets by {@link REDACTED} and resource references by their URN. */
export function redactWireValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(redactWireValue);
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return REDACTED;
    if (obj[SIG_KEY] === RESOURCE_REF_SIG) return obj["urn"];
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redactWireValue(v)]));
}

/** Mock state for a resource: its inputs, plus an id-like `name` so dependants see something realistic. */
function mockState(args: MockResourceArgs): Record<string, unknown> {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    return { ...inputs, id: `${args.name}-id` };
}

class RecordingMonitor extends MockMonitor {
    readonly records: ResourceRecord[] = [];

    private record(req: RegisterLike, urn: string, read: boolean, props: unknown): void {
        this.records.push({
            urn,
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() || undefined,
            dependencies: read ? [] : [...(req.getDependenciesList?.() ?? [])],
            inputs: redactWireValue(toJs(props)) as Record<string, unknown>,
            read,
            ...(read && req.getId?.() ? { readId: req.getId?.() } : {}),
            custom: read ? true : Boolean(req.getCustom?.()),
            options: {
                ignoreChanges: [...(req.getIgnorechangesList?.() ?? [])],
                protect: Boolean(req.getProtect?.()),
                retainOnDelete: Boolean(req.getRetainondelete?.()),
                deleteBeforeReplace: Boolean(req.getDeletebeforereplace?.()),
                customTimeouts: readCustomTimeouts(req),
                dependsOn: read ? [] : selectExplicitDependencies(req),
                ...(req.getProvider?.() ? { provider: req.getProvider?.() } : {}),
            },
        });
    }

    override async registerResource(req: RegisterLike, callback: Callback): Promise<void> {
        return super.registerResource(req, (err, resp) => {
            if (!err && resp) this.record(req, resp.getUrn(), false, req.getObject());
            callback(err, resp);
        });
    }

    override async readResource(req: RegisterLike, callback: Callback): Promise<void> {
        return super.readResource(req, (err, resp) => {
            if (!err && resp) this.record(req, resp.getUrn(), true, req.getProperties?.());
            callback(err, resp);
        });
    }
}

function readCustomTimeouts(req: RegisterLike): ResourceRecord["options"]["customTimeouts"] {
    const t = req.getCustomtimeouts?.();
    if (!t) return {};
    const entries = [
        ["create", t.getCreate()],
        ["update", t.getUpdate()],
        ["delete", t.getDelete()],
    ] as const;
    return Object.fromEntries(entries.filter(([, v]) => v !== ""));
}

function selectExplicitDependencies(req: RegisterLike): string[] {
    const viaInputs = new Set<string>();
    req.getPropertydependenciesMap?.().forEach((deps) => deps.getUrnsList().forEach((u) => viaInputs.add(u)));
    return (req.getDependenciesList?.() ?? []).filter((u) => !viaInputs.has(u));
}

interface RegisterLike {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom?(): boolean;
    getDependenciesList?(): string[];
    getIgnorechangesList?(): string[];
    getProtect?(): boolean | undefined;
    getRetainondelete?(): boolean | undefined;
    getDeletebeforereplace?(): boolean;
    getCustomtimeouts?(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
    getPropertydependenciesMap?(): { forEach(cb: (deps: { getUrnsList(): string[] }) => void): void };
    getProvider?(): string;
    getObject(): unknown;
    getProperties?(): unknown;
    getId?(): string;
}
type Callback = (err: unknown, resp: { getUrn(): string } | undefined) => void;

function toJs(struct: unknown): unknown {
    if (struct && typeof (struct as { toJavaScript?: unknown }).toJavaScript === "function") {
        return (struct as { toJavaScript(): unknown }).toJavaScript();
    }
    return struct ?? {};
}

/** Resolves every Output in a value tree; secret outputs become {@link REDACTED}. */
async function resolveOutputs(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        const out = value as pulumi.Output<unknown>;
        const secret = await (out as unknown as { isSecret: Promise<boolean> }).isSecret;
        if (secret) return REDACTED;
        // In a preview, outputs of new resources are unknown and `apply` never calls back: report them as
        // unknown (dropped from objects below) instead of waiting forever.
        const known = await (out as unknown as { isKnown: Promise<boolean> }).isKnown;
        if (!known) return UNKNOWN;
        const inner = await new Promise<unknown>((resolve) => out.apply((v) => resolve(v)));
        return resolveOutputs(inner);
    }
    if (value instanceof Promise) return resolveOutputs(await value);
    if (Array.isArray(value)) return Promise.all(value.map(resolveOutputs));
    if (value && typeof value === "object" && !pulumi.Resource.isInstance(value)) {
        const entries = await Promise.all(
            Object.entries(value).map(async ([k, v]) => [k, await resolveOutputs(v)] as const),
        );
        return Object.fromEntries(entries.filter(([, v]) => v !== UNKNOWN));
    }
    return value;
}

/**
 * Runs `program` under the mock runtime and returns what it registered. The program is a function that
 * builds resources (typically `() => require("../../index")`) and may return its stack outputs.
 * Only one program may run at a time in a process: the Pulumi runtime is process-global.
 */
export async function runProgram(
    program: () => unknown | Promise<unknown>,
    options: RunOptions,
): Promise<RunResult> {
    const invokes = options.invokes ?? {};
    const monitor = new RecordingMonitor({
        newResource: (args) => ({
            id: `${args.name}-id`,
            state: { ...mockState(args), ...(options.states?.[args.type]?.(args) ?? {}) },
        }),
        call: (args) => {
            const handler = invokes[args.token];
            if (!handler)
                throw new Error(`offline run: no mock answer for the provider function ${args.token}`);
            return handler(args);
        },
    });
    // setMocks turns on the runtime features mocks support and installs its own monitor; the recording
    // monitor then replaces it, and the feature flags are set again because resetting options clears them.
    await pulumi.runtime.setMocks(monitor.mocks, options.project, options.stack, options.preview ?? false);
    const { getStore } = (await import("@pulumi/pulumi/runtime/state")) as unknown as {
        getStore(): Record<string, unknown>;
    };
    const flags = pickFeatureFlags(getStore());
    pulumi.runtime.setMockOptions(monitor, options.project, options.stack, options.preview ?? false);
    Object.assign(getStore(), flags);
    pulumi.runtime.setAllConfig({ ...options.config }, [...(options.secretKeys ?? [])]);

    // The engine's language host fails the program on an unhandled rejection (a resource whose inputs
    // could not be computed, e.g. a prerequisite check that throws inside an apply); so does this run.
    const failures: string[] = [];
    const onRejection = (reason: unknown) => {
        const message = reason instanceof Error ? reason.message : String(reason);
        if (!failures.includes(message)) failures.push(message);
    };
    process.on("unhandledRejection", onRejection);
    try {
        const exported = await program();
        await waitForRegistrations(monitor);
        const outputs = (await resolveOutputs(exported ?? {})) as Record<string, unknown>;
        // Let rejections raised by the last registrations reach the handler.
        await new Promise((r) => setTimeout(r, 10));
        if (failures.length > 0) throw new Error(`the program failed:\n${failures.join("\n")}`);
        return { resources: [...monitor.records], outputs };
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}

function pickFeatureFlags(store: object): Record<string, unknown> {
    return Object.fromEntries(Object.entries(store).filter(([k]) => k.startsWith("supports")));
}

/**
 * Waits until every registration has answered. A resource registers only after its dependencies resolve,
 * so one wait is not enough: wait until a full round adds no record.
 */
async function waitForRegistrations(monitor: RecordingMonitor): Promise<void> {
    const settings = (await import("@pulumi/pulumi/runtime/settings")) as unknown as {
        waitForRPCs: () => Promise<void>;
    };
    let seen = -1;
    while (seen !== monitor.records.length) {
        seen = monitor.records.length;
        await settings.waitForRPCs();
        await new Promise((r) => setTimeout(r, 10));
    }
}
