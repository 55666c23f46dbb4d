import { readFile } from "node:fs/promises";
import path from "node:path";
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

/**
 * SemVer 2.0.0 exactly (semver.org's regular expression): three numeric parts without leading zeros, no `v`,
 * no surrounding spaces, optional pre-release and build identifiers. This is Masterminds/semver's
 * `StrictNewVersion`, which Helm applies to chart versions in `helm lint`
 * (pkg/chart/v2/lint/rules/chartfile.go, validateChartVersionStrictSemVerV2) and to registry tags when it
 * resolves chart versions (pkg/registry/client.go, Tags: a tag that is not strict SemVer is skipped), helm
 * commit e9b85e4. Helm's loader (pkg/chart/v2/metadata.go, Validate → isValidSemver) uses the lenient
 * `NewVersion`, which still refuses " 0.1.0" but accepts "v0.1.0" and "1.2"; a chart published under such a
 * version would be invisible to `helm pull --version` ranges and Kargo's semver discovery. node-semver's
 * `valid()` is no guide: it trims spaces and strips a leading `v`.
 */
const STRICT_SEMVER =
    /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Whether `version` is strict SemVer 2.0.0 as Helm's StrictNewVersion reads it. */
export function isStrictSemver(version: string): boolean {
    return STRICT_SEMVER.test(version);
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
    if (typeof version !== "string" || !isStrictSemver(version)) {
        throw invalid(
            file,
            `malformed Chart.yaml: version ${JSON.stringify(version)} is not a SemVer 2 string ` +
                `(MAJOR.MINOR.PATCH, no "v", no spaces, no leading zeros, as Helm's strict parser wants)`,
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
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why =
            code === "ENOENT" || code === "ENOTDIR"
                ? "no Chart.yaml"
                : `cannot read Chart.yaml (${code ?? String(error)})`;
        throw new ChartReleaseError(
            `--chart ${chartDir}: ${why} at ${path.join(repo, file)}`,
            EXIT.invalidInput,
        );
    }
    return { ...parseChartYaml(text, file), file };
}

function quoteLike(node: Scalar, value: string): string {
    if (node.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    if (node.type === Scalar.QUOTE_SINGLE) return `'${value}'`;
    return value;
}

/**
 * Replace one scalar's bytes in `text` by `value`, quoted as it was, keeping every other byte. The range comes
 * from the YAML parser, so comments, key order and indentation stay exactly as written (Chart.yaml and the
 * deploy files are read by humans in diffs; a re-serialised document would reformat them).
 */
export function replaceScalar(text: string, node: unknown, value: string): string | null {
    if (!isScalar(node) || node.range === undefined || node.range === null) return null;
    const [start, valueEnd] = node.range;
    return text.slice(0, start) + quoteLike(node, value) + text.slice(valueEnd);
}

/**
 * Return `text` with the top-level `version:` value replaced and every other byte kept: comments, quoting,
 * key order and indentation. The value's source range comes from the YAML parser, so a `version:` inside
 * `dependencies:` or a comment is never touched.
 */
export function setChartVersion(text: string, version: string, file = "Chart.yaml"): string {
    const doc = parseChartDocument(text, file);
    const updated = replaceScalar(text, doc.get("version", true), version);
    if (updated === null) throw invalid(file, "malformed Chart.yaml: `version:` is not a scalar");
    const check = parseChartYaml(updated, file);
    if (check.version !== version) throw invalid(file, `could not set version to ${version}`);
    return updated;
}
