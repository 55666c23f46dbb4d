/**
 * npm run conformance -- [--no-build]
 * Runs the differential tests against the pinned upstream code (conformance/, Go); the logic lives in
 * offline/conformance/. Exit 0: the models agree with upstream on every case (allow-list aside); 1: any
 * disagreement, listed in out/conformance/report.md; 2: usage error or the harness could not run.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ConformanceSetupError, runConformance } from "../offline/conformance/run";
import { PROJECT_ROOT } from "../offline/runtime/synth";

const USAGE = "usage: npm run conformance -- [--no-build]";

function fail(message: string, code = 2): never {
    console.error(message);
    process.exit(code);
}

async function main(): Promise<void> {
    let build = true;
    try {
        const { values } = parseArgs({
            options: { "no-build": { type: "boolean" }, help: { type: "boolean" } },
            strict: true,
        });
        if (values.help) {
            console.log(USAGE);
            process.exit(0);
        }
        build = !values["no-build"];
    } catch (err) {
        fail(`${(err as Error).message}\n${USAGE}`);
    }
    const started = Date.now();
    const outDir = join(PROJECT_ROOT, "out", "conformance");
    try {
        const report = await runConformance(outDir, { build });
        for (const [harness, c] of report.comparisons)
            console.log(
                `${harness}: ${c.cases} case(s), ${c.agreed} agree, ${c.allowed.length} allow-listed, ${c.disagreements.length} disagree`,
            );
        if (report.failed) console.log(report.markdown);
        console.log(
            `conformance ${report.failed ? "FAILED" : "passed"} in ${Math.round((Date.now() - started) / 1000)} s; report: out/conformance/report.md`,
        );
        process.exit(report.failed ? 1 : 0);
    } catch (err) {
        if (err instanceof ConformanceSetupError) fail(`conformance: ${err.message}`);
        throw err;
    }
}

main().catch((err) => fail(`conformance failed: ${(err as Error).stack ?? String(err)}`));
