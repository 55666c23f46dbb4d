/**
 * npm run validate -- [--no-cluster] FILE...
 * Checks Kubernetes manifests (multi-document YAML or JSON) against the pinned CRDs, Kargo's schemas, the
 * Kubernetes schema of built-in kinds and the admission model. One line per problem on stdout,
 * `FILE: Kind ns/name: path: message`; exit 1 on any problem, 0 when clean, 2 on usage or read errors.
 */
import { parseArgs } from "node:util";
import { ManifestReadError, validateManifestFiles } from "../offline/manifests/validateManifests";
import { CrdSourceError } from "../offline/schemas/crds";

const USAGE = "usage: npm run validate -- [--no-cluster] FILE...";

function fail(message: string, code = 2): never {
    console.error(message);
    process.exit(code);
}

function readArgs(): { files: string[]; cluster: boolean } {
    try {
        const { values, positionals } = parseArgs({
            options: {
                // The files are only part of the cluster: skip rules that need the rest of it.
                "no-cluster": { type: "boolean" },
                help: { type: "boolean" },
            },
            allowPositionals: true,
            strict: true,
        });
        if (values.help) {
            console.log(USAGE);
            process.exit(0);
        }
        if (positionals.length === 0) fail(`no FILE given\n${USAGE}`);
        return { files: positionals, cluster: !values["no-cluster"] };
    } catch (err) {
        return fail(`${(err as Error).message}\n${USAGE}`);
    }
}

async function main(): Promise<void> {
    const { files, cluster } = readArgs();
    let report;
    try {
        report = await validateManifestFiles(files, { cluster });
    } catch (err) {
        if (err instanceof ManifestReadError || err instanceof CrdSourceError) fail(err.message);
        throw err;
    }
    for (const line of report.problems) console.log(line);
    for (const what of report.unchecked)
        console.error(`note: no pinned schema or model for ${what}: not checked`);
    const summary = `${report.checked} object(s) checked in ${files.length} file(s): ${report.problems.length} problem(s)`;
    console.error(summary);
    process.exit(report.problems.length > 0 ? 1 : 0);
}

main().catch((err) => fail(`validate failed: ${(err as Error).stack ?? String(err)}`));
