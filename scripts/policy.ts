/**
 * `npm run policy -- --resources out/dev/resources.json [--config policy-config.json] [--pack policy]
 *  [--launcher tsx|pulumi] [--json] [--verbose]`
 *
 * Runs the CrossGuard pack over a synthesized stack through the real @pulumi/policy analyzer and prints each
 * violation the way `pulumi preview` does (level, policy, resource, then the message); `--json` prints one
 * JSON object a line instead. Exit 1 on any mandatory violation, 0 otherwise, 2 when it cannot run at all.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
    analyzeWithPolicyPack,
    readPackConfig,
    shouldFail,
    validateResourceRecords,
} from "../offline/policy/policyRunner";
import { formatViolation } from "../offline/policy/verdicts";

const usage =
    "usage: npm run policy -- --resources FILE [--config FILE] [--pack DIR] [--launcher tsx|pulumi] [--json] [--verbose]";

function readJson(file: string, what: string): unknown {
    try {
        return JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
        throw new Error(`cannot read ${what} ${file}: ${(error as Error).message}`);
    }
}

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            resources: { type: "string" },
            config: { type: "string" },
            pack: { type: "string" },
            launcher: { type: "string", default: "tsx" },
            json: { type: "boolean", default: false },
            verbose: { type: "boolean", default: false },
        },
    });
    if (!values.resources) throw new Error(`--resources is required\n${usage}`);
    const resources = validateResourceRecords(readJson(values.resources, "resources"));
    const config = values.config ? readPackConfig(readJson(values.config, "policy config")) : undefined;
    const launcher = values.launcher;
    if (launcher !== "tsx" && launcher !== "pulumi")
        throw new Error(`--launcher must be tsx or pulumi\n${usage}`);
    const result = await analyzeWithPolicyPack(resources, { config, packDir: values.pack, launcher });
    for (const violation of result.violations) {
        process.stdout.write(`${values.json ? JSON.stringify(violation) : formatViolation(violation)}\n`);
    }
    if (values.verbose) {
        for (const n of result.notApplicable)
            process.stderr.write(`not applicable: ${n.policy}: ${n.reason}\n`);
    }
    const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    process.stderr.write(
        `policy: ${resources.length} resources, ${result.violations.length} violations (${mandatory} mandatory)\n`,
    );
    return shouldFail(result.violations) ? 1 : 0;
}

main().then(
    (code) => (process.exitCode = code),
    (error: Error) => {
        process.stderr.write(`policy: ${error.message}\n`);
        process.exitCode = 2;
    },
);
