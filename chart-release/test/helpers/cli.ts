import { execFile, execFileSync } from "node:child_process";
import path from "node:path";

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

const PACKAGE = path.join(__dirname, "..", "..");
export const LAUNCHER = path.join(PACKAGE, "bin", "chart-release");

let built = false;

/**
 * Build dist/ from the current source once per test run, so the bin under test is never a stale build and a
 * fresh clone needs no build step before `npm test` (esbuild resolves from chart-release/node_modules or the
 * root's, whichever install there is).
 */
export function buildDist(): void {
    if (built) return;
    execFileSync(process.execPath, [path.join(PACKAGE, "scripts", "build.mjs")], { stdio: "inherit" });
    built = true;
}

/** Run the real `chart-release` bin in a child process, with the Node that runs the tests. */
export function runCli(
    args: readonly string[],
    cwd: string,
    env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
    buildDist();
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
