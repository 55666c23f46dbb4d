import { readFile } from "node:fs/promises";
import path from "node:path";
// Single-function imports: loading all of semver costs more start-up time than the rest of `next`.
import valid from "semver/functions/valid";
import { isMap, isScalar, parseDocument, Scalar } from "yaml";
import { ChartReleaseError, EXIT } from "./errors";

/** The Chart.yaml fields this tool relies on, plus everything else for the OCI config blob. */
export interface ChartMetadata {
    name: string;
    version: string;
    fields: Record<string, unknown>;
}

function invalid(file: string, message: string): ChartReleaseError {
    return new ChartReleaseError(`${file}: ${message}`, EXIT.invalidInput);
}

function parseChartDocument(text: string, file: string) {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
        throw invalid(file, `malformed YAML: ${doc.errors[0].message.split("\n")[0]}`);
    }
    if (!isMap(doc.contents)) throw invalid(file, "malformed Chart.yaml: the top level must be a mapping");
    return doc;
}

/** Parse and validate Chart.yaml text: `name` must be a string and `version` a SemVer 2 string. */
export function parseChartYaml(text: string, file: string): ChartMetadata {
    const doc = parseChartDocument(text, file);
    const fields = doc.toJS() as Record<string, unknown>;
    const { name, version } = fields;
    if (typeof name !== "string" || name === "")
        throw invalid(file, "malformed Chart.yaml: `name:` is missing");
    if (version === undefined) throw invalid(file, "malformed Chart.yaml: `version:` is missing");
    // `version: 1.2` is a YAML number; Helm rejects it, and so do we rather than guess.
    if (typeof version !== "string" || valid(version) === null) {
        throw invalid(
            file,
            `malformed Chart.yaml: version ${JSON.stringify(version)} is not a SemVer 2 string`,
        );
    }
    return { name, version, fields };
}

/** Read and validate `<chartDir>/Chart.yaml`. */
export async function readChart(repo: string, chartDir: string): Promise<ChartMetadata & { file: string }> {
    const file = path.join(chartDir, "Chart.yaml");
    let text: string;
    try {
        text = await readFile(path.join(repo, file), "utf8");
    } catch {
        throw new ChartReleaseError(
            `--chart ${chartDir}: no Chart.yaml at ${path.join(repo, file)}`,
            EXIT.invalidInput,
        );
    }
    return { ...parseChartYaml(text, file), file };
}

function quoteLike(node: Scalar, version: string): string {
    if (node.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(version);
    if (node.type === Scalar.QUOTE_SINGLE) return `'${version}'`;
    return version;
}

/**
 * Return `text` with the top-level `version:` value replaced and every other byte kept: comments, quoting,
 * key order and indentation. The value's source range comes from the YAML parser, so a `version:` inside
 * `dependencies:` or a comment is never touched.
 */
export function setChartVersion(text: string, version: string, file = "Chart.yaml"): string {
    const doc = parseChartDocument(text, file);
    const node = doc.get("version", true);
    if (!isScalar(node) || node.range === undefined || node.range === null) {
        throw invalid(file, "malformed Chart.yaml: `version:` is not a scalar");
    }
    const [start, valueEnd] = node.range;
    const updated = text.slice(0, start) + quoteLike(node, version) + text.slice(valueEnd);
    const check = parseChartYaml(updated, file);
    if (check.version !== version) throw invalid(file, `could not set version to ${version}`);
    return updated;
}
