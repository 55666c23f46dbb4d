import { parseCliArgs, type CliArgs } from "./args";
import { ChartReleaseError, EXIT } from "./errors";
import { isCommand, type Command } from "./flags";
import { formatCommandHelp, formatMainHelp, formatUsageHint } from "./help";
import { version } from "../package.json";

import type { CommandOutcome } from "./outcome";

export type { CommandOutcome } from "./outcome";

type RunArgs = Exclude<CliArgs, { command: "help" | "version" }>;

async function dispatch(args: RunArgs): Promise<CommandOutcome> {
    // `next` finds out itself (on its hot path one git process fewer counts); `mode` reads one file and needs
    // no repository; the others check first.
    if (args.command !== "next" && args.command !== "mode")
        await (await import("./git")).assertGitRepo(args.repo);
    switch (args.command) {
        case "next": {
            // Every command module is loaded when its command runs; the bundle keeps these imports lazy, so
            // --help, --version, dev and check-pr never load yaml, semver or the commit parser.
            const { computeNext, formatNextJson } = await import("./next");
            // Only with --stack-config: the stack's versionSource decides where the last release is read.
            const versionSource =
                args.stackConfig === undefined
                    ? undefined
                    : (await (await import("./deploy")).readStackMode(args.repo, args.stackConfig))
                          .versionSource;
            const result = await computeNext({ ...args, versionSource });
            const stdout = args.json ? [formatNextJson(result)] : result.next === null ? [] : [result.next];
            const since = result.base ?? "the first commit";
            const stderr =
                result.next !== null
                    ? []
                    : result.commits.length === 0
                      ? [`no release: no commit since ${since} touches the chart's paths`]
                      : [
                            `no release: ${result.commits.length} commit(s) since ${since} touch the chart's ` +
                                `paths, none is a feat, fix, perf, revert or breaking change`,
                        ];
            return { stdout, stderr, exitCode: EXIT.ok };
        }
        case "dev": {
            const { runDev } = await import("./dev");
            const dev = await runDev(args.repo);
            return {
                stdout: [args.json ? JSON.stringify({ version: dev }) : dev],
                stderr: [],
                exitCode: EXIT.ok,
            };
        }
        case "check-pr": {
            const { runCheckPr } = await import("./check-pr");
            // In GitHub Actions the edits are also workflow commands, so the PR marks the offending lines.
            return runCheckPr({ ...args, annotations: process.env.GITHUB_ACTIONS === "true" });
        }
        case "release": {
            const { runRelease } = await import("./release");
            return runRelease(args);
        }
        case "mode": {
            const { runMode } = await import("./mode");
            return runMode(args);
        }
    }
}

/** An error's message folded into one line: every failure ends in one line. */
function oneLineMessage(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/\s*\n\s*/g, " ").trim();
}

function exitCodeOf(error: unknown): number {
    return error instanceof ChartReleaseError ? error.exitCode : EXIT.internal;
}

/**
 * The lines a failure prints on stderr: one line (a usage error adds the command's synopsis and where its help
 * is). An unforeseen error is an internal error (exit 70), still one line: a stack trace tells a CI reader
 * nothing, so it only comes with CHART_RELEASE_DEBUG=1.
 */
export function formatFailure(error: unknown, env: NodeJS.ProcessEnv, command?: Command): string[] {
    const oneLine = oneLineMessage(error);
    if (error instanceof ChartReleaseError) {
        const hint = error.exitCode === EXIT.usage ? `\n${formatUsageHint(command)}` : "";
        return [`chart-release: ${oneLine}${hint}`];
    }
    const debug = env.CHART_RELEASE_DEBUG === "1";
    const lines = [
        `chart-release: internal error: ${oneLine}` +
            (debug ? "" : " (a bug in chart-release; CHART_RELEASE_DEBUG=1 prints the stack trace)"),
    ];
    if (debug && error instanceof Error && error.stack) lines.push(error.stack);
    return lines;
}

/** What an error ends with: the lines of formatFailure, and under --json a JSON document on stdout too. */
function failure(error: unknown, argv: readonly string[], args: RunArgs | undefined): CommandOutcome {
    const first = argv[0];
    const command = first !== undefined && isCommand(first) ? first : undefined;
    const exitCode = exitCodeOf(error);
    return {
        stdout: args?.json ? [JSON.stringify({ error: oneLineMessage(error), exitCode })] : [],
        stderr: formatFailure(error, process.env, command),
        exitCode,
    };
}

/** Run the CLI and return its exit code; never throws. */
export async function main(argv: readonly string[], cwd: string): Promise<number> {
    let outcome: CommandOutcome;
    let args: CliArgs | undefined;
    try {
        args = parseCliArgs(argv, cwd);
        if (args.command === "help") {
            const text = args.topic === undefined ? formatMainHelp() : formatCommandHelp(args.topic);
            outcome = { stdout: [text], stderr: [], exitCode: EXIT.ok };
        } else if (args.command === "version") {
            outcome = { stdout: [version], stderr: [], exitCode: EXIT.ok };
        } else {
            outcome = await dispatch(args);
        }
    } catch (error) {
        const runArgs = args && args.command !== "help" && args.command !== "version" ? args : undefined;
        outcome = failure(error, argv, runArgs);
    }
    for (const line of outcome.stdout) process.stdout.write(`${line}\n`);
    for (const line of outcome.stderr) process.stderr.write(`${line}\n`);
    return outcome.exitCode;
}

if (require.main === module) {
    void main(process.argv.slice(2), process.cwd()).then((code) => {
        process.exitCode = code;
    });
}
