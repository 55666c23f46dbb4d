// Runs the CrossGuard pack offline through the real @pulumi/policy analyzer: the pack program is
// started the way the Pulumi engine starts it (it serves gRPC and prints its port), and we play
// the engine's part of the protocol — GetAnalyzerInfo, Configure, Analyze per resource, and
// AnalyzeStack once. Nothing here evaluates a policy; it only marshals requests and responses.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";

import {
    levels,
    type EnforcementLevel,
    type PackConfig,
    type PolicyDescription,
    type ResourceRecord,
    buildPolicyConfig,
} from "./inputs";

export {
    buildPolicyConfig,
    readPackConfig,
    validateResourceRecords,
    type EnforcementLevel,
    type PackConfig,
    type PolicyConfigEntry,
    type PolicyDescription,
    type ResourceRecord,
} from "./inputs";

export interface Violation {
    policy: string;
    urn?: string;
    message: string;
    enforcementLevel: EnforcementLevel;
}

export interface NotApplicable {
    policy: string;
    reason: string;
}

export interface PackAnalysis {
    violations: Violation[];
    notApplicable: NotApplicable[];
}

export interface RunOptions {
    config?: PackConfig;
    packDir?: string;
    launcher?: Launcher;
}

export const defaultPackDir = path.resolve(__dirname, "..", "..", "policy");
const startupTimeoutMs = 120_000;

/** Maps the proto enum (ADVISORY=0, MANDATORY=1, DISABLED=2, REMEDIATE=3) to its CrossGuard name. */
export function findLevelName(level: pb.EnforcementLevel): EnforcementLevel {
    const name = levels[level];
    if (!name) throw new Error(`unknown enforcement level ${level} from the analyzer`);
    return name;
}

/** Protobuf Struct has no `undefined`; the engine drops such keys, so do we (via the JSON round trip). */
export function buildStruct(value: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)) as Record<string, JavaScriptValue>);
}

/** The analyzer prefixes each message with the policy description; the description is known, so drop it. */
export function buildViolation(
    diagnostic: pb.AnalyzeDiagnostic,
    descriptions: Map<string, string>,
    fallbackUrn?: string,
): Violation {
    const policy = diagnostic.getPolicyname();
    const prefix = `${descriptions.get(policy) ?? diagnostic.getDescription()}\n`;
    const message = diagnostic.getMessage();
    const urn = diagnostic.getUrn() || fallbackUrn;
    return {
        policy,
        ...(urn ? { urn } : {}),
        message: message.startsWith(prefix) ? message.slice(prefix.length) : message,
        enforcementLevel: findLevelName(diagnostic.getEnforcementlevel()),
    };
}

/** True when the run must fail: any mandatory violation. */
export function shouldFail(violations: Violation[]): boolean {
    return violations.some((v) => v.enforcementLevel === "mandatory");
}

/** The fields Analyze and AnalyzeStack requests share; the engine always sends options. */
function describeResource<T extends pb.AnalyzeRequest | pb.AnalyzerResource>(
    target: T,
    record: ResourceRecord,
): T {
    const options = new pb.AnalyzerResourceOptions();
    if (record.parent) options.setParent(record.parent);
    target.setUrn(record.urn).setType(record.type).setName(record.name).setOptions(options);
    target.setProperties(buildStruct(record.inputs));
    return target;
}

function buildStackResource(record: ResourceRecord): pb.AnalyzerResource {
    const resource = describeResource(new pb.AnalyzerResource(), record);
    return record.parent ? resource.setParent(record.parent) : resource;
}

/** The Configure request for a pack config, as {@link buildPolicyConfig} resolves it. */
export function buildConfigureRequest(
    policies: PolicyDescription[],
    config?: PackConfig,
): pb.ConfigureAnalyzerRequest {
    const request = new pb.ConfigureAnalyzerRequest();
    for (const [name, entry] of Object.entries(buildPolicyConfig(policies, config))) {
        const level = levels.indexOf(entry.enforcementLevel) as pb.EnforcementLevel;
        request
            .getPolicyconfigMap()
            .set(
                name,
                new pb.PolicyConfig().setEnforcementlevel(level).setProperties(buildStruct(entry.properties)),
            );
    }
    return request;
}

type Unary<Req, Res> = (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown;

function call<Req, Res>(method: Unary<Req, Res>, request: Req): Promise<Res> {
    return new Promise((resolve, reject) =>
        method(request, (err, res) => (err ? reject(err) : resolve(res))),
    );
}

/**
 * How the pack program is started. `tsx` (default, fast) loads it with the tsx loader. `pulumi` uses the
 * very launcher the Pulumi engine runs for a nodejs policy pack (@pulumi/pulumi's run-policy-pack, which
 * type-checks with ts-node first): slower, and proof that `pulumi preview --policy-pack` loads it.
 */
export type Launcher = "tsx" | "pulumi";

export function buildLaunchArgs(launcher: Launcher, packDir: string): string[] {
    if (launcher === "pulumi") {
        // The engine passes its own address first; a pack never dials it, so any address will do.
        return [require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:0", packDir];
    }
    return ["--import", pathToFileURL(require.resolve("tsx")).href, packDir];
}

/** Starts the pack program and resolves with the port it prints, as the engine reads it. */
function startPackProcess(
    packDir: string,
    launcher: Launcher,
): Promise<{ child: ChildProcess; port: number }> {
    const child = spawn(process.execPath, buildLaunchArgs(launcher, packDir), {
        cwd: packDir, // PolicyPack reads the pack version from ./package.json
        stdio: ["ignore", "pipe", "pipe"],
    });
    return new Promise((resolve, reject) => {
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => {
            child.kill();
            reject(
                new Error(`policy pack in ${packDir} did not report a port within ${startupTimeoutMs} ms`),
            );
        }, startupTimeoutMs);
        child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.stdout?.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const match = /^(\d+)\s*$/m.exec(stdout);
            if (match) {
                clearTimeout(timer);
                resolve({ child, port: Number(match[1]) });
            }
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(
                new Error(
                    `policy pack in ${packDir} exited with ${code} before serving:\n${stderr}${stdout}`,
                ),
            );
        });
    });
}

function readPolicies(info: pb.AnalyzerInfo): PolicyDescription[] {
    return info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        const properties = (schema?.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
        return {
            name: p.getName(),
            description: p.getDescription(),
            remediationSteps: p.getRemediationSteps(),
            enforcementLevel: findLevelName(p.getEnforcementlevel()),
            ...(schema ? { configSchema: { properties, required: schema.getRequiredList() } } : {}),
        };
    });
}

function readNotApplicable(response: pb.AnalyzeResponse): NotApplicable[] {
    return response.getNotApplicableList().map((n) => ({ policy: n.getPolicyName(), reason: n.getReason() }));
}

export interface PolicySession {
    packName: string;
    policies: PolicyDescription[];
    /** Configure, then Analyze every resource and AnalyzeStack once; one session serves many runs. */
    analyze(resources: ResourceRecord[], config?: PackConfig): Promise<PackAnalysis>;
    close(): void;
}

export async function startPolicySession(
    packDir: string = defaultPackDir,
    launcher: Launcher = "tsx",
): Promise<PolicySession> {
    const { child, port } = await startPackProcess(path.resolve(packDir), launcher);
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    // A crashed or interrupted caller must not leave a pack process (and its port) behind.
    const killChild = (): void => void child.kill();
    process.once("exit", killChild);
    const close = (): void => {
        process.removeListener("exit", killChild);
        client.close();
        child.kill();
    };
    try {
        const info = await call<Empty, pb.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
        const policies = readPolicies(info);
        const descriptions = new Map(policies.map((p) => [p.name, p.description]));
        const analyze = async (resources: ResourceRecord[], config?: PackConfig): Promise<PackAnalysis> => {
            await call<pb.ConfigureAnalyzerRequest, Empty>(
                client.configure.bind(client),
                buildConfigureRequest(policies, config),
            );
            // Resource policies answer per resource; their "not applicable" entries only say "wrong type".
            const perResource = await Promise.all(
                resources.map(async (record) => {
                    const request = describeResource(new pb.AnalyzeRequest(), record);
                    const response = await call<pb.AnalyzeRequest, pb.AnalyzeResponse>(
                        client.analyze.bind(client),
                        request,
                    );
                    return response
                        .getDiagnosticsList()
                        .map((d) => buildViolation(d, descriptions, record.urn));
                }),
            );
            const stackRequest = new pb.AnalyzeStackRequest().setResourcesList(
                resources.map(buildStackResource),
            );
            const stack = await call<pb.AnalyzeStackRequest, pb.AnalyzeResponse>(
                client.analyzeStack.bind(client),
                stackRequest,
            );
            return {
                violations: [
                    ...perResource.flat(),
                    ...stack.getDiagnosticsList().map((d) => buildViolation(d, descriptions)),
                ],
                notApplicable: readNotApplicable(stack),
            };
        };
        return { packName: info.getName(), policies, analyze, close };
    } catch (error) {
        close();
        throw error;
    }
}

/** Full result, including which stack policies declared themselves not applicable and why. */
export async function analyzeWithPolicyPack(
    resources: ResourceRecord[],
    options: RunOptions = {},
): Promise<PackAnalysis> {
    const session = await startPolicySession(options.packDir, options.launcher);
    try {
        return await session.analyze(resources, options.config);
    } finally {
        session.close();
    }
}

export async function runPolicyPack(
    resources: ResourceRecord[],
    options: RunOptions = {},
): Promise<Violation[]> {
    return (await analyzeWithPolicyPack(resources, options)).violations;
}
