/**
 * No secret in plain text anywhere the synth writes or prints. Both stacks (and the deploy-key opt-in) run
 * with known dummy values for every secret provider key (`cloudflare:apiToken`, `github:token`,
 * `onepassword:*`, marked secret as `pulumi config set --secret` would) and for every provider-computed
 * secret (the service token's client id and secret, the generated private key). The test renders exactly
 * what `npm run synth` writes (manifests.yaml, resources.json, pipeline.md, outputs.json) into a temporary
 * directory, captures everything printed meanwhile, and looks for each dummy value, and its base64 form,
 * in all of it. It also checks the values really flowed, redacted, into the places they feed.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { REDACTED, type RunResult } from "../../../offline/runtime/mockRuntime";
import {
    PROJECT_ROOT,
    STACKS,
    renderArtifacts,
    selectKubernetesObjects,
    validateObjects,
} from "../../../offline/runtime/synth";
import { DUMMY, loadRegistry, runWith } from "./support";

/** Runs `fn` while recording everything written to stdout/stderr (Pulumi's own log lines included). */
async function capturingOutput<T>(fn: () => Promise<T>): Promise<{ result: T; printed: string }> {
    const chunks: string[] = [];
    const originals = { out: process.stdout.write, err: process.stderr.write };
    const tap =
        (original: typeof process.stdout.write) =>
        (chunk: unknown, ...rest: unknown[]): boolean => {
            chunks.push(
                typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"),
            );
            return (original as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
        };
    process.stdout.write = tap(originals.out) as typeof process.stdout.write;
    process.stderr.write = tap(originals.err) as typeof process.stderr.write;
    try {
        const result = await fn();
        return { result, printed: chunks.join("") };
    } finally {
        process.stdout.write = originals.out;
        process.stderr.write = originals.err;
    }
}

/** Writes the synth files exactly as scripts/synth.ts does; returns their contents by name. */
function writeSynthFiles(stack: string, run: RunResult, dir: string): Record<string, string> {
    for (const [name, text] of Object.entries(renderArtifacts(stack, run)))
        writeFileSync(join(dir, name), text);
    return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

/** The needles: each dummy, a distinctive middle part of it, and its base64 form (a Secret's `data`). */
function needlesFor(value: string): string[] {
    const core = value.replace(/^-----BEGIN [A-Z ]+-----\n|\n-----END [A-Z ]+-----\n$/g, "");
    return [value, core, core.slice(4, 24), Buffer.from(value).toString("base64")];
}

const VARIANTS: { name: string; stack: "dev" | "prod"; overrides: Record<string, unknown> }[] = [
    { name: "dev", stack: "dev", overrides: {} },
    { name: "prod", stack: "prod", overrides: {} },
    {
        name: "prod, deploy-key opt-in",
        stack: "prod",
        overrides: {
            gitCredential: { mode: "deploy-key", deployKey: { vaultUuid: "abcdefghijklmnopqrstuvwxyz" } },
        },
    },
];

describe("no secret reaches the synth output", () => {
    for (const variant of VARIANTS) {
        describe(`stack ${variant.name}`, () => {
            let files: Record<string, string>;
            let printed: string;
            let run: RunResult;
            let dir: string;
            before(async () => {
                dir = mkdtempSync(join(tmpdir(), "access-leak-"));
                ({ result: run, printed } = await capturingOutput(() =>
                    runWith(variant.stack, variant.overrides),
                ));
                files = writeSynthFiles(variant.stack, run, dir);
            });
            after(() => rmSync(dir, { recursive: true, force: true }));

            for (const [label, value] of Object.entries(DUMMY)) {
                it(`never shows ${label} in any synth file, the outputs or the log`, () => {
                    const haystacks = { ...files, log: printed };
                    for (const needle of needlesFor(value)) {
                        for (const [name, text] of Object.entries(haystacks)) {
                            assert.ok(
                                !text.includes(needle),
                                `${label} (${JSON.stringify(needle)}) leaked into ${name}`,
                            );
                        }
                    }
                });
            }

            it("wrote all five files, and every custom resource in them is valid", async () => {
                assert.deepEqual(Object.keys(files).sort(), [
                    "deploy-files.yaml",
                    "manifests.yaml",
                    "outputs.json",
                    "pipeline.md",
                    "resources.json",
                ]);
                const objects = selectKubernetesObjects(run.resources);
                assert.deepEqual(validateObjects(objects, await loadRegistry()), []);
            });

            it("did feed the secrets through, redacted: provider token, Secret data, Actions secrets, outputs", () => {
                const byType = (t: string) => run.resources.filter((r) => r.type === t);
                const provider = byType("pulumi:providers:github");
                assert.equal(provider.length, 1);
                assert.equal(provider[0].inputs.token, REDACTED);
                assert.equal(byType("kubernetes:core/v1:Secret")[0].inputs.stringData, REDACTED);
                for (const s of byType("github:index/actionsSecret:ActionsSecret"))
                    assert.equal(s.inputs.value, REDACTED);
                assert.equal(run.outputs.devAccessClientId, REDACTED);
                assert.match(files["manifests.yaml"], /stringData: "\[secret\]"/);
            });
        });
    }
});

/** Keys whose values are credentials wherever they appear; they must be `secure:` in a stack file. */
const SECRET_KEY = /(token|secret|password|privatekey|apikey)$/i;
/** What common credentials look like, should one be pasted into a stack file by mistake. */
const CREDENTIAL_SHAPES = [
    /gh[pousr]_[A-Za-z0-9]{20,}/,
    /github_pat_/,
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    /ops_[A-Za-z0-9]{20,}/,
];

describe("no secret in the stack files", () => {
    for (const stack of STACKS) {
        it(`Pulumi.${stack}.yaml holds credentials only as secure: values`, () => {
            const text = readFileSync(join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8");
            const config = (parseYaml(text) as { config: Record<string, unknown> }).config;
            for (const [key, value] of Object.entries(config)) {
                if (SECRET_KEY.test(key)) {
                    assert.ok(
                        value && typeof value === "object" && "secure" in value,
                        `${key} is not a secure: value`,
                    );
                }
            }
            for (const shape of CREDENTIAL_SHAPES) assert.doesNotMatch(text, shape);
        });
    }
});
