/**
 * npm run synth -- --stack <dev|prod> [--out DIR] [--config FILE] [--diff BASE_DIR]
 * Runs the stack offline on its YAML config and writes manifests.yaml, deploy-files.yaml, resources.json and
 * pipeline.md, after validating every object (the deploy files' Applications included) against the pinned
 * CRDs, Kargo schemas and Kubernetes schema, then against the admission model (the webhooks' rules); then sums
 * the memory and runs the policy pack. `summary.md` (the PR's offline preview) is written whatever the
 * outcome; with `--diff` it opens with the changes against the synth in BASE_DIR (e.g. the base branch's
 * `out/<stack>`).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { RunError } from "@pulumi/pulumi";
import { ConfigError, readStackConfig } from "../components/config";
import { resolveCrdDir } from "../offline/schemas/crds";
import { checkMemoryBudget, renderMemoryReport, sumMemory } from "../offline/report/memoryBudget";
import { diffSynths, renderDiffText, type SynthDiff, type SynthRow } from "../offline/report/diff";
import { renderPreviewSummary, type PreviewSummaryArgs } from "../offline/report/summary";
import { runPolicyPack, shouldFail, validateResourceRecords } from "../offline/policy/policyRunner";
import { formatViolation, summarizeViolations } from "../offline/policy/verdicts";
import { buildPolicyConfigForStack } from "../offline/policy/policyStackConfig";
import {
    STACKS,
    admitObjects,
    findBehaviourProblems,
    loadStackFile,
    orderByDependencies,
    renderArtifacts,
    runStack,
    selectCommittedFiles,
    selectKubernetesObjects,
    validateObjects,
} from "../offline/runtime/synth";
import { findDeclaredInputProblems } from "../offline/resources/declaredInputs";
import { BuiltinSchemas, KUBERNETES_SCHEMA_VERSION } from "../offline/schemas/builtins";
import { SchemaRegistry } from "../offline/schemas/validate";

const USAGE = "usage: npm run synth -- --stack <dev|prod> [--out DIR] [--config FILE] [--diff BASE_DIR]";

function fail(message: string, code = 2): never {
    console.error(message);
    process.exit(code);
}

function readArgs() {
    try {
        const { values } = parseArgs({
            options: {
                stack: { type: "string" },
                out: { type: "string" },
                // A candidate stack file to try instead of Pulumi.<stack>.yaml (same format).
                config: { type: "string" },
                // A previous synth's output directory to compare with, object by object.
                diff: { type: "string" },
                help: { type: "boolean" },
            },
            strict: true,
        });
        if (values.help) {
            console.log(USAGE);
            process.exit(0);
        }
        if (!values.stack) fail(`--stack is required\n${USAGE}`);
        if (!(STACKS as readonly string[]).includes(values.stack)) {
            fail(`--stack: got "${values.stack}"; allowed: ${STACKS.join(", ")}\n${USAGE}`);
        }
        return {
            stack: values.stack,
            out: resolve(values.out ?? join("out", values.stack)),
            configFile: values.config ? resolve(values.config) : undefined,
            base: values.diff,
        };
    } catch (err) {
        return fail(`${(err as Error).message}\n${USAGE}`);
    }
}

/** The base synth's resources.json, or a usage error that says which directory was meant. */
function readBase(dir: string): SynthRow[] {
    try {
        return validateResourceRecords(JSON.parse(readFileSync(join(dir, "resources.json"), "utf8")));
    } catch (err) {
        return fail(`--diff: cannot read ${join(dir, "resources.json")}: ${(err as Error).message}`);
    }
}

async function main(): Promise<void> {
    const started = Date.now();
    const { stack, out, configFile, base } = readArgs();
    const baseRows = base === undefined ? undefined : readBase(base);
    let file;
    try {
        file = loadStackFile(stack, undefined, {}, [], configFile);
    } catch (err) {
        const what = configFile ?? `Pulumi.${stack}.yaml`;
        if (err instanceof ConfigError) return fail(`stack ${stack}: ${what}: ${err.message}`);
        return fail(`--config: cannot read ${what}: ${(err as Error).message}`);
    }
    let run;
    try {
        run = await runStack(stack, file);
    } catch (err) {
        const message =
            err instanceof ConfigError || RunError.isInstance(err)
                ? (err as Error).message
                : String((err as Error).stack ?? err);
        return fail(`stack ${stack}: ${message}`);
    }
    const crdDir = await resolveCrdDir();
    const registry = SchemaRegistry.load(crdDir);
    const objects = orderByDependencies(selectKubernetesObjects(run.resources), run.resources);
    const builtins = await BuiltinSchemas.load();
    // The deploy files' Applications reach the cluster through Argo CD: validated like declared objects.
    const issues = validateObjects([...objects, ...selectCommittedFiles(run.resources)], registry, builtins);

    mkdirSync(out, { recursive: true });
    const artifacts = renderArtifacts(stack, run);
    for (const [name, text] of Object.entries(artifacts)) writeFileSync(join(out, name), text);
    const records = validateResourceRecords(JSON.parse(artifacts["resources.json"]));
    const diff: SynthDiff | undefined = baseRows && diffSynths(baseRows, records);
    let summary: PreviewSummaryArgs = {
        stack,
        diff: diff && base !== undefined ? { base, diff } : undefined,
        invalid: issues.map((i) => `${i.object} ${i.path}: ${i.message}`),
        pipeline: artifacts["pipeline.md"],
    };
    /** summary.md is rewritten at every stop, so the PR shows why a stack failed. */
    const writeSummary = () => writeFileSync(join(out, "summary.md"), renderPreviewSummary(summary));
    writeSummary();

    const kinds = new Map<string, number>();
    for (const o of objects) kinds.set(o.object.kind, (kinds.get(o.object.kind) ?? 0) + 1);
    const declared = run.resources.filter((r) => !r.read).length;
    console.log(`stack ${stack}: ${declared} resources, ${objects.length} Kubernetes objects`);
    console.log(`  ${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}`);
    console.log(`  prerequisites read from the cluster: ${run.resources.filter((r) => r.read).length}`);
    console.log(`  schemas: ${relative(process.cwd(), crdDir) || crdDir}`);
    if (diff && base !== undefined) console.log(renderDiffText(stack, base, diff));
    if (issues.length > 0) {
        for (const i of issues) console.error(`  INVALID ${i.object} ${i.path}: ${i.message}`);
        fail(
            `stack ${stack}: ${issues.length} invalid field(s); wrote ${relative(process.cwd(), out)} for inspection`,
            1,
        );
    }
    console.log(
        `  every object is valid against the pinned CRDs, Kargo schemas and the Kubernetes ${KUBERNETES_SCHEMA_VERSION} schema`,
    );
    // The admission model: what Kargo's and CloudNativePG's webhooks would refuse beyond the schemas.
    // Then behaviour: what admission lets through but a controller or proxy makes fail at run time.
    // And the provider-side rules on what the engine is handed (inputs and options, resources.json).
    const refused = [
        ...admitObjects(objects),
        ...findBehaviourProblems(objects, selectCommittedFiles(run.resources)),
        ...findDeclaredInputProblems(records).map((p) => ({
            object: p.urn,
            path: p.path,
            message: p.message,
        })),
    ];
    summary = { ...summary, refused: refused.map((i) => `${i.object} ${i.path}: ${i.message}`) };
    writeSummary();
    if (refused.length > 0) {
        for (const i of refused) console.error(`  REFUSED ${i.object} ${i.path}: ${i.message}`);
        fail(
            `stack ${stack}: ${refused.length} problem(s) the admission webhooks would refuse or the controllers would fail on; wrote ${relative(process.cwd(), out)} for inspection`,
            1,
        );
    }
    console.log(
        `  every object passes the admission model (Kargo 1.11.2 and CloudNativePG 1.30 webhooks) and the behaviour rules`,
    );
    // Memory budget (docs/dev-data-plane.md): print what the stack adds, fail above the configured budget.
    const stackConfig = readStackConfig(file.config);
    const budget = stackConfig.budget;
    const memory = sumMemory(run.resources);
    console.log(renderMemoryReport(stack, memory, budget));
    const overruns = checkMemoryBudget(memory, budget);
    summary = { ...summary, memory: { totals: memory, budget, problems: overruns } };
    writeSummary();
    if (overruns.length > 0) fail(overruns.map((p) => `stack ${stack}: ${p}`).join("\n"), 1);

    // The policy pack, through the real @pulumi/policy analyzer, on exactly what resources.json holds.
    const policyConfig = buildPolicyConfigForStack(stackConfig);
    writeFileSync(join(out, "policy-config.json"), JSON.stringify(policyConfig, null, 2) + "\n");
    const violations = await runPolicyPack(records, { config: policyConfig });
    summary = { ...summary, violations };
    writeSummary();
    for (const v of violations) console.log(formatViolation(v).replace(/^/gm, "  "));
    console.log(`  policy pack: ${summarizeViolations(violations)}`);
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
    if (shouldFail(violations)) fail(`stack ${stack}: ${mandatory.length} mandatory policy violation(s)`, 1);
    console.log(
        `  wrote ${relative(process.cwd(), out)}/{manifests.yaml,deploy-files.yaml,resources.json,pipeline.md,outputs.json,policy-config.json,summary.md} in ${Date.now() - started} ms`,
    );
}

main().catch((err) => fail(`synth failed: ${(err as Error).message}`));
