/**
 * The three clocks of a refresh (components/devData/timing.ts): the script's deadline, the Job's, and what
 * waits for the Job from outside (Kargo's step, Pulumi), each strictly outside the one before, and the
 * figures the docs quote.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildCloneCluster } from "../../../components/devData/clone";
import { CLONE_FIELD_MANAGER } from "../../../components/devData/names";
import {
    buildRefreshCronJob,
    buildRefreshHookJob,
    buildRefreshTask,
    buildSeedJob,
} from "../../../components/devData/refresher";
import {
    JOB_START_GRACE_SECONDS,
    OUTER_MARGIN_SECONDS,
    formatDuration,
    parseDurationSeconds,
} from "../../../components/devData/timing";
import { configOf } from "./helpers";

describe("refresh timing", () => {
    // Each clock strictly outside the one it waits for: script < Job deadline < step timeout / Pulumi's await.
    const clocks: { timeout: string; script: string; job: number; step: string; pulumi: string }[] = [
        { timeout: "30m", script: "1800", job: 2100, step: "45m", pulumi: "2700" },
        { timeout: "45m", script: "2700", job: 3000, step: "1h", pulumi: "3600" },
        { timeout: "1h30m", script: "5400", job: 5700, step: "1h45m", pulumi: "6300" },
        { timeout: "90s", script: "90", job: 390, step: "16m30s", pulumi: "990" },
    ];
    for (const c of clocks) {
        it(`refresh.timeout ${c.timeout}: script ${c.script}s, Job ${c.job}s, step ${c.step}, Pulumi ${c.pulumi}s`, () => {
            const cfg = configOf("dev", { devData: { refresh: { timeout: c.timeout } } });
            const job = buildSeedJob(cfg);
            const env = new Map(job.spec?.template.spec?.containers[0].env?.map((e) => [e.name, e.value]));
            assert.equal(env.get("TIMEOUT_SECONDS"), c.script);
            assert.equal(job.spec?.activeDeadlineSeconds, c.job);
            assert.equal(buildRefreshHookJob(cfg).spec?.activeDeadlineSeconds, c.job);
            assert.equal(buildRefreshCronJob(cfg).spec?.jobTemplate.spec?.activeDeadlineSeconds, c.job);
            const step = buildRefreshTask(cfg).spec.steps?.[0].retry?.timeout ?? "";
            assert.equal(step, c.step);
            assert.ok(parseDurationSeconds(step) > c.job, "Kargo must not give up before the Job does");
            assert.equal(
                buildCloneCluster(cfg).metadata.annotations?.["pulumi.com/timeoutSeconds"],
                c.pulumi,
            );
            assert.equal(job.metadata.annotations?.["pulumi.com/timeoutSeconds"], c.pulumi);
        });
    }

    it("the runbook and the config reference state the margins and the field manager the code uses", () => {
        const runbook = readFileSync(join(__dirname, "..", "..", "..", "docs", "runbooks.md"), "utf8");
        const grace = `${JOB_START_GRACE_SECONDS / 60} minutes longer (scheduling, image pull)`;
        const outer = `${OUTER_MARGIN_SECONDS / 60} minutes longer still`;
        assert.ok(runbook.includes(grace) && runbook.includes(outer), "runbooks.md *Timeouts*");
        assert.ok(runbook.includes(`--field-manager=${CLONE_FIELD_MANAGER}`), "runbooks.md field manager");
        const reference = readFileSync(
            join(__dirname, "..", "..", "..", "docs", "config-reference.md"),
            "utf8",
        );
        const timeout = reference.split("\n").find((l) => l.startsWith("| `devData.refresh.timeout`")) ?? "";
        assert.match(timeout, new RegExp(`deadline is ${JOB_START_GRACE_SECONDS / 60} minutes longer`));
        assert.match(timeout, new RegExp(`give up ${OUTER_MARGIN_SECONDS / 60} minutes after that`));
    });

    const formats: [number, string][] = [
        [2700, "45m"],
        [3600, "1h"],
        [990, "16m30s"],
        [5, "5s"],
        [0, "0s"],
    ];
    for (const [seconds, text] of formats) {
        it(`formats ${seconds}s as ${text}, which reads back`, () => {
            assert.equal(formatDuration(seconds), text);
            assert.equal(parseDurationSeconds(text), seconds);
        });
    }

    const durations: [string, number][] = [
        ["45m", 2700],
        ["1h30m", 5400],
        ["90s", 90],
    ];
    for (const [text, seconds] of durations) {
        it(`reads the duration ${text} as ${seconds}s`, () =>
            assert.equal(parseDurationSeconds(text), seconds));
    }
    it("refuses a duration it cannot read", () => {
        assert.throws(
            () => parseDurationSeconds("45 minutes"),
            /^Error: "45 minutes" is not a duration such as 45m or 1h30m$/,
        );
    });
});
