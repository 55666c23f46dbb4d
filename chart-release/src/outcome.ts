/**
 * What a command wants written and the code to exit with; `main` (cli.ts) does the writing. Its own module
 * so the commands, which cli.ts loads lazily, never import cli.ts back.
 */
export interface CommandOutcome {
    stdout: string[];
    stderr: string[];
    exitCode: number;
}
