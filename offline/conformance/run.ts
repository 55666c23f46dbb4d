/**
 * `npm run conformance`: builds the Go oracle (conformance/), synthesizes both stacks in every pipeline
 * mode, and runs the differential tests: each case through the TypeScript model and through upstream.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PIPELINE_MODES, type PipelineMode } from "../../components/config/pipeline";
import { BuiltinSchemas } from "../schemas/builtins";
import { resolveCrdDir } from "../schemas/crds";
import { SchemaRegistry } from "../schemas/validate";
import {
    loadStackFile,
    PROJECT_ROOT,
    runStack,
    selectCommittedFiles,
    selectKubernetesObjects,
    STACKS,
} from "../runtime/synth";
import { ALLOW_LIST } from "./allowList";
import { buildObjectCases, type OracleCase, type Verdict } from "./cases";
import { compareVerdicts, describeDisagreements, type Comparison, type Harness } from "./compare";
import { buildAnalysisCases, judgeAnalysisWithModel } from "./analysis";
import { buildGithubCases, judgeGithubWithModel } from "./github";
import { buildExpressionCases, judgeExpressionsWithModel } from "./expressions";
import { judgeObjectsWithModel } from "./model";

export const CONFORMANCE_DIR = join(PROJECT_ROOT, "conformance");
const ORACLE = join(CONFORMANCE_DIR, "bin", "oracle");

/** A failure of the harness itself (no Go, a build error), as opposed to a disagreement. */
export class ConformanceSetupError extends Error {}

function run(cmd: string, args: readonly string[], cwd: string, what: string): void {
    const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "inherit", "inherit"], env: process.env });
    if (r.error) throw new ConformanceSetupError(`${what}: cannot run ${cmd}: ${r.error.message}`);
    if (r.status !== 0)
        throw new ConformanceSetupError(`${what} failed (${cmd} ${args.join(" ")}: exit ${r.status})`);
}

/** `go vet`, the harness's own Go tests, and the oracle binary. */
export function buildOracle(): void {
    run("go", ["vet", "./..."], CONFORMANCE_DIR, "go vet of the conformance module");
    run("go", ["test", "./..."], CONFORMANCE_DIR, "the conformance module's Go tests");
    run("go", ["build", "-o", ORACLE, "./cmd/oracle"], CONFORMANCE_DIR, "building the oracle");
}

/** Runs one oracle harness on `cases`; its log goes to `outDir/<harness>.log`. */
export function runOracle(
    harness: Harness,
    cases: readonly OracleCase[],
    outDir: string,
    crdDir: string,
): Verdict[] {
    const input = join(outDir, `${harness}-cases.json`);
    const output = join(outDir, `${harness}-verdicts.json`);
    writeFileSync(input, JSON.stringify({ cases }));
    const extra = harness === "apiserver" ? ["--crds", crdDir, "--log", join(outDir, "apiserver.log")] : [];
    const r = spawnSync(ORACLE, [harness, "--cases", input, "--out", output, ...extra], { encoding: "utf8" });
    writeFileSync(join(outDir, `${harness}.stderr.log`), r.stderr ?? "");
    if (r.error || r.status !== 0)
        throw new ConformanceSetupError(
            `oracle ${harness} failed (exit ${r.status ?? r.error?.message}); its output is in ${join(outDir, `${harness}.stderr.log`)}`,
        );
    return (JSON.parse(readFileSync(output, "utf8")) as { verdicts: Verdict[] }).verdicts;
}

export interface SynthSource {
    readonly label: string;
    /** Why this stack file cannot run in this mode (its config validation refuses it); no objects then. */
    readonly refused?: string;
    readonly objects: readonly Record<string, unknown>[];
    /** The @pulumi/github resources, as the provider's Check receives them. */
    readonly githubResources?: readonly { urn: string; type: string; inputs: Record<string, unknown> }[];
    readonly mutate: boolean;
}

/**
 * Every object both stacks declare, in the stack file's own mode (mutated field by field) and in each
 * other pipeline mode; the deploy files' Applications with them.
 */
export async function synthesizeSources(
    modes: readonly PipelineMode[] = Object.keys(PIPELINE_MODES) as PipelineMode[],
): Promise<SynthSource[]> {
    const sources: SynthSource[] = [];
    for (const stack of STACKS) {
        const shipped = loadStackFile(stack);
        const pipeline = JSON.parse(shipped.config["release-pipeline:pipeline"] ?? "{}") as Record<
            string,
            unknown
        >;
        const runs: { label: string; file: typeof shipped; mutate: boolean }[] = [
            { label: stack, file: shipped, mutate: true },
        ];
        for (const mode of modes) {
            if (mode === (pipeline.mode ?? "full")) continue;
            runs.push({
                label: `${stack}/${mode}`,
                file: loadStackFile(stack, undefined, { pipeline: { ...pipeline, mode } }),
                mutate: false,
            });
        }
        for (const r of runs) {
            let result;
            try {
                result = await runStack(stack, r.file);
            } catch (err) {
                // A mode the stack file's other settings do not support is refused by config validation
                // before any object exists: nothing to judge, and the report says so.
                if (!r.mutate && err instanceof Error && /invalid stack configuration/.test(err.message)) {
                    sources.push({
                        label: r.label,
                        objects: [],
                        mutate: false,
                        refused: err.message.split("\n")[1]?.trim() ?? err.message,
                    });
                    continue;
                }
                throw err;
            }
            const objects = [
                ...selectKubernetesObjects(result.resources).map((o) => o.object),
                ...selectCommittedFiles(result.resources).map((f) => f.object),
            ];
            const githubResources = result.resources
                .filter((x) => x.custom && !x.read && x.type.startsWith("github:"))
                .map((x) => ({ urn: x.urn, type: x.type, inputs: x.inputs }));
            sources.push({ label: r.label, objects, githubResources, mutate: r.mutate });
        }
    }
    return sources;
}

export interface ConformanceReport {
    readonly comparisons: ReadonlyMap<Harness, Comparison & { cases: number }>;
    readonly failed: boolean;
    readonly markdown: string;
}

/** The whole run; writes `outDir/report.md` and returns whether any harness disagreed. */
export async function runConformance(
    outDir: string,
    options: { build: boolean },
): Promise<ConformanceReport> {
    mkdirSync(outDir, { recursive: true });
    if (options.build) buildOracle();
    const crdDir = await resolveCrdDir();
    const sources = await synthesizeSources();
    const cases = buildObjectCases(sources);
    const registry = SchemaRegistry.load(crdDir);
    const builtins = await BuiltinSchemas.load();
    const comparisons = new Map<Harness, Comparison & { cases: number }>();
    const refused = sources
        .filter((s) => s.refused)
        .map((s) => `- ${s.label}: refused by config validation: ${s.refused}`);
    const oracle = runOracle("apiserver", cases, outDir, crdDir);
    const model = judgeObjectsWithModel(cases, registry, builtins);
    comparisons.set("apiserver", {
        ...compareVerdicts("apiserver", cases, model, oracle, ALLOW_LIST),
        cases: cases.length,
    });
    const analysisCases = buildAnalysisCases(sources);
    comparisons.set("analysis", {
        ...compareVerdicts(
            "analysis",
            analysisCases,
            judgeAnalysisWithModel(analysisCases),
            runOracle("analysis", analysisCases, outDir, crdDir),
            ALLOW_LIST,
        ),
        cases: analysisCases.length,
    });
    const githubCases = buildGithubCases(sources);
    comparisons.set("github", {
        ...compareVerdicts(
            "github",
            githubCases,
            judgeGithubWithModel(githubCases),
            runOracle("github", githubCases, outDir, crdDir),
            ALLOW_LIST,
        ),
        cases: githubCases.length,
    });
    const expressionCases = buildExpressionCases(sources.flatMap((s) => s.objects));
    comparisons.set("expressions", {
        ...compareVerdicts(
            "expressions",
            expressionCases,
            judgeExpressionsWithModel(expressionCases),
            runOracle("expressions", expressionCases, outDir, crdDir),
            ALLOW_LIST,
        ),
        cases: expressionCases.length,
    });
    return summarize(comparisons, sources, refused, outDir);
}

function summarize(
    comparisons: Map<Harness, Comparison & { cases: number }>,
    sources: readonly SynthSource[],
    refused: readonly string[],
    outDir: string,
): ConformanceReport {
    const lines = ["# Conformance: the TypeScript models against upstream", ""];
    const judged = sources.filter((s) => !s.refused);
    lines.push(
        `Synthesized: ${judged.map((s) => `${s.label} (${s.objects.length} objects${s.mutate ? ", mutated" : ""})`).join(", ")}.`,
        "",
    );
    if (refused.length > 0)
        lines.push("Modes a stack file does not support (nothing to judge):", ...refused, "");
    let failed = false;
    for (const [harness, c] of comparisons) {
        lines.push(
            `## ${harness}: ${c.cases} case(s), ${c.agreed} agree, ${c.allowed.length} allow-listed, ${c.disagreements.length} disagree`,
            "",
        );
        lines.push(...describeDisagreements(harness, c.disagreements));
        for (const e of c.unusedEntries)
            lines.push(
                `- stale allow-list entry (matches no case): ${e.case} ${e.modelMessage}: ${e.reason}`,
            );
        if (c.disagreements.length > 0 || c.unusedEntries.length > 0) failed = true;
        lines.push("");
    }
    const markdown = lines.join("\n");
    writeFileSync(join(outDir, "report.md"), markdown);
    return { comparisons, failed, markdown };
}
