import { EXIT } from "./errors";
import {
    COMMANDS,
    ENVIRONMENT,
    EXIT_HELP,
    FLAGS,
    type Command,
    type CommandDef,
    type ExitName,
    type FlagDef,
    type FlagName,
} from "./flags";

// Help is text derived from flags.ts and nothing else: no flag, variable or exit code is written twice.

const LINE = 100;

/** Greedy word wrap to `width` columns. */
function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(" ")) {
        if (line !== "" && line.length + 1 + word.length > width) {
            lines.push(line);
            line = word;
        } else {
            line = line === "" ? word : `${line} ${word}`;
        }
    }
    return [...lines, line];
}

/** A label and its text in two columns; a label too wide for the column gets a line of its own. */
function row(label: string, text: string, column = 26): string {
    const indent = " ".repeat(column);
    const [first, ...more] = wrap(text, LINE - column);
    const head =
        label.length < column - 2 ? `  ${label.padEnd(column - 2)}${first}` : `  ${label}\n${indent}${first}`;
    return [head, ...more.map((line) => indent + line)].join("\n");
}

/** `--path GLOB`, `-h, --help`: how a flag is written. */
export function formatFlag(name: FlagName): string {
    const flag: FlagDef = FLAGS[name];
    const long = flag.value ? `--${name} ${flag.value}` : `--${name}`;
    return flag.short ? `-${flag.short}, ${long}` : long;
}

/** Whether `command` requires the flag: always required, or required by this command. */
function isRequired(command: Command, name: FlagName): boolean {
    const def: CommandDef = COMMANDS[command];
    const flag: FlagDef = FLAGS[name];
    return flag.required === true || (def.requires ?? []).includes(name);
}

/** One flag in the synopsis: `--base REF` when required, `[--path GLOB]...` when repeatable. */
function synopsisItem(command: Command, name: FlagName): string {
    const flag: FlagDef = FLAGS[name];
    const written = flag.value ? `--${name} ${flag.value}` : `--${name}`;
    if (isRequired(command, name)) return written;
    return flag.multiple ? `[${written}]...` : `[${written}]`;
}

export function formatSynopsis(command: Command): string {
    const items = COMMANDS[command].flags
        .filter((name) => name !== "help")
        .map((name) => synopsisItem(command, name));
    const lines: string[] = [];
    let line = `chart-release ${command}`;
    for (const item of items) {
        if (line.length + item.length + 1 > LINE) {
            lines.push(line);
            line = " ".repeat(`chart-release ${command}`.length);
        }
        line += ` ${item}`;
    }
    return [...lines, line].join("\n");
}

function describeFlag(command: Command, name: FlagName): string {
    const flag: FlagDef = FLAGS[name];
    const notes = [
        isRequired(command, name) ? "required" : null,
        flag.multiple ? "repeatable" : null,
        flag.default !== undefined ? `default: ${[flag.default].flat().join(", ")}` : null,
    ].filter((note) => note !== null);
    return notes.length > 0 ? `${flag.help} (${notes.join("; ")})` : flag.help;
}

function exitRows(def: CommandDef): string[] {
    return def.exits.map((name: ExitName) =>
        row(String(EXIT[name]), def.exitNotes?.[name] ?? EXIT_HELP[name], 6),
    );
}

/** `chart-release <command> --help`. */
export function formatCommandHelp(command: Command): string {
    const def: CommandDef = COMMANDS[command];
    const env =
        def.env.length > 0
            ? def.env.map((name) => row(name, ENVIRONMENT[name]))
            : ["  (none read by this command)"];
    return [
        `usage: ${formatSynopsis(command)}`,
        "",
        ...wrap(def.summary, LINE),
        "",
        "options:",
        ...def.flags.map((name) => row(formatFlag(name), describeFlag(command, name))),
        "",
        "environment:",
        ...env,
        "",
        "exit codes:",
        ...exitRows(def),
    ].join("\n");
}

/** `chart-release --help`: the commands, then where to find each one's flags. */
export function formatMainHelp(): string {
    const commands = Object.keys(COMMANDS) as Command[];
    return [
        "usage: chart-release <command> [options]",
        "       chart-release --version | --help",
        "",
        ...wrap(
            "Post-merge Helm chart versioning (ADR 009): PRs get a dev version, main computes and publishes the next one.",
            LINE,
        ),
        "",
        "commands:",
        ...commands.map((command) => row(command, COMMANDS[command].summary, 12)),
        "",
        'Run "chart-release <command> --help" for its options, environment variables and exit codes.',
        "",
        "exit codes:",
        ...(Object.keys(EXIT) as ExitName[]).map((name) => row(String(EXIT[name]), EXIT_HELP[name], 6)),
    ].join("\n");
}

/** What a usage error prints after the message: the synopsis and where the full help is. */
export function formatUsageHint(command: Command | undefined): string {
    if (command === undefined) return 'usage: chart-release <command> [options]; see "chart-release --help"';
    return `usage: ${formatSynopsis(command)}\nsee "chart-release ${command} --help"`;
}
