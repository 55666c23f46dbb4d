import { readFile } from "node:fs/promises";
import path from "node:path";
import { isMap, isSeq, parseAllDocuments, parseDocument, type Document } from "yaml";
import { replaceScalar } from "./chart";
import { CONFIG_NAMESPACE } from "../../components/config/checks/format";
import { namespaceStackConfig } from "../../components/config/checks/stackKeys";
import { ChartReleaseError, EXIT, usageError } from "./errors";

/**
 * The stack's adoption modes (issue 13), from `release-pipeline:pipeline` → `mode` in the Pulumi stack file:
 * `bump-only`: no Kargo, chart-release writes the deploy files' targetRevision in its release commit;
 * `prod-only` and `full`: Kargo promotes and owns that write. Exactly one writer per mode, never both.
 */
export const STACK_MODES = ["bump-only", "prod-only", "full"] as const;
export type StackMode = (typeof STACK_MODES)[number];

/** The stack's default when the key is absent (components/config/pipeline.ts: `mode` defaults to full). */
export const DEFAULT_STACK_MODE: StackMode = "full";

/**
 * Top-level keys of a Pulumi stack file (Pulumi's `workspace.ProjectStack`, as the stack's own check lists them
 * in components/config/checks/stackFile.ts). A mapping with none of them is some other YAML file.
 */
const STACK_FILE_KEYS = [
    "config",
    "secretsprovider",
    "encryptedkey",
    "encryptionsalt",
    "environment",
    "mainEnvironment",
] as const;

/**
 * Where the release takes the version from (components/config/pipeline.ts, `pipeline.versionSource`, ADR 009
 * open question 1): `chart-yaml` commits it to Chart.yaml on the branch; `oci-tag` commits nothing, the
 * version lives in the release tag and the registry only.
 */
export const VERSION_SOURCES = ["chart-yaml", "oci-tag"] as const;
export type VersionSource = (typeof VERSION_SOURCES)[number];
/** The stack's default (components/config/pipeline.ts: `versionSource` defaults to chart-yaml). */
export const DEFAULT_VERSION_SOURCE: VersionSource = "chart-yaml";

const PIPELINE_KEY = `${CONFIG_NAMESPACE}:pipeline`;
const CHARTS_KEY = `${CONFIG_NAMESPACE}:charts`;
const MODE_KEY = `${PIPELINE_KEY} → mode`;
const VERSION_SOURCE_KEY = `${PIPELINE_KEY} → versionSource`;

/** A chart the stack promotes, as far as the release needs it: where its Warehouse watches. */
export interface StackChart {
    name: string;
    repoURL: string;
    repoNameDiffers: boolean;
}

export interface StackModeSource {
    mode: StackMode;
    /** Whether the file set the mode, or the stack default applies. */
    explicit: boolean;
    versionSource: VersionSource;
    charts: StackChart[];
    file: string;
}

function invalid(file: string, message: string): ChartReleaseError {
    return new ChartReleaseError(`${file}: ${message}`, EXIT.invalidInput);
}

function isStackMode(value: unknown): value is StackMode {
    return typeof value === "string" && (STACK_MODES as readonly string[]).includes(value);
}

function parseYaml(text: string, file: string): Document {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
        throw invalid(file, `malformed YAML: ${doc.errors[0].message.split("\n")[0]}`);
    }
    return doc;
}

/** Read the stack's mode from a Pulumi stack file's text; the key missing means the stack default. */
export function parseStackMode(text: string, file: string): StackModeSource {
    const top = parseYaml(text, file).toJS() as unknown;
    if (top === null || typeof top !== "object" || Array.isArray(top)) {
        throw invalid(file, "not a Pulumi stack file: the top level must be a mapping with `config:`");
    }
    const raw = (top as Record<string, unknown>).config;
    const defaults = {
        mode: DEFAULT_STACK_MODE,
        explicit: false,
        versionSource: DEFAULT_VERSION_SOURCE,
        charts: [],
        file,
    };
    if (raw === undefined) {
        // Namespaced keys at the top level are config written without its wrapper: Pulumi would ignore them.
        const stray = Object.keys(top).find((key) => key.includes(":"));
        if (stray !== undefined) {
            throw invalid(
                file,
                `\`${stray}\` is at the top level; stack config keys belong under \`config:\``,
            );
        }
        // A deploy file or any other YAML passed by mistake must not read as a stack without a mode (full).
        const keys = Object.keys(top);
        if (keys.length > 0 && !keys.some((key) => (STACK_FILE_KEYS as readonly string[]).includes(key))) {
            throw invalid(
                file,
                `not a Pulumi stack file: top-level keys ${keys.join(", ")}; a stack file has some of ` +
                    `${STACK_FILE_KEYS.join(", ")}, its settings under \`config:\``,
            );
        }
        return defaults;
    }
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        throw invalid(file, "`config:` must be a mapping of stack config keys");
    }
    // Pulumi's own reading of the keys, shared with the synth: `pipeline:` is `release-pipeline:pipeline`.
    const { config, clashes } = namespaceStackConfig(raw as Record<string, unknown>);
    if (clashes.length > 0) throw invalid(file, clashes[0]);
    const charts = readStackCharts(config[CHARTS_KEY], file);
    const pipeline = config[PIPELINE_KEY];
    if (pipeline === undefined) return { ...defaults, charts };
    if (pipeline === null || typeof pipeline !== "object" || Array.isArray(pipeline)) {
        throw invalid(file, `\`${PIPELINE_KEY}\` must be a mapping`);
    }
    const { mode, versionSource } = pipeline as Record<string, unknown>;
    if (mode !== undefined && !isStackMode(mode)) {
        throw invalid(
            file,
            `\`${MODE_KEY}\` is ${JSON.stringify(mode)}; expected one of ${STACK_MODES.join(", ")}`,
        );
    }
    if (versionSource !== undefined && !(VERSION_SOURCES as readonly unknown[]).includes(versionSource)) {
        throw invalid(
            file,
            `\`${VERSION_SOURCE_KEY}\` is ${JSON.stringify(versionSource)}; expected one of ${VERSION_SOURCES.join(", ")}`,
        );
    }
    return {
        mode: (mode as StackMode | undefined) ?? DEFAULT_STACK_MODE,
        explicit: mode !== undefined,
        versionSource: (versionSource as VersionSource | undefined) ?? DEFAULT_VERSION_SOURCE,
        charts,
        file,
    };
}

/** `release-pipeline:charts` as far as the release reads it: each chart's name and repoURL. */
function readStackCharts(value: unknown, file: string): StackChart[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw invalid(file, `\`${CHARTS_KEY}\` must be a list of charts`);
    return value.map((chart: unknown, index) => {
        const { name, repoURL, repoNameDiffers } = (chart ?? {}) as Record<string, unknown>;
        if (typeof name !== "string" || typeof repoURL !== "string") {
            throw invalid(file, `\`${CHARTS_KEY}[${index}]\` needs a name and a repoURL`);
        }
        return { name, repoURL, repoNameDiffers: repoNameDiffers === true };
    });
}

export async function readStackMode(repo: string, file: string): Promise<StackModeSource> {
    let text: string;
    try {
        text = await readFile(path.resolve(repo, file), "utf8");
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        throw new ChartReleaseError(`--stack-config ${file}: cannot read it (${code})`, EXIT.invalidInput);
    }
    return parseStackMode(text, `--stack-config ${file}`);
}

function describeMode(source: StackModeSource): string {
    return source.explicit
        ? `${source.file} sets \`${MODE_KEY}\` to "${source.mode}"`
        : `${source.file} has no \`${MODE_KEY}\`, so the stack default "${source.mode}" applies`;
}

/**
 * Whether chart-release writes the deploy files, decided by the stack config, never guessed: `--deploy-file`
 * only in `bump-only` mode, and `bump-only` only with `--deploy-file` (someone must write targetRevision).
 */
export function validateDeployFileMode(source: StackModeSource | null, deployFiles: readonly string[]): void {
    if (source === null) {
        if (deployFiles.length > 0) {
            throw usageError(
                `--deploy-file needs --stack-config: the stack's \`${MODE_KEY}\` decides who writes ` +
                    `targetRevision (bump-only: chart-release; prod-only, full: Kargo)`,
            );
        }
        return;
    }
    if (source.mode !== "bump-only" && deployFiles.length > 0) {
        throw usageError(
            `--deploy-file ${deployFiles.join(", ")}: ${describeMode(source)}, where Kargo writes ` +
                `targetRevision; chart-release writes deploy files only in mode "bump-only" ` +
                `(allowed: ${STACK_MODES.join(", ")})`,
        );
    }
    if (source.mode === "bump-only" && deployFiles.length === 0) {
        throw usageError(
            `${describeMode(source)}: without Kargo nobody else writes targetRevision, so pass ` +
                `--deploy-file for each deploy file of the chart`,
        );
    }
}

/**
 * Return `text` with the Argo CD Application's `spec.source.targetRevision` set to `version`, every other byte
 * kept. A file with several sources (`spec.sources`) or without that key is refused: which revision to write
 * would be a guess. So is a file whose `spec.source.chart` names another chart than `chart` (the one being
 * released): its Application would be pinned to a version of a chart it does not deploy.
 */
export function setTargetRevision(text: string, version: string, file: string, chart?: string): string {
    if (parseAllDocuments(text).length > 1) {
        throw invalid(file, "holds several YAML documents; a deploy file is one Argo CD Application");
    }
    const doc = parseYaml(text, file);
    const spec = doc.get("spec", true);
    if (!isMap(spec)) throw invalid(file, "no `spec:` mapping; expected an Argo CD Application");
    if (spec.has("sources")) {
        const sources = spec.get("sources", true);
        const count = isSeq(sources) ? `${sources.items.length} ` : "";
        throw invalid(
            file,
            `has ${count}sources under spec.sources; chart-release writes a single spec.source.targetRevision, ` +
                `so it cannot tell which one to set`,
        );
    }
    const source = spec.get("source", true);
    if (!isMap(source) || !source.has("targetRevision")) {
        throw invalid(file, "has no spec.source.targetRevision to set");
    }
    const deployed = source.get("chart");
    if (chart !== undefined && deployed !== undefined && deployed !== null && String(deployed) !== chart) {
        throw invalid(
            file,
            `deploys chart ${String(deployed)} (spec.source.chart), but this release is of chart ${chart}: ` +
                `its version would pin another chart; allowed: the deploy files of chart ${chart}`,
        );
    }
    const updated = replaceScalar(text, source.get("targetRevision", true), version);
    if (updated === null) throw invalid(file, "spec.source.targetRevision is not a scalar");
    if (readTargetRevision(updated, file) !== version) {
        throw invalid(file, `could not set spec.source.targetRevision to ${version}`);
    }
    return updated;
}

/** `spec.source.targetRevision` as a string, or null when it is absent. */
export function readTargetRevision(text: string, file: string): string | null {
    const value = parseYaml(text, file).getIn(["spec", "source", "targetRevision"]);
    return value === undefined || value === null ? null : String(value);
}
