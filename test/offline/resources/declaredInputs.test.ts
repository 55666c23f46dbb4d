/**
 * The rules on what the engine and its providers are handed: the Cloudflare service token's rotation pair,
 * and a Job awaited for less than it may run. Each case alone, then both real stacks through the synth path.
 */
import assert from "node:assert/strict";
import { renderResourcesJson } from "../../../offline/runtime/synth";
import {
    findDeclaredInputProblems,
    findJobAwaitProblems,
    findServiceTokenPairProblems,
    JOB_TYPE,
    SERVICE_TOKEN_TYPE,
} from "../../../offline/resources/declaredInputs";
import type { SynthRow } from "../../../offline/report/diff";
import { synthesizeStack, STACKS } from "../../support/stacks";

const token = (inputs: Record<string, unknown>): SynthRow => ({
    urn: "urn:token",
    type: SERVICE_TOKEN_TYPE,
    name: "token",
    inputs: { name: "t", ...inputs },
});

const job = (
    spec: Record<string, unknown>,
    options?: Record<string, unknown>,
    annotations?: object,
): SynthRow => ({
    urn: "urn:job",
    type: JOB_TYPE,
    name: "job",
    inputs: { metadata: { name: "j", ...(annotations ? { annotations } : {}) }, spec },
    ...(options ? { options } : {}),
});

describe("declared inputs: the Cloudflare service token's AlsoRequires pair", () => {
    const cases: [string, Record<string, unknown>, string | undefined][] = [
        ["neither", {}, undefined],
        [
            "both",
            { clientSecretVersion: 2, previousClientSecretExpiresAt: "2026-12-01T12:00:00Z" },
            undefined,
        ],
        ["the version alone", { clientSecretVersion: 1 }, "clientSecretVersion"],
        [
            "the expiry alone",
            { previousClientSecretExpiresAt: "2026-12-01T12:00:00Z" },
            "previousClientSecretExpiresAt",
        ],
    ];
    for (const [what, inputs, path] of cases) {
        it(`${path ? "refuses" : "accepts"} ${what}`, () => {
            const problems = findServiceTokenPairProblems(token(inputs));
            if (!path) return assert.deepEqual(problems, []);
            assert.equal(problems.length, 1);
            assert.equal(problems[0].path, path);
            assert.match(problems[0].message, /refuses one without the other \(AlsoRequires/);
        });
    }
});

describe("declared inputs: a Job awaited for less than its deadline", () => {
    it("refuses a Job with a 40-minute deadline and the provider's default 10-minute await", () => {
        const [p] = findJobAwaitProblems(job({ activeDeadlineSeconds: 2400 }));
        assert.equal(p.path, "options.customTimeouts.create");
        assert.match(p.message, /waits the default 10m \(600s\) for a Job that may run 2400s/);
    });
    it("refuses a create timeout equal to the deadline", () => {
        const [p] = findJobAwaitProblems(
            job({ activeDeadlineSeconds: 2400 }, { customTimeouts: { create: "40m" } }),
        );
        assert.match(p.message, /customTimeouts.create 40m \(2400s\)/);
    });
    it("refuses a Job without a deadline", () => {
        const [p] = findJobAwaitProblems(job({}, { customTimeouts: { create: "1h" } }));
        assert.equal(p.path, "spec.activeDeadlineSeconds");
    });
    it("accepts a create timeout above the deadline, a short Job, and a Job Pulumi does not await", () => {
        assert.deepEqual(
            findJobAwaitProblems(job({ activeDeadlineSeconds: 2400 }, { customTimeouts: { create: "45m" } })),
            [],
        );
        assert.deepEqual(findJobAwaitProblems(job({ activeDeadlineSeconds: 300 })), []);
        assert.deepEqual(
            findJobAwaitProblems(
                job({ activeDeadlineSeconds: 2400 }, undefined, { "pulumi.com/skipAwait": "true" }),
            ),
            [],
        );
    });
});

describe("declared inputs: the real stacks", () => {
    for (const stack of STACKS) {
        it(`${stack}: resources.json records the options and passes every rule`, async () => {
            const run = await synthesizeStack(stack);
            const rows = JSON.parse(renderResourcesJson(run.resources)) as SynthRow[];
            assert.deepEqual(findDeclaredInputProblems(rows), []);
            const seed = rows.find((r) => r.type === JOB_TYPE && r.name.endsWith("-refresh-seed"));
            if (!seed) return; // prod runs no clone (devCharts leaves monolith out)
            const timeouts = seed.options?.customTimeouts as { create: string; update: string };
            assert.ok(timeouts, "the seed Job records its customTimeouts");
            assert.deepEqual(
                findJobAwaitProblems({ ...seed, options: { ...seed.options, customTimeouts: {} } }).length,
                1,
            );
            assert.ok((seed.options?.dependsOn as string[]).some((u) => u.includes(":Namespace::")));
        });
    }
});
