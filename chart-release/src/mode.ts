import type { CommandOutcome } from "./outcome";
import { DEFAULT_STACK_MODE, readStackMode } from "./deploy";
import { EXIT } from "./errors";

export interface ModeArgs {
    repo: string;
    stackConfig: string;
    json: boolean;
}

/**
 * `chart-release mode`: the stack's pipeline mode, read by the parser `release` uses for `--stack-config`
 * (deploy.ts), so a workflow decides on `--deploy-file` by the same rule `release` then enforces.
 */
export async function runMode(args: ModeArgs): Promise<CommandOutcome> {
    const source = await readStackMode(args.repo, args.stackConfig);
    return {
        stdout: [
            args.json
                ? JSON.stringify({ mode: source.mode, versionSource: source.versionSource })
                : source.mode,
        ],
        stderr: source.explicit
            ? []
            : [
                  `mode: ${args.stackConfig} has no \`release-pipeline:pipeline → mode\`, so the stack default ` +
                      `"${DEFAULT_STACK_MODE}" applies`,
              ],
        exitCode: EXIT.ok,
    };
}
