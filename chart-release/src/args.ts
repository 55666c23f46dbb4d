import { parseArgs, type ParseArgsConfig } from "node:util";
import { usageError } from "./errors";
import { COMMANDS, FLAGS, isCommand, type Command, type FlagDef } from "./flags";

/** parseArgs options for one command, derived from the flag definitions (absent keys stay absent). */
function parseOptions(command: Command): ParseArgsConfig["options"] {
    return Object.fromEntries(
        COMMANDS[command].flags.map((name) => {
            const { type, multiple, short }: FlagDef = FLAGS[name];
            return [name, { type, ...(multiple && { multiple }), ...(short && { short }) }];
        }),
    );
}

export type { Command } from "./flags";

export interface CommonArgs {
    repo: string;
    chart: string;
}
export interface VersioningArgs {
    paths: string[];
    since?: string;
    pre1BreakingBumpsMinor: boolean;
}
export type CliArgs =
    | { command: "help"; topic?: Command }
    | { command: "version" }
    | ({ command: "next"; json: boolean; stackConfig?: string } & CommonArgs & VersioningArgs)
    | ({ command: "dev"; json: boolean } & CommonArgs)
    | ({ command: "check-pr"; base: string; head: string; deployGlobs: string[]; json: boolean } & CommonArgs)
    | ({
          command: "release";
          /** Absent: taken from the stack file's `charts` (args.ts requires one of the two). */
          registry?: string;
          push: boolean;
          plainHttp: boolean;
          remote: string;
          branch: string;
          maxAttempts: number;
          retryDelayMs: number;
          resume: boolean;
          /** Publish below the registry's newest version on purpose (a hotfix line). */
          allowOlder: boolean;
          json: boolean;
          /** A Pulumi stack file; its `release-pipeline:pipeline` → `mode` decides who writes deploy files. */
          stackConfig?: string;
          /** Deploy files whose `spec.source.targetRevision` the release commit sets (mode bump-only). */
          deployFiles: string[];
      } & CommonArgs &
          VersioningArgs)
    | { command: "mode"; repo: string; stackConfig: string; json: boolean };

/** The release command's parsed flags. */
export type ReleaseArgs = Omit<Extract<CliArgs, { command: "release" }>, "command">;

export const DEFAULT_DEPLOY_GLOBS: readonly string[] = FLAGS.deploy.default;

function requireValue(value: string | undefined, flag: string, command: string): string {
    if (value === undefined || value === "") throw usageError(`${command}: ${flag} is required`);
    return value;
}

function parsePositiveInt(value: string, flag: string, min: number): number {
    if (!/^\d+$/.test(value) || Number(value) < min) {
        throw usageError(`${flag} ${JSON.stringify(value)}: expected an integer >= ${min}`);
    }
    return Number(value);
}

function parseBreakingPre1(value: string): boolean {
    if (value === "minor") return true;
    if (value === "major") return false;
    throw usageError(`--breaking-pre1 ${JSON.stringify(value)}: expected "minor" or "major"`);
}

function parseRegistry(value: string | undefined, stackConfig: string | undefined): string | undefined {
    // With a stack file the registry may come from its `charts` (release.ts checks the chart is declared).
    if (value === undefined && stackConfig !== undefined && stackConfig !== "") return undefined;
    const registry = requireValue(value, "--registry", "release");
    if (!/^oci:\/\/[^/\s]+(\/[^\s]*)?$/.test(registry)) {
        throw usageError(`--registry ${JSON.stringify(registry)}: expected oci://HOST[:PORT]/PATH`);
    }
    return registry.replace(/\/+$/, "");
}

/** Parse argv (without node and script) into a typed command, or throw a usage error naming the flag. */
export function parseCliArgs(argv: readonly string[], cwd: string): CliArgs {
    const [command, ...rest] = argv;
    // No command is a usage error (exit 2), as with git: a script that lost its arguments must not pass.
    if (command === undefined) throw usageError("no command given");
    if (command === "--help" || command === "-h") return { command: "help" };
    if (command === "--version") return { command: "version" };
    if (command === "help") {
        const topic = rest[0];
        if (topic === undefined) return { command: "help" };
        if (!isCommand(topic)) throw usageError(`help: unknown command ${JSON.stringify(topic)}`);
        return { command: "help", topic };
    }
    if (!isCommand(command)) throw usageError(`unknown command ${JSON.stringify(command)}`);
    let values: Record<string, string | boolean | string[] | undefined>;
    try {
        const parsed = parseArgs({
            args: [...rest],
            options: parseOptions(command),
            strict: true,
            allowPositionals: false,
        });
        values = parsed.values as typeof values;
    } catch (error) {
        throw usageError(`${command}: ${(error as Error).message}`);
    }
    if (values.help) return { command: "help", topic: command };
    const str = (name: string) => values[name] as string | undefined;
    const list = (name: string) => (values[name] as string[] | undefined) ?? [];
    const common: CommonArgs = { repo: str("repo") ?? cwd, chart: str("chart") ?? FLAGS.chart.default };
    if (common.repo === "") throw usageError(`${command}: --repo must not be empty`);
    if (common.chart === "") throw usageError(`${command}: --chart must not be empty`);
    const versioning = (): VersioningArgs => ({
        paths: list("path"),
        since: str("since"),
        pre1BreakingBumpsMinor: parseBreakingPre1(str("breaking-pre1") ?? FLAGS["breaking-pre1"].default),
    });
    switch (command) {
        case "next":
            return {
                command,
                ...common,
                ...versioning(),
                json: values.json === true,
                stackConfig: str("stack-config"),
            };
        case "dev":
            return { command, ...common, json: values.json === true };
        case "check-pr": {
            const deploy = list("deploy");
            return {
                command,
                ...common,
                base: requireValue(str("base"), "--base", command),
                head: requireValue(str("head"), "--head", command),
                deployGlobs: deploy.length > 0 ? deploy : [...DEFAULT_DEPLOY_GLOBS],
                json: values.json === true,
            };
        }
        case "release":
            return {
                command,
                ...common,
                ...versioning(),
                registry: parseRegistry(str("registry"), str("stack-config")),
                push: values.push === true,
                plainHttp: values["plain-http"] === true,
                remote: str("remote") ?? FLAGS.remote.default,
                branch: str("branch") ?? FLAGS.branch.default,
                maxAttempts: parsePositiveInt(
                    str("max-attempts") ?? FLAGS["max-attempts"].default,
                    "--max-attempts",
                    1,
                ),
                retryDelayMs: parsePositiveInt(
                    str("retry-delay-ms") ?? FLAGS["retry-delay-ms"].default,
                    "--retry-delay-ms",
                    0,
                ),
                resume: values.resume === true,
                allowOlder: values["allow-older"] === true,
                json: values.json === true,
                stackConfig: str("stack-config"),
                deployFiles: list("deploy-file"),
            };
        case "mode":
            return {
                command,
                repo: common.repo,
                stackConfig: requireValue(str("stack-config"), "--stack-config", command),
                json: values.json === true,
            };
    }
}
