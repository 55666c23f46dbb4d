import { parseCliArgs, USAGE, type CliArgs } from "./args";
import { runCheckPr } from "./check-pr";
import { runDev } from "./dev";
import { ChartReleaseError, EXIT } from "./errors";
import { assertGitRepo } from "./git";
import { computeNext, formatNextJson } from "./next";
import { runRelease } from "./release";

/** What a command wants written and the code to exit with; `main` does the writing. */
export interface CommandOutcome {
    stdout: string[];
    stderr: string[];
    exitCode: number;
}

async function dispatch(args: Exclude<CliArgs, { command: "help" }>): Promise<CommandOutcome> {
    // `next` finds out itself (on its hot path one git process fewer counts); the others check first.
    if (args.command !== "next") await assertGitRepo(args.repo);
    switch (args.command) {
        case "next": {
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
        case "dev":
            return { stdout: [await runDev(args.repo)], stderr: [], exitCode: EXIT.ok };
        case "check-pr":
            return runCheckPr(args);
        case "release":
            return runRelease(args);
    }
}

function exitCodeOf(error: unknown): number {
    return error instanceof ChartReleaseError ? error.exitCode : EXIT.internal;
}

/**
 * The lines a failure prints: one line (a usage error adds the usage text). An unforeseen error is an internal
 * error, still one line: a stack trace tells a CI reader nothing, so it only comes with CHART_RELEASE_DEBUG=1.
 */
export function formatFailure(error: unknown, env: NodeJS.ProcessEnv): string[] {
    const message = error instanceof Error ? error.message : String(error);
    const oneLine = message.replace(/\s*\n\s*/g, " ").trim();
    if (error instanceof ChartReleaseError) {
        const hint = error.exitCode === EXIT.usage ? `\n${USAGE}` : "";
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

/** Run the CLI and return its exit code; never throws. */
export async function main(argv: readonly string[], cwd: string): Promise<number> {
    let outcome: CommandOutcome;
    try {
        const args = parseCliArgs(argv, cwd);
        if (args.command === "help") {
            outcome = { stdout: [USAGE], stderr: [], exitCode: EXIT.ok };
        } else {
            outcome = await dispatch(args);
        }
    } catch (error) {
        outcome = { stdout: [], stderr: formatFailure(error, process.env), exitCode: exitCodeOf(error) };
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
