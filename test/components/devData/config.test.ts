import { strict as assert } from "node:assert";
import { ConfigError, validateStackConfig } from "../../../components/config";
import { configOf, mergeDeep, rawConfigOf } from "./helpers";

/** The problems the loader reports for the dev stack file with `patch` applied. */
function problemsOf(patch: Record<string, unknown>, stack: "dev" | "prod" = "dev"): string[] {
    try {
        validateStackConfig(mergeDeep(rawConfigOf(stack), patch) as Record<string, unknown>);
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
        return [...err.problems];
    }
    assert.fail("expected the config to be rejected");
}

describe("devData config", () => {
    it("defaults to the ADR's leanings: one instance, refreshed on promotion, budget for a 92% node", () => {
        const raw = rawConfigOf("prod");
        delete raw.devData;
        delete raw.budget;
        const cfg = validateStackConfig(raw);
        assert.equal(cfg.devData.clone.instances, 1);
        assert.equal(cfg.devData.refresh.cadence, "on-promotion");
        assert.equal(cfg.devData.refresh.schedule, "0 0 4 * * 1-5");
        assert.equal(cfg.devData.prod.instances, 3);
        assert.equal(cfg.devData.clone.storageClass, undefined);
        assert.deepEqual(cfg.budget, { requests: "1152Mi", limits: "2304Mi" });
    });

    it("needs no storage class while dev runs monolith-public only (no clone)", () => {
        const cfg = configOf("prod", { devData: { clone: { storageClass: undefined } } });
        assert.deepEqual(cfg.pipeline.devCharts, ["monolith-public"]);
        assert.equal(cfg.devData.clone.storageClass, undefined);
    });

    // Each bad value alone, with the exact line the user sees.
    const cases: { name: string; patch: Record<string, unknown>; problem: string }[] = [
        {
            name: "a clone with two instances",
            patch: { devData: { clone: { instances: 2 } } },
            problem:
                "release-pipeline:devData.clone.instances: got 2; the dev clone runs exactly 1 instance (ADR 009: cap the clone at instances: 1)",
        },
        {
            name: "a five-field (crontab) schedule",
            patch: { devData: { refresh: { schedule: "0 3 * * *" } } },
            problem:
                'release-pipeline:devData.refresh.schedule: got "0 3 * * *"; expected six space-separated fields, seconds first, e.g. "0 0 3 * * *" (03:00:00 every day); got 5 (that is crontab syntax: its first field would be read as seconds)',
        },
        {
            name: "a schedule descriptor",
            patch: { devData: { refresh: { schedule: "@daily" } } },
            problem:
                'release-pipeline:devData.refresh.schedule: got "@daily"; descriptors such as @daily are not accepted; write six fields, seconds first, e.g. "0 0 3 * * *" (03:00:00 every day)',
        },
        {
            name: "an hour out of range",
            patch: { devData: { refresh: { schedule: "0 0 24 * * *" } } },
            problem:
                'release-pipeline:devData.refresh.schedule: got "0 0 24 * * *"; field 3 (hours): 24 is outside 0-23',
        },
        {
            name: "a missing storage class while the clone is provisioned",
            patch: { devData: { clone: { storageClass: undefined } } },
            problem:
                "release-pipeline:devData.clone.storageClass: got nothing; required when pipeline.devCharts includes devData.prod.chart (the clone is provisioned): a snapshot-capable StorageClass of prod's CSI driver",
        },
        {
            name: "a single-instance prod cluster (a cold snapshot would fence the primary)",
            patch: { devData: { prod: { instances: 1 } } },
            problem:
                "release-pipeline:devData.prod.instances: got 1; a cold snapshot fences the instance it reads, and with 1 instance that is the primary; prod needs at least 2 (the refresher also refuses each snapshot while no standby is Ready)",
        },
        {
            name: "an image of another major than prod's",
            patch: { devData: { prod: { imageName: "ghcr.io/cloudnative-pg/postgresql:16.9" } } },
            problem:
                'release-pipeline:devData.prod.imageName: got "ghcr.io/cloudnative-pg/postgresql:16.9"; is PostgreSQL 16 but devData.prod.postgresMajor is 17; the clone must run prod\'s major (a data directory opens only with its own major)',
        },
        {
            name: "a prod chart that is not configured",
            patch: { devData: { prod: { chart: "billing" } } },
            problem:
                'release-pipeline:devData.prod.chart: got "billing"; names no chart; allowed: one of the configured charts (monolith, monolith-public)',
        },
        {
            name: "a budget whose limits are below its requests",
            patch: { budget: { requests: "1Gi", limits: "512Mi" } },
            problem:
                'release-pipeline:budget.limits: got "512Mi"; is lower than the requests budget (1Gi); the limits budget must be at least it',
        },
        {
            name: "an unknown key under devData",
            patch: { devData: { clone: { replicas: 1 } } },
            problem:
                "release-pipeline:devData.clone.replicas: got 1; unknown key; allowed here: name, instances, storageClass, size, resources, database, owner, postgresParameters",
        },
        {
            name: "loginRoles, gone with managed.roles (every verifier but the owner's is cleared instead)",
            patch: { devData: { prod: { loginRoles: ["readonly"] } } },
            problem:
                'release-pipeline:devData.prod.loginRoles: got ["readonly"]; unknown key; allowed here: chart, clusterName, namespace, instances, postgresMajor, imageName',
        },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}`, () => {
            assert.deepEqual(problemsOf(c.patch), [c.problem]);
        });
    }
});
