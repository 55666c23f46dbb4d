/**
 * Keys outside what the stack reads: config namespaces (in the program, from Pulumi's flat map) and the
 * top level of a stack file (in the synth's loader). Each is an error naming the key and the nearest known
 * one; a file that is not a stack file gets exactly one line.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, readStackConfig } from "../../../components/config";
import { findNamespaceProblems, findStackFileProblems } from "../../../components/config/checks/stackFile";
import { findNearest } from "../../../components/config/checks/suggest";
import { loadStackFile } from "../../../offline/runtime/synth";

const NAMESPACES =
    "allowed namespaces: release-pipeline, kubernetes, cloudflare, github, onepassword, pulumi";
const KEYS = "allowed: config, secretsprovider, encryptedkey, encryptionsalt, environment, mainEnvironment";

describe("stack config: namespaces", () => {
    const known = [
        "release-pipeline:pipeline",
        "kubernetes:context",
        "cloudflare:apiToken",
        "github:token",
        "onepassword:url",
        "pulumi:tags",
    ];
    it(`accepts every known namespace (${known.length} keys)`, () =>
        assert.deepEqual(findNamespaceProblems(known), []));

    const cases: [string, string][] = [
        ["release-pipelin:pipeline", `(did you mean release-pipeline:pipeline?)`],
        ["release-pipline:devData", `(did you mean release-pipeline:devData?)`],
        ["releasepipeline:charts", `(did you mean release-pipeline:charts?)`],
        ["kubernets:context", `(did you mean kubernetes:context?)`],
        ["cloudfare:apiToken", `(did you mean cloudflare:apiToken?)`],
        ["gihub:token", `(did you mean github:token?)`],
        ["1password:url", `(did you mean onepassword:url?)`],
        ["aws:region", ""],
        ["pipeline", ""],
    ];
    for (const [key, hint] of cases) {
        it(`refuses ${key}${hint ? " and suggests the nearest namespace" : ""}`, () => {
            const namespace = key.includes(":") ? key.slice(0, key.indexOf(":")) : "";
            assert.deepEqual(findNamespaceProblems([key]), [
                `${key}: got a value (not shown); unknown config namespace ${JSON.stringify(namespace)}${hint ? ` ${hint}` : ""}; ${NAMESPACES}`,
            ]);
        });
    }

    it("reports a misspelt namespace together with every other problem, and never shows its value", () => {
        const flat = { ...loadStackFile("prod").config };
        flat["release-pipelin:pipeline"] = flat["release-pipeline:pipeline"];
        delete flat["release-pipeline:pipeline"];
        flat["cloudfare:apiToken"] = "s3cr3t-token";
        flat["release-pipeline:budget"] = JSON.stringify({ requests: "12x" });
        try {
            readStackConfig(flat);
            assert.fail("expected a ConfigError");
        } catch (err) {
            assert.ok(err instanceof ConfigError, String(err));
            assert.deepEqual(err.problems, [
                `release-pipelin:pipeline: got a value (not shown); unknown config namespace "release-pipelin" (did you mean release-pipeline:pipeline?); ${NAMESPACES}`,
                `cloudfare:apiToken: got a value (not shown); unknown config namespace "cloudfare" (did you mean cloudflare:apiToken?); ${NAMESPACES}`,
                'release-pipeline:budget.requests: got "12x"; expected a Kubernetes memory quantity such as 256Mi or 1Gi',
            ]);
            assert.doesNotMatch(err.message, /s3cr3t/);
        }
    });

    it("suggests only plausible neighbours", () => {
        assert.equal(findNearest("confg", ["config", "environment"]), "config");
        assert.equal(findNearest("devdata", ["devData", "budget"]), "devData");
        assert.equal(findNearest("xyz", ["config", "environment"]), undefined);
    });
});

describe("stack config: the stack file's top level", () => {
    const cases: { name: string; doc: unknown; problems: string[] }[] = [
        {
            name: "a stack file with every key Pulumi defines",
            doc: {
                config: {},
                secretsprovider: "passphrase",
                encryptionsalt: "v1:x",
                encryptedkey: "k",
                environment: ["e"],
                mainEnvironment: "p/e",
            },
            problems: [],
        },
        {
            name: "a stack file with config only",
            doc: { config: { "kubernetes:context": "prod" } },
            problems: [],
        },
        {
            name: "a misspelt top-level key",
            doc: { confg: { "kubernetes:context": "prod" }, secretsprovider: "passphrase" },
            problems: [
                `confg: got {"kubernetes:context":"prod"}; not a key of a Pulumi stack file (did you mean config?); ${KEYS}`,
            ],
        },
        {
            name: "two unknown keys beside config",
            doc: { config: {}, secretprovider: "x", enviroment: ["e"] },
            problems: [
                `secretprovider: got "x"; not a key of a Pulumi stack file (did you mean secretsprovider?); ${KEYS}`,
                `enviroment: got ["e"]; not a key of a Pulumi stack file (did you mean environment?); ${KEYS}`,
            ],
        },
        {
            name: "config keys without the config: wrapper",
            doc: { "kubernetes:context": "prod", "release-pipeline:pipeline": { mode: "full" } },
            problems: [
                "Pulumi.x.yaml: got top-level keys kubernetes:context, release-pipeline:pipeline; these are config keys outside the config: wrapper; allowed: indent them under a top-level config: key",
            ],
        },
        {
            name: "project keys without the config: wrapper or a namespace",
            doc: { pipeline: { mode: "full" }, charts: [] },
            problems: [
                "Pulumi.x.yaml: got top-level keys pipeline, charts; not a Pulumi stack file (it has none of config, secretsprovider, encryptedkey, encryptionsalt, environment, mainEnvironment); allowed: a stack file whose settings sit under config:",
            ],
        },
        {
            name: "a list",
            doc: [{ config: {} }],
            problems: [
                "Pulumi.x.yaml: got a list; expected a Pulumi stack file: a YAML mapping with a top-level config: key",
            ],
        },
        {
            name: "a scalar",
            doc: "config",
            problems: [
                "Pulumi.x.yaml: got a string; expected a Pulumi stack file: a YAML mapping with a top-level config: key",
            ],
        },
        {
            name: "an empty file",
            doc: null,
            problems: [
                "Pulumi.x.yaml: got an empty document; expected a Pulumi stack file: a YAML mapping with a top-level config: key",
            ],
        },
        {
            name: "config that is a list",
            doc: { config: ["release-pipeline:pipeline"] },
            problems: [
                'config: got ["release-pipeline:pipeline"]; expected a mapping of "<namespace>:<key>" to values',
            ],
        },
    ];
    for (const c of cases) {
        it(`${c.problems.length === 0 ? "accepts" : "refuses"} ${c.name}`, () =>
            assert.deepEqual(findStackFileProblems(c.doc, "Pulumi.x.yaml"), c.problems));
    }

    it("the synth's loader refuses such a file before running anything", () => {
        const dir = mkdtempSync(join(tmpdir(), "stack-file-"));
        try {
            const file = join(dir, "Pulumi.prod.yaml");
            writeFileSync(file, "kubernetes:context: prod\nrelease-pipeline:pipeline:\n  mode: full\n");
            assert.throws(() => loadStackFile("prod", undefined, {}, [], file), {
                name: "ConfigError",
                message:
                    "invalid stack configuration:\n  - Pulumi.prod.yaml: got top-level keys kubernetes:context, release-pipeline:pipeline; these are config keys outside the config: wrapper; allowed: indent them under a top-level config: key",
            });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
