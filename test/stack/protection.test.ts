/**
 * Protected state (issue 12): in the prod stack every resource of a stateful type is protected, and those
 * whose right outcome on removal is to stay are retained. Driven by this table of types (the spec), not by
 * names, so a new Namespace or Application anywhere in the program is covered without editing the test.
 */
import { strict as assert } from "node:assert";
import { findProtection, PROTECTION_RULES, protectStateful } from "../../components/core/protection";
import type { ResourceRecord, RunResult } from "../../offline/runtime/mockRuntime";
import { synthesizeStack, synthesizeWith } from "../support/stacks";

/** What must never be deleted or replaced by accident in prod, and what a removal must leave in place. */
const STATEFUL: { type: string; retainOnDelete: boolean; inProd: boolean }[] = [
    { type: "kubernetes:core/v1:Namespace", retainOnDelete: true, inProd: true },
    { type: "kubernetes:kargo.akuity.io/v1alpha1:Project", retainOnDelete: true, inProd: true },
    { type: "kubernetes:helm.sh/v3:Release", retainOnDelete: false, inProd: true },
    { type: "kubernetes:argoproj.io/v1alpha1:Application", retainOnDelete: true, inProd: true },
    { type: "github:index/repositoryFile:RepositoryFile", retainOnDelete: true, inProd: false },
    { type: "github:index/repositoryRuleset:RepositoryRuleset", retainOnDelete: false, inProd: true },
    {
        type: "github:index/appInstallationRepositories:AppInstallationRepositories",
        retainOnDelete: false,
        inProd: true,
    },
    {
        type: "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication",
        retainOnDelete: false,
        inProd: true,
    },
];

const declared = (run: RunResult, type: string): ResourceRecord[] =>
    run.resources.filter((r) => r.type === type && !r.read);

describe("protected state in the prod stack (mock runtime)", function () {
    this.timeout(300_000);
    let prod: RunResult;
    before(async () => (prod = await synthesizeStack("prod")));

    for (const s of STATEFUL) {
        it(`every ${s.type} is protected${s.retainOnDelete ? " and retained on delete" : ""}`, () => {
            const found = declared(prod, s.type);
            if (s.inProd) assert.ok(found.length > 0, `prod declares no ${s.type}: is the table stale?`);
            assert.deepEqual(
                found
                    .filter((r) => !r.options.protect || r.options.retainOnDelete !== s.retainOnDelete)
                    .map((r) => r.name),
                [],
            );
        });
    }

    it("protects nothing else: configuration objects follow the config (Warehouses, Stages, tasks)", () => {
        const others = prod.resources.filter(
            (r) => r.options.protect && !STATEFUL.some((s) => s.type === r.type),
        );
        assert.deepEqual(
            others.map((r) => `${r.type} ${r.name}`),
            [],
        );
    });

    it("the rules in components/core/protection.ts are exactly this table", () => {
        assert.deepEqual(
            PROTECTION_RULES.map((r) => [r.type, r.protect, r.retainOnDelete]),
            STATEFUL.map((s) => [s.type, true, s.retainOnDelete]),
        );
    });
});

describe("release-pipeline:protect", function () {
    this.timeout(300_000);

    it("off: nothing is protected, and what must stay on removal is still retained", async () => {
        const run = await synthesizeWith("prod", { protect: false });
        assert.deepEqual(
            run.resources.filter((r) => r.options.protect).map((r) => r.name),
            [],
        );
        const retained = declared(run, "kubernetes:core/v1:Namespace").filter(
            (r) => r.options.retainOnDelete,
        );
        assert.equal(retained.length, declared(run, "kubernetes:core/v1:Namespace").length);
    });

    it("the dev clone stays disposable: nothing under DevDataPlane is protected (refreshes recreate it)", async () => {
        const dev = await synthesizeStack("dev");
        const devData = dev.resources.filter((r) => r.urn.includes("release-pipeline:index:DevDataPlane$"));
        assert.ok(devData.some((r) => r.type === "kubernetes:postgresql.cnpg.io/v1:Cluster"));
        assert.deepEqual(
            devData.filter((r) => r.options.protect).map((r) => r.name),
            [],
        );
    });

    it("reads of prerequisites are left alone", async () => {
        const prod = await synthesizeStack("prod");
        assert.ok(prod.resources.some((r) => r.read));
        assert.ok(prod.resources.filter((r) => r.read).every((r) => !r.options.protect));
    });
});

describe("protectStateful (the transformation)", () => {
    const cases: {
        name: string;
        type: string;
        opts: Record<string, unknown>;
        enabled: boolean;
        expected: Record<string, unknown> | undefined;
    }[] = [
        {
            name: "a stateful type, on",
            type: "kubernetes:core/v1:Namespace",
            opts: {},
            enabled: true,
            expected: { protect: true, retainOnDelete: true },
        },
        {
            name: "a stateful type, off",
            type: "kubernetes:core/v1:Namespace",
            opts: {},
            enabled: false,
            expected: { protect: false, retainOnDelete: true },
        },
        {
            name: "the Helm release is not retained",
            type: "kubernetes:helm.sh/v3:Release",
            opts: {},
            enabled: true,
            expected: { protect: true, retainOnDelete: false },
        },
        {
            name: "a config object",
            type: "kubernetes:kargo.akuity.io/v1alpha1:Stage",
            opts: {},
            enabled: true,
            expected: undefined,
        },
        {
            name: "a read (X.get)",
            type: "kubernetes:core/v1:Namespace",
            opts: { id: "kargo" },
            enabled: true,
            expected: undefined,
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const result = protectStateful(c.enabled)({
                type: c.type,
                name: "x",
                props: {},
                opts: c.opts,
                resource: undefined as never,
            });
            assert.deepEqual(
                result && { protect: result.opts.protect, retainOnDelete: result.opts.retainOnDelete },
                c.expected,
            );
        });
    }

    it("every rule says why", () => {
        for (const r of PROTECTION_RULES) assert.ok(r.why.length > 20, r.type);
        assert.equal(findProtection("kubernetes:kargo.akuity.io/v1alpha1:Stage"), undefined);
    });
});
