import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import {
    analyzeWithPolicyPack,
    buildPolicyConfig,
    buildViolation,
    shouldFail,
    validateResourceRecords,
    type PolicyDescription,
    type Violation,
} from "../../../offline/policy/policyRunner";
import { at, editResource, loadBaseline, summarize, usePolicySession } from "../../policy/helpers";

const policies: PolicyDescription[] = [
    {
        name: "alpha",
        description: "Alpha.",
        remediationSteps: "Fix alpha.",
        enforcementLevel: "mandatory",
        configSchema: {
            properties: {
                budget: { type: "string", default: "1Gi" },
                names: { type: "array", items: { type: "string" } },
            },
            required: [],
        },
    },
    { name: "beta", description: "Beta.", remediationSteps: "Fix beta.", enforcementLevel: "advisory" },
];

describe("policy runner: pack config", () => {
    const cases: {
        name: string;
        config: Record<string, unknown>;
        expected: ReturnType<typeof buildPolicyConfig>;
    }[] = [
        {
            name: "no config: schema defaults and each policy's own level",
            config: {},
            expected: {
                alpha: { enforcementLevel: "mandatory", properties: { budget: "1Gi" } },
                beta: { enforcementLevel: "advisory", properties: {} },
            },
        },
        {
            name: "`all` sets every level",
            config: { all: "disabled" },
            expected: {
                alpha: { enforcementLevel: "disabled", properties: { budget: "1Gi" } },
                beta: { enforcementLevel: "disabled", properties: {} },
            },
        },
        {
            name: "a policy entry overrides `all`, as a level or an object",
            config: {
                all: "advisory",
                alpha: { enforcementLevel: "mandatory", budget: "2Gi", names: ["a"] },
                beta: "mandatory",
            },
            expected: {
                alpha: { enforcementLevel: "mandatory", properties: { budget: "2Gi", names: ["a"] } },
                beta: { enforcementLevel: "mandatory", properties: {} },
            },
        },
    ];
    for (const c of cases) {
        it(c.name, () => assert.deepEqual(buildPolicyConfig(policies, c.config), c.expected));
    }

    const invalid: { name: string; config: Record<string, unknown>; problems: string[] }[] = [
        {
            name: "unknown policy",
            config: { gamma: "mandatory" },
            problems: ['unknown policy "gamma" in policy config'],
        },
        {
            name: "bad `all`",
            config: { all: "strict" },
            problems: ['"all" must be one of advisory, mandatory, disabled, remediate'],
        },
        {
            name: "bad level",
            config: { beta: "loud" },
            problems: ["beta: expected an enforcement level or an object"],
        },
        {
            name: "bad enforcementLevel in an object",
            config: { alpha: { enforcementLevel: "loud" } },
            problems: ["alpha: enforcementLevel must be one of advisory, mandatory, disabled, remediate"],
        },
        {
            name: "wrong type and unknown property, all reported at once",
            config: { alpha: { budget: 3, typo: true } },
            problems: [
                'alpha: unknown property "typo"; allowed: enforcementLevel, budget, names',
                "alpha: /budget must be string",
            ],
        },
        {
            name: "a misspelt property, named with its policy and the nearest property",
            config: { alpha: { budgt: "2Gi", nmes: [] } },
            problems: [
                'alpha: unknown property "budgt" (did you mean budget?); allowed: enforcementLevel, budget, names',
                'alpha: unknown property "nmes" (did you mean names?); allowed: enforcementLevel, budget, names',
            ],
        },
        {
            name: "a property given to a policy without settings",
            config: { beta: { limit: 1 } },
            problems: ['beta: unknown property "limit"; allowed: enforcementLevel'],
        },
        {
            name: "a misspelt policy, with the nearest one",
            config: { alpa: "mandatory", betta: "advisory" },
            problems: [
                'unknown policy "alpa" in policy config (did you mean alpha?)',
                'unknown policy "betta" in policy config (did you mean beta?)',
            ],
        },
        {
            name: "a policy entry that is null or a list",
            config: { alpha: null, beta: ["mandatory"] },
            problems: [
                "alpha: expected an enforcement level or an object",
                "beta: expected an enforcement level or an object",
            ],
        },
    ];
    const notObjects: [unknown, string][] = [
        [null, "null"],
        ["mandatory", 'a string "mandatory"'],
        [["alpha"], "an array"],
        [42, "a number"],
        [true, "a boolean"],
    ];
    for (const [config, got] of notObjects) {
        it(`refuses a config that is ${got} in one line, not one per character or element`, () =>
            assert.throws(() => buildPolicyConfig(policies, config), {
                message: `invalid policy pack config:\n  got ${got}; expected an object mapping policy names (or all) to an enforcement level or an object of settings`,
            }));
    }
    for (const c of invalid) {
        it(`rejects ${c.name}`, () =>
            assert.throws(() => buildPolicyConfig(policies, c.config), {
                message: `invalid policy pack config:\n  ${c.problems.join("\n  ")}`,
            }));
    }
});

describe("policy runner: resources.json", () => {
    it("accepts the synth's records and drops null parents", () => {
        const records = validateResourceRecords([
            { urn: "u1", type: "t", name: "n", parent: null, inputs: {} },
            { urn: "u2", type: "t", name: "m", parent: "u1", inputs: { a: 1 } },
        ]);
        assert.deepEqual(records, [
            { urn: "u1", type: "t", name: "n", inputs: {} },
            { urn: "u2", type: "t", name: "m", parent: "u1", inputs: { a: 1 } },
        ]);
    });
    const malformed: { name: string; data: unknown; message: string }[] = [
        {
            name: "not an array",
            data: { urn: "u" },
            message: "resources file must hold a JSON array of resources",
        },
        {
            name: "entries missing fields",
            data: [
                { urn: "", type: "t", inputs: [] },
                3,
                { urn: "u", type: "t", name: "n", parent: 7, inputs: {} },
            ],
            message:
                "malformed resources:\n  [0].urn must be a non-empty string\n  [0].name must be a non-empty string\n  [0].inputs must be an object\n  [1] is not an object\n  [2].parent must be a string or null",
        },
        {
            name: "an empty list: nothing would be checked",
            data: [],
            message:
                "resources file holds no resources: nothing would be checked (synthesize the stack first)",
        },
        {
            name: "duplicate URNs",
            data: [
                { urn: "u1", type: "t", name: "a", inputs: {} },
                { urn: "u2", type: "t", name: "b", inputs: {} },
                { urn: "u1", type: "t", name: "c", inputs: {} },
                { urn: "u2", type: "t", name: "d", inputs: {} },
                { urn: "u1", type: "t", name: "e", inputs: {} },
            ],
            message:
                'malformed resources:\n  [2].urn duplicates [0].urn "u1"\n  [3].urn duplicates [1].urn "u2"\n  [4].urn duplicates [0].urn "u1"',
        },
    ];
    for (const c of malformed) {
        it(`rejects ${c.name}`, () =>
            assert.throws(() => validateResourceRecords(c.data), { message: c.message }));
    }
});

describe("policy runner: results", () => {
    const violation = (enforcementLevel: Violation["enforcementLevel"]): Violation => ({
        policy: "p",
        message: "m",
        enforcementLevel,
    });
    const table: [Violation["enforcementLevel"][], boolean][] = [
        [[], false],
        [["advisory", "disabled"], false],
        [["advisory", "mandatory"], true],
    ];
    for (const [levels, fails] of table) {
        it(`${fails ? "fails" : "passes"} with [${levels.join(", ")}]`, () =>
            assert.equal(shouldFail(levels.map(violation)), fails));
    }

    it("strips the description the analyzer prefixes and falls back to the analyzed resource's URN", () => {
        const diagnostic = new pb.AnalyzeDiagnostic()
            .setPolicyname("alpha")
            .setDescription("Alpha.")
            .setMessage("Alpha.\nthe specific problem")
            .setEnforcementlevel(pb.EnforcementLevel.MANDATORY);
        assert.deepEqual(buildViolation(diagnostic, new Map([["alpha", "Alpha."]]), "urn:x"), {
            policy: "alpha",
            urn: "urn:x",
            message: "the specific problem",
            enforcementLevel: "mandatory",
        });
    });
});

describe("policy runner: the real pack", () => {
    const pack = usePolicySession();
    const floating = () =>
        editResource(
            loadBaseline(),
            "application-deploy-prod",
            (i) => (at(i, "spec.source").targetRevision = "HEAD"),
        );

    it("describes every policy with a description, remediation, level and config defaults", async () => {
        const { packName, policies: described } = await pack.session();
        assert.equal(packName, "release-pipeline");
        assert.deepEqual(
            described.map((p) => [p.name, p.enforcementLevel]),
            [
                ["no-floating-target-revision", "mandatory"],
                ["pinned-helm-charts", "mandatory"],
                ["warehouse-discipline", "mandatory"],
                ["gated-prod", "mandatory"],
                ["prod-auto-promotion", "advisory"],
                ["credentials-from-1password", "mandatory"],
                ["writes-confined", "mandatory"],
                ["dev-isolation", "mandatory"],
                ["memory-budget", "mandatory"],
                ["git-owned-applications", "mandatory"],
            ],
        );
        for (const p of described) {
            assert.ok(
                p.description.length > 20 && p.remediationSteps.length > 20,
                `${p.name} lacks description or remediation`,
            );
            const properties = Object.entries(p.configSchema?.properties ?? {});
            assert.ok(properties.length > 0, `${p.name} has no config schema`);
            for (const [key, schema] of properties) {
                assert.ok("default" in (schema as object), `${p.name}.${key} has no default`);
            }
        }
    });

    it("sends the configured levels to the analyzer: disabled reports nothing", async () => {
        assert.deepEqual(
            summarize(await pack.analyze(floating(), { "no-floating-target-revision": "disabled" })),
            [],
        );
    });

    it("sends the configured levels to the analyzer: `all: advisory` downgrades a mandatory policy", async () => {
        const levels = summarize(await pack.analyze(floating(), { all: "advisory" })).map((v) => [
            v.policy,
            v.level,
        ]);
        assert.deepEqual(levels, [["no-floating-target-revision", "advisory"]]);
    });
});

describe("policy runner: npm run policy", function () {
    this.timeout(120_000);
    const dir = mkdtempSync(path.join(tmpdir(), "policy-cli-"));
    const write = (name: string, data: unknown) => {
        const file = path.join(dir, name);
        writeFileSync(file, JSON.stringify(data));
        return file;
    };
    const run = (...args: string[]) => {
        const script = path.resolve(__dirname, "..", "..", "..", "scripts", "policy.ts");
        const result = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
            encoding: "utf8",
        });
        return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    const floating = editResource(
        loadBaseline(),
        "application-deploy-prod",
        (i) => (at(i, "spec.source").targetRevision = "HEAD"),
    );
    const autoPromoting = editResource(loadBaseline(), "projectconfig-monolith", (i) => {
        at(i, "spec.promotionPolicies.1").autoPromotionEnabled = true;
    });

    it("exits 0 and prints nothing for a compliant stack", () => {
        const result = run("--resources", write("baseline.json", loadBaseline()));
        assert.deepEqual([result.code, result.stdout], [0, ""]);
        assert.match(result.stderr, /policy: 29 resources, 0 violations \(0 mandatory\)/);
    });

    const floatingUrn =
        "urn:pulumi:test::release-pipeline::kubernetes:argoproj.io/v1alpha1:Application::application-deploy-prod";
    const floatingMessage =
        'Application argocd/deploy-prod: spec.source.targetRevision is "HEAD", HEAD; pin an exact version such as 1.4.2';

    it("exits 1 and prints each violation in the human form (level, policy, resource, message)", () => {
        const result = run("--resources", write("floating.json", floating));
        assert.equal(result.code, 1);
        assert.equal(
            result.stdout,
            [
                "[mandatory] no-floating-target-revision  kubernetes:argoproj.io/v1alpha1:Application application-deploy-prod",
                `    ${floatingMessage}`,
                "",
            ].join("\n"),
        );
    });

    it("--json prints one JSON object a line instead", () => {
        const result = run("--resources", write("floating.json", floating), "--json");
        assert.equal(result.code, 1);
        assert.deepEqual(
            result.stdout
                .trim()
                .split("\n")
                .map((line) => JSON.parse(line)),
            [
                {
                    policy: "no-floating-target-revision",
                    urn: floatingUrn,
                    message: floatingMessage,
                    enforcementLevel: "mandatory",
                },
            ],
        );
    });

    it("exits 0 for advisory violations, and 1 once the config makes them mandatory", () => {
        const resources = write("auto.json", autoPromoting);
        const advisory = run("--resources", resources, "--json");
        assert.equal(advisory.code, 0);
        assert.equal(JSON.parse(advisory.stdout).enforcementLevel, "advisory");
        const mandatory = run(
            "--resources",
            resources,
            "--config",
            write("config.json", { "prod-auto-promotion": "mandatory" }),
        );
        assert.equal(mandatory.code, 1);
        assert.match(mandatory.stdout, /^\[mandatory\] prod-auto-promotion {2}kubernetes:kargo\.akuity\.io/);
    });

    it("exits 2 with the reason when it cannot run", () => {
        const bad = run("--resources", write("bad.json", [{ urn: "u" }]));
        assert.deepEqual([bad.code, bad.stdout], [2, ""]);
        assert.equal(
            bad.stderr,
            "policy: malformed resources:\n  [0].type must be a non-empty string\n  [0].name must be a non-empty string\n  [0].inputs must be an object\n",
        );
        const config = run(
            "--resources",
            write("ok.json", loadBaseline()),
            "--config",
            write("typo.json", { "memory-budgets": {} }),
        );
        assert.deepEqual(
            [config.code, config.stderr],
            [
                2,
                'policy: invalid policy pack config:\n  unknown policy "memory-budgets" in policy config (did you mean memory-budget?)\n',
            ],
        );
        const one = (data: unknown) =>
            run("--resources", write("ok.json", loadBaseline()), "--config", write("cfg.json", data));
        const oneLine = (got: string) =>
            `policy: invalid policy pack config:\n  got ${got}; expected an object mapping policy names (or all) to an enforcement level or an object of settings\n`;
        for (const [data, got] of [
            [null, "null"],
            ["mandatory", 'a string "mandatory"'],
            [["memory-budget"], "an array"],
        ] as const) {
            assert.deepEqual(
                [one(data).code, one(data).stderr],
                [2, oneLine(got)],
                `config ${JSON.stringify(data)}`,
            );
        }
        const empty = run("--resources", write("empty.json", []));
        assert.deepEqual(
            [empty.code, empty.stderr],
            [
                2,
                "policy: resources file holds no resources: nothing would be checked (synthesize the stack first)\n",
            ],
        );
        const missing = run();
        assert.equal(missing.code, 2);
        assert.match(
            missing.stderr,
            /^policy: --resources is required\nusage: npm run policy -- --resources FILE/,
        );
    });
});

describe("policy runner: a pack that cannot start", () => {
    it("rejects with what the pack printed", async () => {
        const packDir = mkdtempSync(path.join(tmpdir(), "policy-empty-"));
        await assert.rejects(analyzeWithPolicyPack([], { packDir }), (error: Error) => {
            assert.match(
                error.message,
                new RegExp(`^policy pack in ${packDir} exited with 1 before serving:\n`),
            );
            assert.match(error.message, /Directory import .* is not supported/);
            return true;
        });
    });
});

describe("policy runner: the engine's own launcher", function () {
    // run-policy-pack is what `pulumi preview --policy-pack policy` starts: ts-node type-checks the pack
    // against policy/tsconfig.json first, so this also proves the pack compiles on its own.
    this.timeout(300_000);
    it("serves the pack and reports the same violations", async () => {
        const resources = editResource(
            loadBaseline(),
            "application-deploy-prod",
            (i) => (at(i, "spec.source").targetRevision = "*"),
        );
        const analysis = await analyzeWithPolicyPack(resources, { launcher: "pulumi" });
        assert.deepEqual(summarize(analysis), [
            {
                policy: "no-floating-target-revision",
                resource: "application-deploy-prod",
                message:
                    'Application argocd/deploy-prod: spec.source.targetRevision is "*", a wildcard (*); pin an exact version such as 1.4.2',
                level: "mandatory",
            },
        ]);
    });
});
