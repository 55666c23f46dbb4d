import { execFile } from "node:child_process";
import path from "node:path";

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

const LAUNCHER = path.join(__dirname, "..", "..", "bin", "chart-release");

/** Run the real `chart-release` bin in a child process, with the Node that runs the tests. */
export function runCli(
    args: readonly string[],
    cwd: string,
    env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            [LAUNCHER, ...args],
            { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => {
                const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
                resolve({ code, stdout, stderr });
            },
        );
    });
}
