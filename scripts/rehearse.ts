/**
 * npm run rehearse -- --stack <dev|prod> [--gitops DIR] [--freight chart=version,...] [--json] [--config FILE] [--keep]
 * Plays every promotion the stack declares against a scratch (or copied) git repository; the logic lives in
 * offline/rehearsal/. Exit 0: nothing a real promotion would trip on; 1: findings; 2: usage or config error.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { RunError } from "@pulumi/pulumi";
import { ConfigError } from "../components/config";
import { parseFreightArg } from "../offline/rehearsal/freight";
import { renderJson, renderText } from "../offline/rehearsal/render";
import { rehearseRun } from "../offline/rehearsal/stack";
import { loadStackFile, runStack, STACKS } from "../offline/runtime/synth";

const USAGE =
    "usage: npm run rehearse -- --stack <dev|prod> [--gitops DIR] [--freight chart=version,...] [--json] [--config FILE] [--keep]";

function fail(message: string, code = 2): never {
    console.error(message);
    process.exit(code);
}

function readArgs() {
    try {
        const { values } = parseArgs({
            options: {
                stack: { type: "string" },
                gitops: { type: "string" },
                freight: { type: "string" },
                json: { type: "boolean" },
                config: { type: "string" },
                keep: { type: "boolean" },
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
        const gitops = values.gitops ? resolve(values.gitops) : undefined;
        if (gitops && !existsSync(gitops)) fail(`--gitops: ${gitops} does not exist`);
        return {
            stack: values.stack,
            gitops,
            freight: parseFreightArg(values.freight),
            json: values.json === true,
            keep: values.keep === true,
            configFile: values.config ? resolve(values.config) : undefined,
        };
    } catch (err) {
        return fail(`${(err as Error).message}\n${USAGE}`);
    }
}

async function main(): Promise<void> {
    const args = readArgs();
    let file;
    try {
        file = loadStackFile(args.stack, undefined, {}, [], args.configFile);
    } catch (err) {
        return fail(
            `--config: cannot read ${args.configFile ?? `Pulumi.${args.stack}.yaml`}: ${(err as Error).message}`,
        );
    }
    let run;
    try {
        run = await runStack(args.stack, file);
    } catch (err) {
        const known = err instanceof ConfigError || RunError.isInstance(err);
        return fail(
            `stack ${args.stack}: ${known ? (err as Error).message : String((err as Error).stack ?? err)}`,
        );
    }
    let report;
    try {
        report = rehearseRun(run, file, { freight: args.freight, gitops: args.gitops, keep: args.keep });
    } catch (err) {
        return fail(`stack ${args.stack}: ${(err as Error).message}`);
    }
    process.stdout.write(args.json ? renderJson(report) : renderText(report));
    if (report.workDir) console.error(`kept the rehearsal's git repositories in ${report.workDir}`);
    process.exit(report.findings.length > 0 ? 1 : 0);
}

main().catch((err) => fail(`rehearse failed: ${(err as Error).message}`));
