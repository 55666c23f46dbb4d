/**
 * `yaml-update`, ported from kargo v1.11.2: pkg/promotion/runner/builtin/yaml_updater.go (run, updateFile,
 * generateCommitMessage), pkg/yaml/yaml.go (SetValuesInFile, SetValuesInBytes, findScalarNode),
 * pkg/yaml/quote.go (QuoteIfNecessary) and pkg/sjson/split_key.go (SplitKey).
 *
 * The rule that matters for a first promotion: the file must exist and every key must already address a
 * scalar — a missing file or key is an error, never a creation. The write is line-based: everything from
 * the scalar's column to the end of its line is replaced, so comments and formatting elsewhere survive.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from "yaml";
import { secureJoin } from "./paths";
import type { StepOutcome } from "../types";

/** split_key.go SplitKey: dots separate, `\.` and `\:` escape, a leading `:` marks a numeric map key. */
export function splitKey(raw: string): string[] {
    const key = raw.trim();
    if (key === "") throw new Error("empty key");
    const parts: string[] = [];
    let current = "";
    let escaped = false;
    for (const ch of key) {
        if (escaped) {
            if (ch !== "." && ch !== ":") throw new Error(`invalid escape sequence in key "${key}"`);
            current += ch;
            escaped = false;
        } else if (ch === "\\") {
            escaped = true;
        } else if (ch === ".") {
            if (current === "") throw new Error(`empty key part in key "${key}"`);
            parts.push(current);
            current = "";
        } else if (ch === ":") {
            if (current !== "") throw new Error(`unexpected colon in key "${key}"`);
        } else {
            current += ch;
        }
    }
    if (current === "") throw new Error(`empty key part in key "${key}"`);
    return [...parts, current];
}

/** quote.go QuoteIfNecessary: a string YAML would read as a number, bool or JSON gets Go-quoted. */
export function quoteIfNecessary(value: unknown): string {
    if (typeof value !== "string") return typeof value === "object" ? JSON.stringify(value) : String(value);
    const looksNumeric = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value);
    const looksBool = [
        "1",
        "t",
        "T",
        "TRUE",
        "true",
        "True",
        "0",
        "f",
        "F",
        "FALSE",
        "false",
        "False",
    ].includes(value);
    let looksJson = false;
    try {
        JSON.parse(value);
        looksJson = true;
    } catch {
        looksJson = false;
    }
    return looksNumeric || looksBool || looksJson ? JSON.stringify(value) : value;
}

/** yaml.go findScalarNode: [line, column] (0-based) of the scalar at `path`, or throw. */
function findScalar(
    node: Node | null | undefined,
    path: readonly string[],
    lines: LineCounter,
): [number, number] {
    if (path.length === 0) {
        if (node && isScalar(node) && node.range) {
            const pos = lines.linePos(node.range[0]);
            return [pos.line - 1, pos.col - 1];
        }
        throw new Error("key path does not address a scalar node");
    }
    if (node && isMap(node)) {
        for (const pair of node.items) {
            const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
            if (key === path[0]) return findScalar(pair.value as Node | null, path.slice(1), lines);
        }
    } else if (node && isSeq(node)) {
        if (!/^[+-]?\d+$/.test(path[0]))
            throw new Error(`strconv.Atoi: parsing "${path[0]}": invalid syntax`);
        const item = node.items[Number(path[0])];
        if (item === undefined)
            throw new Error(`index out of range [${path[0]}] with length ${node.items.length}`);
        return findScalar(item as Node, path.slice(1), lines);
    } else if (node && isAlias(node)) {
        throw new Error("key path not found");
    }
    throw new Error("key path not found");
}

export interface YamlUpdate {
    readonly key: string;
    readonly value: unknown;
}

/**
 * yaml.go SetValuesInBytes: the first document only, as yaml.Unmarshal into a Node reads it (go.yaml.in/yaml/v3
 * decodes one document and never looks past it), so a second document after `---` is neither an error nor
 * touched: the lines after the first document are written back as they are.
 */
export function setValuesInText(text: string, updates: readonly YamlUpdate[]): string {
    const lines = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter: lines, keepSourceTokens: true });
    const doc = Array.isArray(docs) ? docs[0] : undefined;
    if (doc && doc.errors.length > 0) throw new Error(`error unmarshaling input: ${doc.errors[0].message}`);
    const changes = new Map<number, { col: number; value: unknown }>();
    for (const u of updates) {
        const path = (() => {
            try {
                return splitKey(u.key);
            } catch (err) {
                throw new Error(`error splitting key ${u.key}: ${(err as Error).message}`);
            }
        })();
        try {
            const [line, col] = findScalar(doc?.contents as Node | null | undefined, path, lines);
            changes.set(line, { col, value: u.value });
        } catch (err) {
            throw new Error(`error finding key ${u.key}: ${(err as Error).message}`);
        }
    }
    const inLines = text.split("\n");
    if (inLines[inLines.length - 1] === "") inLines.pop();
    return inLines
        .map((raw, i) => {
            const line = raw.replace(/\r$/, "");
            const change = changes.get(i);
            if (!change) return `${line}\n`;
            const kept = line.slice(0, change.col);
            return `${kept}${kept.endsWith(" ") ? "" : " "}${quoteIfNecessary(change.value)}\n`;
        })
        .join("");
}

interface YamlUpdateConfig {
    readonly path: string;
    readonly updates?: readonly YamlUpdate[];
}

/** yaml_updater.go run/updateFile: errors are Errored (retried by Kargo, and failing again the same way). */
export function runYamlUpdate(config: YamlUpdateConfig, workDir: string): StepOutcome {
    const updates = config.updates ?? [];
    if (updates.length === 0) return { status: "Succeeded", checks: [] };
    const file = secureJoin(workDir, config.path);
    const where = `values file update failed: error updating image references in values file "${config.path}"`;
    if (!existsSync(file)) {
        return {
            status: "Errored",
            message: `${where}: error reading file "${file}": open ${file}: no such file or directory`,
            checks: [{ name: "file exists", ok: false, detail: config.path }],
        };
    }
    let out: string;
    try {
        out = setValuesInText(readFileSync(file, "utf8"), updates);
    } catch (err) {
        return {
            status: "Errored",
            message: `${where}: error mutating bytes: ${(err as Error).message}`,
            checks: [
                { name: "file exists", ok: true, detail: config.path },
                { name: "every key addresses an existing scalar", ok: false, detail: (err as Error).message },
            ],
        };
    }
    writeFileSync(file, out);
    const message = [
        `Updated ${config.path}\n`,
        ...updates.map((u) => `\n- ${u.key}: ${quoteIfNecessary(u.value)}`),
    ].join("");
    return {
        status: "Succeeded",
        output: { commitMessage: message },
        checks: [
            { name: "file exists", ok: true, detail: config.path },
            {
                name: "every key addresses an existing scalar",
                ok: true,
                detail: updates.map((u) => `${u.key} = ${quoteIfNecessary(u.value)}`).join(", "),
            },
        ],
    };
}
