/**
 * The rules on what the engine and its providers are handed: the Cloudflare service token's rotation pair,
 * and a Job awaited for less than it may run. Each case alone, then both real stacks through the synth path.
 */
import assert from "node:assert/strict";
import { parseDurationSeconds } from "../../../components/devData/timing";
import { renderResourcesJson } from "../../../offline/runtime/synth";
import {
    findBlockedRepositoryFiles,
    findDeclaredInputProblems,
    findJobAwaitProblems,
    findServiceTokenPairProblems,
    JOB_TYPE,
    matchesFilePath,
    REPOSITORY_FILE_TYPE,
    RULESET_TYPE,
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
    // pulumi-kubernetes metadata/overrides.go TimeoutDuration: customTimeouts first, then the annotation.
    const annotated: [string, Record<string, unknown> | undefined, string, string | undefined][] = [
        ["an annotation above the deadline", undefined, "3600", undefined],
        ["an annotation equal to the deadline", undefined, "2400", "pulumi.com/timeoutSeconds 2400 (2400s)"],
        [
            "an annotation that is no whole number (the default applies)",
            undefined,
            "1h",
            "the default 10m (600s)",
        ],
        [
            "customTimeouts below the deadline beside a longer annotation",
            { customTimeouts: { create: "30m" } },
            "3600",
            "customTimeouts.create 30m (1800s)",
        ],
    ];
    for (const [what, options, seconds, refused] of annotated) {
        it(`${refused ? "refuses" : "accepts"} ${what}`, () => {
            const problems = findJobAwaitProblems(
                job({ activeDeadlineSeconds: 2400 }, options, { "pulumi.com/timeoutSeconds": seconds }),
            );
            if (!refused) return assert.deepEqual(problems, []);
            assert.equal(problems.length, 1);
            assert.ok(
                problems[0].message.includes(`waits ${refused} for a Job that may run 2400s`),
                problems[0].message,
            );
        });
    }
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
            // Without both of its await settings the seed Job would be awaited the default 10 minutes.
            const metadata = seed.inputs.metadata as { annotations: Record<string, string> };
            const { ["pulumi.com/timeoutSeconds"]: annotation, ...others } = metadata.annotations;
            assert.equal(annotation, String(parseDurationSeconds(timeouts.create)), "one clock: timing.ts");
            const bare: SynthRow = {
                ...seed,
                inputs: { ...seed.inputs, metadata: { ...metadata, annotations: others } },
                options: { ...seed.options, customTimeouts: {} },
            };
            assert.deepEqual(findJobAwaitProblems(bare).length, 1);
            assert.ok((seed.options?.dependsOn as string[]).some((u) => u.includes(":Namespace::")));
        });
    }
});

describe("declared inputs: a deploy file the stack's own rulesets would refuse", () => {
    const file: SynthRow = {
        urn: "urn:file",
        type: REPOSITORY_FILE_TYPE,
        name: "file",
        inputs: { repository: "platform", branch: "main", file: "deploy/prod/shop.yaml" },
    };
    const USER = { actorType: "User", actorId: 7, bypassMode: "always" };
    const KARGO = { actorType: "Integration", actorId: 1, bypassMode: "always" };
    const branch = (actors: object[], includes = ["refs/heads/main"]): SynthRow => ({
        urn: "urn:branch",
        type: RULESET_TYPE,
        name: "branch",
        inputs: {
            name: "main: pull requests only",
            repository: "platform",
            target: "branch",
            enforcement: "active",
            conditions: { refName: { includes, excludes: [] } },
            bypassActors: actors,
        },
    });
    const push = (actors: object[], paths = ["deploy/**"]): SynthRow => ({
        urn: "urn:push",
        type: RULESET_TYPE,
        name: "push",
        inputs: {
            name: "deploy/** written by Kargo only",
            repository: "platform",
            target: "push",
            enforcement: "active",
            rules: { filePathRestriction: { restrictedFilePaths: paths } },
            bypassActors: actors,
        },
    });
    const cases: [string, SynthRow[], string[]][] = [
        ["rulesets listing the bootstrap user", [file, branch([KARGO, USER]), push([KARGO, USER])], []],
        ["no ruleset", [file], []],
        ["a branch ruleset on another branch", [file, branch([KARGO], ["refs/heads/release"])], []],
        ["a push ruleset on other paths", [file, push([KARGO], ["charts/*"])], []],
        [
            "the branch ruleset without the user",
            [file, branch([KARGO]), push([KARGO, USER])],
            ["main: pull requests only"],
        ],
        [
            "the push ruleset without the user",
            [file, branch([KARGO, USER]), push([KARGO])],
            ["deploy/** written by Kargo only"],
        ],
    ];
    for (const [what, rows, blocked] of cases) {
        it(`${blocked.length ? "refuses" : "accepts"} ${what}`, () => {
            const problems = findBlockedRepositoryFiles(rows);
            assert.deepEqual(
                problems.map((p) => p.message),
                blocked.map(
                    (name) =>
                        `deploy/prod/shop.yaml on main would be refused by the ruleset "${name}" when the stack adds it later: no bypass actor is the bootstrap identity (a User, gitCredential.bootstrapUserId)`,
                ),
            );
        });
    }
    const globs: [string, string, boolean][] = [
        ["deploy/**", "deploy/prod/shop.yaml", true],
        ["deploy/*", "deploy/prod/shop.yaml", false],
        ["deploy/*/*.yaml", "deploy/prod/shop.yaml", true],
        ["refs/heads/main", "refs/heads/main", true],
    ];
    for (const [pattern, path, expected] of globs) {
        it(`file path pattern ${pattern} ${expected ? "covers" : "does not cover"} ${path}`, () =>
            assert.equal(matchesFilePath(pattern, path), expected));
    }
});
