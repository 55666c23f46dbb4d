/**
 * npm run synth -- --stack <dev|prod> [--out DIR]
 * Runs the stack offline on its YAML config and writes manifests.yaml, resources.json and pipeline.md,
 * after validating every object against the pinned CRDs, Kargo schemas and Kubernetes schema, then against
 * the admission model (the webhooks' rules).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { RunError } from "@pulumi/pulumi";
import { ConfigError, readRawConfig, validateStackConfig } from "../components/config";
import { resolveCrdDir } from "../offline/schemas/crds";
import { checkMemoryBudget, renderMemoryReport, sumMemory } from "../offline/report/memoryBudget";
import { runPolicyPack, shouldFail, validateResourceRecords } from "../offline/policy/policyRunner";
import { buildPolicyConfigForStack } from "../offline/policy/policyStackConfig";
import {
    STACKS,
    admitObjects,
    loadStackFile,
    orderByDependencies,
    renderArtifacts,
    renderResourcesJson,
    runStack,
    selectKubernetesObjects,
    validateObjects,
} from "../offline/runtime/synth";
import { BuiltinSchemas, KUBERNETES_SCHEMA_VERSION } from "../offline/schemas/builtins";
import { SchemaRegistry } from "../offline/schemas/validate";

const USAGE = "usage: npm run synth -- --stack <dev|prod> [--out DIR] [--config FILE]";

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
        };
    } catch (err) {
        return fail(`${(err as Error).message}\n${USAGE}`);
    }
}

async function main(): Promise<void> {
    const started = Date.now();
    const { stack, out, configFile } = readArgs();
    let file;
    try {
        file = loadStackFile(stack, undefined, {}, [], configFile);
    } catch (err) {
        return fail(
            `--config: cannot read ${configFile ?? `Pulumi.${stack}.yaml`}: ${(err as Error).message}`,
        );
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
    const issues = validateObjects(objects, registry, builtins);

    mkdirSync(out, { recursive: true });
    for (const [name, text] of Object.entries(renderArtifacts(stack, run)))
        writeFileSync(join(out, name), text);

    const kinds = new Map<string, number>();
    for (const o of objects) kinds.set(o.object.kind, (kinds.get(o.object.kind) ?? 0) + 1);
    const declared = run.resources.filter((r) => !r.read).length;
    console.log(`stack ${stack}: ${declared} resources, ${objects.length} Kubernetes objects`);
    console.log(`  ${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}`);
    console.log(`  prerequisites read from the cluster: ${run.resources.filter((r) => r.read).length}`);
    console.log(`  schemas: ${relative(process.cwd(), crdDir) || crdDir}`);
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
    const refused = admitObjects(objects);
    if (refused.length > 0) {
        for (const i of refused) console.error(`  REFUSED ${i.object} ${i.path}: ${i.message}`);
        fail(
            `stack ${stack}: ${refused.length} problem(s) the admission webhooks would refuse; wrote ${relative(process.cwd(), out)} for inspection`,
            1,
        );
    }
    console.log(`  every object passes the admission model (Kargo 1.11.2 and CloudNativePG 1.30 webhooks)`);
    // Memory budget (README "Dev data plane"): print what the stack adds, fail above the configured budget.
    const stackConfig = validateStackConfig(readRawConfig(file.config));
    const budget = stackConfig.budget;
    const memory = sumMemory(run.resources);
    console.log(renderMemoryReport(stack, memory, budget));
    const overruns = checkMemoryBudget(memory, budget);
    if (overruns.length > 0) fail(overruns.map((p) => `stack ${stack}: ${p}`).join("\n"), 1);

    // The policy pack, through the real @pulumi/policy analyzer, on exactly what resources.json holds.
    const policyConfig = buildPolicyConfigForStack(stackConfig);
    writeFileSync(join(out, "policy-config.json"), JSON.stringify(policyConfig, null, 2) + "\n");
    const records = validateResourceRecords(JSON.parse(renderResourcesJson(run.resources)));
    const violations = await runPolicyPack(records, { config: policyConfig });
    for (const v of violations) console.log(`  ${JSON.stringify(v)}`);
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
    console.log(`  policy pack: ${violations.length} violation(s), ${mandatory.length} mandatory`);
    if (shouldFail(violations)) fail(`stack ${stack}: ${mandatory.length} mandatory policy violation(s)`, 1);
    console.log(
        `  wrote ${relative(process.cwd(), out)}/{manifests.yaml,resources.json,pipeline.md,outputs.json,policy-config.json} in ${Date.now() - started} ms`,
    );
}

main().catch((err) => fail(`synth failed: ${(err as Error).message}`));
