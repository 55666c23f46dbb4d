import { parseCliArgs, type CliArgs } from "./args";
import { ChartReleaseError, EXIT } from "./errors";
import { isCommand } from "./flags";
import { formatCommandHelp, formatMainHelp, formatUsageHint } from "./help";
import { version } from "../package.json";

/** What a command wants written and the code to exit with; `main` does the writing. */
export interface CommandOutcome {
    stdout: string[];
    stderr: string[];
    exitCode: number;
}

type RunArgs = Exclude<CliArgs, { command: "help" | "version" }>;

async function dispatch(args: RunArgs): Promise<CommandOutcome> {
    // `next` finds out itself (on its hot path one git process fewer counts); the others check first.
    if (args.command !== "next") await (await import("./git")).assertGitRepo(args.repo);
    switch (args.command) {
        case "next": {
            // Every command module is loaded when its command runs; the bundle keeps these imports lazy, so
            // --help, --version, dev and check-pr never load yaml, semver or the commit parser.
            const { computeNext, formatNextJson } = await import("./next");
            const result = await computeNext(args);
            const stdout = args.json ? [formatNextJson(result)] : result.next === null ? [] : [result.next];
            const stderr =
                result.next === null
                    ? [
                          `no release: ${result.commits.length} commit(s) since ${result.base ?? "the first commit"} touch ` +
                              `the chart's paths, none is a feat, fix, perf, revert or breaking change`,
                      ]
                    : [];
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
    }
}

/** What an error ends with: the message (and for usage errors where to read more), JSON too under --json. */
function failure(error: unknown, argv: readonly string[], args: RunArgs | undefined): CommandOutcome {
    if (error instanceof ChartReleaseError) {
        const first = argv[0];
        const command = first !== undefined && isCommand(first) ? first : undefined;
        const hint = error.exitCode === EXIT.usage ? `\n${formatUsageHint(command)}` : "";
        return {
            stdout: args?.json ? [JSON.stringify({ error: error.message, exitCode: error.exitCode })] : [],
            stderr: [`chart-release: ${error.message}${hint}`],
            exitCode: error.exitCode,
        };
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return {
        stdout: args?.json ? [JSON.stringify({ error: String(error), exitCode: EXIT.failed })] : [],
        stderr: [`chart-release: unexpected error: ${detail}`],
        exitCode: EXIT.failed,
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
