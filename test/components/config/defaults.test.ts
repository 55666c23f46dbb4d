/**
 * Defaults obey the same rules as values (zod never checks a `.default()` value, so every default is a
 * `.prefault()`, which is parsed like user input), and every bound is tested on both sides.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ConfigError, validateStackConfig } from "../../../components/config";
import { dnsLabel } from "../../../components/config/common";
import { mergeDeep, rawConfigOf } from "../devData/helpers";

const CONFIG_DIR = join(__dirname, "..", "..", "..", "components", "config");

function listSources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? listSources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
    );
}

/**
 * Only what no default can stand in for: the Access account and people, the Kargo GitHub App, and the App
 * the release pushes as (the defaults commit Chart.yaml to the guarded GitOps branch).
 */
const REQUIRED_ONLY = {
    access: {
        accountId: "0f3c2a9d6b1e4c7a8d5f2b6e9a1c4d7f",
        zone: "example.com",
        trusted: [{ emailDomain: "acme.dev" }],
    },
    gitCredential: { githubApp: { appId: 1, installationId: 2 } },
    chartRelease: { githubApp: { appId: 3 } },
};

function problemsOf(patch: Record<string, unknown>): string[] {
    try {
        validateStackConfig(mergeDeep(rawConfigOf("prod"), patch) as Record<string, unknown>);
        return [];
    } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        return [...err.problems];
    }
}

describe("config defaults", () => {
    it("are all prefaults, which zod validates like user input (no .default() in components/config)", () => {
        const offenders = listSources(CONFIG_DIR).filter((f) => /\.default\(/.test(readFileSync(f, "utf8")));
        assert.deepEqual(offenders, []);
    });

    it("a prefault outside its field's rules is refused, where a default would have slipped through", () => {
        assert.equal(dnsLabel.default("Not_A_Label").safeParse(undefined).success, true);
        assert.equal(dnsLabel.prefault("Not_A_Label").safeParse(undefined).success, false);
    });

    it("every default together passes every rule, the cross-section ones included", () => {
        const cfg = validateStackConfig(REQUIRED_ONLY);
        assert.equal(cfg.pipeline.project, "monolith-release");
        assert.deepEqual(
            cfg.charts.map((c) => [c.name, c.namespace, c.semverConstraint, c.discoveryLimit]),
            [
                ["monolith", "monolith", "<1.0.0", 20],
                ["monolith-public", "monolith-public", "<1.0.0", 20],
            ],
        );
    });

    it("the defaults of the optional sections parse on their own", () => {
        const schema = z.object({ x: z.number() });
        assert.equal(schema.safeParse({ x: 1 }).success, true);
        for (const devCharts of ["all", ["monolith-public"]]) {
            const cfg = validateStackConfig({
                ...REQUIRED_ONLY,
                pipeline: { devCharts },
                // Two dev charts: each its own dev hostname (the default list has one).
                ...(devCharts === "all"
                    ? {
                          verification: {
                              devHostnames: ["dev.example.com", "public.dev.example.com"],
                              chartHostnames: {
                                  monolith: "dev.example.com",
                                  "monolith-public": "public.dev.example.com",
                              },
                          },
                      }
                    : {}),
                devData: { clone: { storageClass: "sc" } },
            });
            assert.equal(cfg.devData.clone.name, "monolith-db-dev");
        }
    });
});

describe("config bounds, on both sides", () => {
    const charts = (changes: Record<string, unknown>) =>
        (rawConfigOf("prod").charts as Record<string, unknown>[]).map((c, i) =>
            i === 1 ? { ...c, ...changes } : c,
        );
    const cases: { name: string; patch: Record<string, unknown>; problems: string[] }[] = [
        {
            name: "discoveryLimit 0",
            patch: { charts: charts({ discoveryLimit: 0 }) },
            problems: [
                "release-pipeline:charts[1].discoveryLimit: got 0; Too small: expected number to be >=1",
            ],
        },
        { name: "discoveryLimit 1", patch: { charts: charts({ discoveryLimit: 1 }) }, problems: [] },
        { name: "discoveryLimit 100", patch: { charts: charts({ discoveryLimit: 100 }) }, problems: [] },
        {
            name: "discoveryLimit 101",
            patch: { charts: charts({ discoveryLimit: 101 }) },
            problems: [
                "release-pipeline:charts[1].discoveryLimit: got 101; Too big: expected number to be <=100",
            ],
        },
        {
            name: "smoke count 0",
            patch: { verification: { smoke: { count: 0 } } },
            problems: [
                "release-pipeline:verification.smoke.count: got 0; Too small: expected number to be >=1",
            ],
        },
        { name: "smoke count 60", patch: { verification: { smoke: { count: 60 } } }, problems: [] },
        // Rollouts' ValidateMetric relation (count >= failureLimit), and count == failureLimit never fails.
        {
            name: "smoke failureLimit one below count",
            patch: { verification: { smoke: { count: 5, failureLimit: 4 } } },
            problems: [],
        },
        {
            name: "smoke failureLimit 0 with count 1",
            patch: { verification: { smoke: { count: 1, failureLimit: 0 } } },
            problems: [],
        },
        {
            name: "smoke failureLimit equal to count",
            patch: { verification: { smoke: { count: 5, failureLimit: 5 } } },
            problems: [
                "release-pipeline:verification.smoke.failureLimit: got 5; is not below verification.smoke.count (5): with count == failureLimit no run of count measurements can exceed failureLimit, so the check can never fail; allowed: 0 to 4",
            ],
        },
        {
            name: "smoke failureLimit equal to count 1",
            patch: { verification: { smoke: { count: 1, failureLimit: 1 } } },
            problems: [
                "release-pipeline:verification.smoke.failureLimit: got 1; is not below verification.smoke.count (1): with count == failureLimit no run of count measurements can exceed failureLimit, so the check can never fail; allowed: 0 to 0",
            ],
        },
        {
            name: "smoke failureLimit above count",
            patch: { verification: { smoke: { count: 1, failureLimit: 2 } } },
            problems: [
                "release-pipeline:verification.smoke.failureLimit: got 2; is not below verification.smoke.count (1): Argo Rollouts refuses count < failureLimit (ValidateMetric), so every AnalysisRun errors; allowed: 0 to 0",
            ],
        },
        {
            name: "smoke count 61",
            patch: { verification: { smoke: { count: 61 } } },
            problems: [
                "release-pipeline:verification.smoke.count: got 61; Too big: expected number to be <=60",
            ],
        },
        {
            name: "activeDeadlineSeconds 59",
            patch: { verification: { visualRegression: { activeDeadlineSeconds: 59 } } },
            problems: [
                "release-pipeline:verification.visualRegression.activeDeadlineSeconds: got 59; Too small: expected number to be >=60",
            ],
        },
        {
            name: "activeDeadlineSeconds 60",
            patch: { verification: { visualRegression: { activeDeadlineSeconds: 60 } } },
            problems: [],
        },
        {
            name: "activeDeadlineSeconds 7200",
            patch: { verification: { visualRegression: { activeDeadlineSeconds: 7200 } } },
            problems: [],
        },
        {
            name: "activeDeadlineSeconds 7201",
            patch: { verification: { visualRegression: { activeDeadlineSeconds: 7201 } } },
            problems: [
                "release-pipeline:verification.visualRegression.activeDeadlineSeconds: got 7201; Too big: expected number to be <=7200",
            ],
        },
        {
            name: "keepBackups 0",
            patch: { devData: { refresh: { keepBackups: 0 } } },
            problems: [
                "release-pipeline:devData.refresh.keepBackups: got 0; Too small: expected number to be >=1",
            ],
        },
        { name: "keepBackups 10", patch: { devData: { refresh: { keepBackups: 10 } } }, problems: [] },
        {
            name: "keepBackups 11",
            patch: { devData: { refresh: { keepBackups: 11 } } },
            problems: [
                "release-pipeline:devData.refresh.keepBackups: got 11; Too big: expected number to be <=10",
            ],
        },
        {
            name: "prod instances 1",
            patch: { devData: { prod: { instances: 1 } } },
            problems: [
                "release-pipeline:devData.prod.instances: got 1; a cold snapshot fences the instance it reads, and with 1 instance that is the primary; prod needs at least 2 (the refresher also refuses each snapshot while no standby is Ready)",
            ],
        },
        { name: "prod instances 2", patch: { devData: { prod: { instances: 2 } } }, problems: [] },
        {
            name: "requiredApprovals 10",
            patch: { gitCredential: { branchRuleset: { requiredApprovals: 10 } } },
            problems: [],
        },
        {
            name: "requiredApprovals 11",
            patch: { gitCredential: { branchRuleset: { requiredApprovals: 11 } } },
            problems: [
                "release-pipeline:gitCredential.branchRuleset.requiredApprovals: got 11; Too big: expected number to be <=10",
            ],
        },
        {
            name: "budget limits equal to requests",
            patch: { budget: { requests: "1152Mi", limits: "1152Mi" } },
            problems: [],
        },
        {
            name: "budget limits one byte under requests",
            patch: { budget: { requests: "1152Mi", limits: String(1152 * 2 ** 20 - 1) } },
            problems: [
                `release-pipeline:budget.limits: got "${1152 * 2 ** 20 - 1}"; is lower than the requests budget (1152Mi); the limits budget must be at least it`,
            ],
        },
        {
            name: "a container limit equal to its request",
            patch: {
                kargo: {
                    resources: {
                        api: {
                            requests: { cpu: "1", memory: "256Mi" },
                            limits: { cpu: "1", memory: "256Mi" },
                        },
                    },
                },
            },
            problems: [],
        },
        {
            name: "a container memory limit one byte under its request",
            patch: {
                kargo: {
                    resources: {
                        api: {
                            requests: { cpu: "1", memory: "256Mi" },
                            limits: { cpu: "1", memory: String(256 * 2 ** 20 - 1) },
                        },
                    },
                },
            },
            problems: [
                `release-pipeline:kargo.resources.api.limits.memory: got "${256 * 2 ** 20 - 1}"; limit is lower than the request (256Mi); a limit must be at least the request`,
            ],
        },
        {
            name: "a container CPU limit one milli-core under its request",
            patch: {
                kargo: {
                    resources: {
                        api: {
                            requests: { cpu: "1", memory: "256Mi" },
                            limits: { cpu: "999m", memory: "256Mi" },
                        },
                    },
                },
            },
            problems: [
                'release-pipeline:kargo.resources.api.limits.cpu: got "999m"; limit is lower than the request (1); a limit must be at least the request',
            ],
        },
    ];
    for (const c of cases) {
        it(`${c.problems.length > 0 ? "refuses" : "accepts"} ${c.name}`, () =>
            assert.deepEqual(problemsOf(c.patch), c.problems));
    }
});

describe("config: one problem never hides another", () => {
    it("a budget that is not a quantity is reported at its key, beside a type error and a cross-section problem", () => {
        assert.deepEqual(
            problemsOf({
                budget: { requests: "lots", limits: "2304Mi" },
                webhook: { githubSecretItemPath: 1 },
                pipeline: { project: "monolith" },
                gitops: { deployDir: "../elsewhere" },
            }),
            [
                "release-pipeline:gitops.deployDir: got \"../elsewhere\"; escapes the repository through '..'; allowed: a relative directory inside the repository, such as deploy or clusters/prod/deploy",
                "release-pipeline:webhook.githubSecretItemPath: got 1; Invalid input: expected string, received number",
                'release-pipeline:budget.requests: got "lots"; expected a Kubernetes memory quantity such as 256Mi or 1Gi',
                "release-pipeline:pipeline.project: got \"monolith\"; is also the prod namespace of charts[0] (monolith) and prod's database namespace (devData.prod.namespace); the Kargo project's namespace (named like the project) must hold nothing else: the stack creates and deletes it, and Kargo gives project admins every Secret in it; allowed: a namespace of its own, e.g. monolith-release",
            ],
        );
    });

    const allowed =
        "allowed: a relative directory inside the repository, such as deploy or clusters/prod/deploy";
    const deployDirs: [string, string | undefined][] = [
        ["deploy", undefined],
        ["clusters/prod/deploy", undefined],
        ["/deploy", `is absolute; ${allowed}`],
        ["/", `is absolute; ${allowed}`],
        ["..", `escapes the repository through '..'; ${allowed}`],
        ["deploy/../..", `escapes the repository through '..'; ${allowed}`],
        ["deploy/../chart", `escapes the repository through '..'; ${allowed}`],
        [".", `has an empty or '.' path component; ${allowed}`],
        ["deploy/", `has an empty or '.' path component; ${allowed}`],
        ["", `has an empty or '.' path component; ${allowed}`],
        [".git/hooks", `is inside git's own .git directory; ${allowed}`],
        [
            "deploy files",
            `has characters other than letters, digits, '.', '_' and '-' in a path component; ${allowed}`,
        ],
    ];
    for (const [dir, problem] of deployDirs) {
        it(`${problem ? "refuses" : "accepts"} deployDir ${JSON.stringify(dir)} at config time`, () =>
            assert.deepEqual(
                problemsOf({ gitops: { deployDir: dir } }),
                problem ? [`release-pipeline:gitops.deployDir: got ${JSON.stringify(dir)}; ${problem}`] : [],
            ));
    }
});
