import { parseArgs, type ParseArgsConfig } from "node:util";
import { usageError } from "./errors";

export const USAGE = `usage: chart-release <command> [options]

commands:
  next      [--path GLOB]... [--since REF] [--json] [--breaking-pre1 minor|major]
  dev
  check-pr  --base REF --head REF [--deploy GLOB]...
  release   --registry oci://HOST/PATH [--push] [--plain-http] [--path GLOB]... [--since REF]
            [--breaking-pre1 minor|major] [--remote NAME] [--branch NAME] [--max-attempts N]
            [--retry-delay-ms N] [--resume] [--json] [--stack-config FILE [--deploy-file FILE]...]

every command: --repo DIR (default: current directory), --chart DIR (default: chart)`;

const COMMON = {
    repo: { type: "string" },
    chart: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

const VERSIONING = {
    path: { type: "string", multiple: true },
    since: { type: "string" },
    "breaking-pre1": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

const OPTIONS = {
    next: { ...COMMON, ...VERSIONING, json: { type: "boolean" } },
    dev: { ...COMMON },
    "check-pr": {
        ...COMMON,
        base: { type: "string" },
        head: { type: "string" },
        deploy: { type: "string", multiple: true },
    },
    release: {
        ...COMMON,
        ...VERSIONING,
        registry: { type: "string" },
        push: { type: "boolean" },
        "plain-http": { type: "boolean" },
        remote: { type: "string" },
        branch: { type: "string" },
        "max-attempts": { type: "string" },
        "retry-delay-ms": { type: "string" },
        resume: { type: "boolean" },
        json: { type: "boolean" },
        "stack-config": { type: "string" },
        "deploy-file": { type: "string", multiple: true },
    },
} as const satisfies Record<string, ParseArgsConfig["options"]>;

export type Command = keyof typeof OPTIONS;

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
    | { command: "help" }
    | ({ command: "next"; json: boolean } & CommonArgs & VersioningArgs)
    | ({ command: "dev" } & CommonArgs)
    | ({ command: "check-pr"; base: string; head: string; deployGlobs: string[] } & CommonArgs)
    | ({
          command: "release";
          registry: string;
          push: boolean;
          plainHttp: boolean;
          remote: string;
          branch: string;
          maxAttempts: number;
          retryDelayMs: number;
          resume: boolean;
          json: boolean;
          /** A Pulumi stack file; its `release-pipeline:pipeline` → `mode` decides who writes deploy files. */
          stackConfig?: string;
          /** Deploy files whose `spec.source.targetRevision` the release commit sets (mode bump-only). */
          deployFiles: string[];
      } & CommonArgs &
          VersioningArgs);

export const DEFAULT_DEPLOY_GLOBS = ["deploy/**/*.yaml", "deploy/**/*.yml"];

function isCommand(name: string): name is Command {
    return Object.hasOwn(OPTIONS, name);
}

function requireValue(value: string | undefined, flag: string, command: string): string {
    if (value === undefined || value === "") throw usageError(`${command}: ${flag} is required`);
    return value;
}

function parsePositiveInt(value: string | undefined, flag: string, fallback: number, min: number): number {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min) {
        throw usageError(`${flag} ${JSON.stringify(value)}: expected an integer >= ${min}`);
    }
    return Number(value);
}

function parseBreakingPre1(value: string | undefined): boolean {
    if (value === undefined || value === "minor") return true;
    if (value === "major") return false;
    throw usageError(`--breaking-pre1 ${JSON.stringify(value)}: expected "minor" or "major"`);
}

function parseRegistry(value: string | undefined): string {
    const registry = requireValue(value, "--registry", "release");
    if (!/^oci:\/\/[^/\s]+(\/[^\s]*)?$/.test(registry)) {
        throw usageError(`--registry ${JSON.stringify(registry)}: expected oci://HOST[:PORT]/PATH`);
    }
    return registry.replace(/\/+$/, "");
}

/** Parse argv (without node and script) into a typed command, or throw a usage error naming the flag. */
export function parseCliArgs(argv: readonly string[], cwd: string): CliArgs {
    const [command, ...rest] = argv;
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
        return { command: "help" };
    }
    if (!isCommand(command)) throw usageError(`unknown command ${JSON.stringify(command)}`);
    let values: Record<string, string | boolean | string[] | undefined>;
    try {
        const parsed = parseArgs({
            args: [...rest],
            options: OPTIONS[command],
            strict: true,
            allowPositionals: false,
        });
        values = parsed.values as typeof values;
    } catch (error) {
        throw usageError(`${command}: ${(error as Error).message}`);
    }
    if (values.help) return { command: "help" };
    const str = (name: string) => values[name] as string | undefined;
    const list = (name: string) => (values[name] as string[] | undefined) ?? [];
    const common: CommonArgs = { repo: str("repo") ?? cwd, chart: str("chart") ?? "chart" };
    if (common.repo === "") throw usageError(`${command}: --repo must not be empty`);
    if (common.chart === "") throw usageError(`${command}: --chart must not be empty`);
    const versioning = (): VersioningArgs => ({
        paths: list("path"),
        since: str("since"),
        pre1BreakingBumpsMinor: parseBreakingPre1(str("breaking-pre1")),
    });
    switch (command) {
        case "next":
            return { command, ...common, ...versioning(), json: values.json === true };
        case "dev":
            return { command, ...common };
        case "check-pr": {
            const deploy = list("deploy");
            return {
                command,
                ...common,
                base: requireValue(str("base"), "--base", command),
                head: requireValue(str("head"), "--head", command),
                deployGlobs: deploy.length > 0 ? deploy : DEFAULT_DEPLOY_GLOBS,
            };
        }
        case "release":
            return {
                command,
                ...common,
                ...versioning(),
                registry: parseRegistry(str("registry")),
                push: values.push === true,
                plainHttp: values["plain-http"] === true,
                remote: str("remote") ?? "origin",
                branch: str("branch") ?? "main",
                maxAttempts: parsePositiveInt(str("max-attempts"), "--max-attempts", 10, 1),
                retryDelayMs: parsePositiveInt(str("retry-delay-ms"), "--retry-delay-ms", 500, 0),
                resume: values.resume === true,
                json: values.json === true,
                stackConfig: str("stack-config"),
                deployFiles: list("deploy-file"),
            };
    }
}
