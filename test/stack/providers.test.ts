/**
 * Explicit providers (issue 12): under the mock runtime every custom resource of both stacks, reads
 * included, names an explicit provider of its own package, the Kubernetes one targets the stack's context
 * with its behaviour stated, and the config refuses a stack without a context or with default providers on.
 */
import { strict as assert } from "node:assert";
import { ConfigError } from "../../components/config";
import { buildKubernetesProviderArgs, validateProviderConfig } from "../../components/config/providers";
import type { ResourceRecord, RunResult } from "../../offline/runtime/mockRuntime";
import { loadStackFile } from "../../offline/runtime/synth";
import { synthesizeStack, synthesizeWith } from "../support/stacks";

const isProvider = (r: ResourceRecord) => r.type.startsWith("pulumi:providers:");
/** `github:index/x:X` → `github`; `pulumi:providers:github` → `github`. */
const packageOf = (type: string) =>
    type.startsWith("pulumi:providers:") ? type.slice(17) : type.split(":")[0];

const DEPLOY_KEY = {
    gitCredential: {
        mode: "deploy-key",
        deployKey: { vaultUuid: "abcdefghijklmnopqrstuvwxyz" },
        branchRuleset: { enabled: true },
        deployFilesRuleset: { enabled: true },
    },
};

const variants: { name: string; stack: "dev" | "prod"; run: () => Promise<RunResult>; packages: string[] }[] =
    [
        {
            name: "dev",
            stack: "dev",
            run: () => synthesizeStack("dev"),
            packages: ["cloudflare", "github", "kubernetes"],
        },
        {
            name: "prod",
            stack: "prod",
            run: () => synthesizeStack("prod"),
            packages: ["cloudflare", "github", "kubernetes"],
        },
        {
            name: "prod with the deploy-key opt-in (1Password's provider and tls)",
            stack: "prod",
            run: () => synthesizeWith("prod", DEPLOY_KEY),
            packages: ["cloudflare", "github", "kubernetes", "onepassword", "tls"],
        },
    ];

describe("explicit providers (mock runtime)", function () {
    this.timeout(300_000);
    for (const v of variants) {
        describe(v.name, () => {
            let run: RunResult;
            before(async () => (run = await v.run()));

            it("every custom resource, reads included, names an explicit provider of its own package", () => {
                const providers = new Map(
                    run.resources.filter(isProvider).map((p) => [p.urn, packageOf(p.type)]),
                );
                const custom = run.resources.filter((r) => r.custom && !isProvider(r));
                assert.ok(custom.length > 20, "the stack declares its resources");
                const wrong = custom
                    .map((r) => {
                        const urn = r.options.provider?.replace(/::[^:]*$/, "");
                        const pkg = urn ? providers.get(urn) : undefined;
                        return pkg === packageOf(r.type)
                            ? undefined
                            : `${r.type} ${r.name}: ${r.options.provider ?? "no provider"}`;
                    })
                    .filter((x) => x !== undefined);
                assert.deepEqual(wrong, []);
            });

            it("declares exactly the providers it uses, one per package", () => {
                const declared = run.resources
                    .filter(isProvider)
                    .map((p) => packageOf(p.type))
                    .sort();
                assert.deepEqual(declared, v.packages);
            });

            it("targets the stack's kubeconfig context, server-side apply on, unreachable clusters never forgotten", () => {
                const k8s = run.resources.find((r) => r.type === "pulumi:providers:kubernetes");
                const context = loadStackFile(v.stack).config["kubernetes:context"];
                // Provider inputs travel as strings on the wire.
                assert.deepEqual(k8s?.inputs, {
                    context,
                    enableServerSideApply: "true",
                    deleteUnreachable: "false",
                });
            });
        });
    }

    it("both stack files disable default providers and name a context", () => {
        for (const stack of ["dev", "prod"] as const) {
            const cfg = validateProviderConfig(loadStackFile(stack).config);
            assert.deepEqual(cfg.disabledDefaultProviders, ["*"]);
            assert.ok(cfg.kubernetesContext.length > 0);
        }
    });
});

describe("provider config", () => {
    const ok = { "kubernetes:context": "prod", "pulumi:disable-default-providers": '["*"]' };
    it("accepts a context and disabled default providers", () => {
        const cfg = validateProviderConfig(ok);
        assert.deepEqual(buildKubernetesProviderArgs(cfg), {
            context: "prod",
            enableServerSideApply: true,
            deleteUnreachable: false,
        });
    });

    const invalid: { name: string; flat: Record<string, string>; problems: string[] }[] = [
        {
            name: "no context",
            flat: { "pulumi:disable-default-providers": '["*"]' },
            problems: [
                "kubernetes:context: missing; required: the kubeconfig context of this stack's cluster (pulumi config set kubernetes:context <context>)",
            ],
        },
        {
            name: "default providers left on",
            flat: { "kubernetes:context": "prod" },
            problems: [
                'pulumi:disable-default-providers: got nothing; required: ["*"] (every provider is declared explicitly)',
            ],
        },
        {
            name: "only some default providers disabled",
            flat: { "kubernetes:context": " ", "pulumi:disable-default-providers": '["kubernetes"]' },
            problems: [
                "kubernetes:context: missing; required: the kubeconfig context of this stack's cluster (pulumi config set kubernetes:context <context>)",
                'pulumi:disable-default-providers: got ["kubernetes"]; required: ["*"] (every provider is declared explicitly)',
            ],
        },
    ];
    for (const c of invalid) {
        it(`rejects ${c.name}`, () =>
            assert.throws(
                () => validateProviderConfig(c.flat),
                (err: unknown) =>
                    err instanceof ConfigError && assert.deepEqual(err.problems, c.problems) === undefined,
            ));
    }

    it("the program stops on them with every problem listed, before declaring anything", async () => {
        await assert.rejects(
            synthesizeWith("prod", { "kubernetes:context": "", "pulumi:disable-default-providers": [] }),
            /invalid stack configuration:\n {2}- kubernetes:context: missing;.*\n {2}- pulumi:disable-default-providers: got \[\];/,
        );
    });
});
