import { strict as assert } from "node:assert";
import { describeSixFieldCronProblem, isSixFieldCron, toFiveFieldCron } from "../../../components/core/cron";

describe("six-field cron (CloudNativePG ScheduledBackup)", () => {
    const valid = [
        "0 0 3 * * *",
        "0 30 5 * * 1-5",
        "15 0 */6 * * MON-FRI",
        "0 0 4 1,15 JAN-DEC ?",
        "0 0 0 * * SUN",
    ];
    for (const expr of valid) {
        it(`accepts ${JSON.stringify(expr)}`, () =>
            assert.equal(describeSixFieldCronProblem(expr), undefined));
    }

    const invalid: { expr: string; problem: string }[] = [
        {
            expr: "0 3 * * *",
            problem:
                'expected six space-separated fields, seconds first, e.g. "0 0 3 * * *" (03:00:00 every day); got 5 (that is crontab syntax: its first field would be read as seconds)',
        },
        {
            expr: "0 0 3 * * * 2026",
            problem:
                'expected six space-separated fields, seconds first, e.g. "0 0 3 * * *" (03:00:00 every day); got 7',
        },
        {
            expr: "@every 1h",
            problem:
                'descriptors such as @daily are not accepted; write six fields, seconds first, e.g. "0 0 3 * * *" (03:00:00 every day)',
        },
        {
            expr: "*/10 0 3 * * *",
            problem:
                'the seconds field must be a single number 0-59 (got "*/10"): the refresher runs at minute precision',
        },
        { expr: "0 60 3 * * *", problem: "field 2 (minutes): 60 is outside 0-59" },
        { expr: "0 0 3 0 * *", problem: "field 4 (day of month): 0 is outside 1-31" },
        { expr: "0 0 3 * 13 *", problem: "field 5 (month): 13 is outside 1-12" },
        { expr: "0 0 3 * * 7", problem: "field 6 (day of week): 7 is outside 0-6" },
        { expr: "0 0 5-1 * * *", problem: 'field 3 (hours): range "5-1" runs backwards' },
        { expr: "0 0 3 * * FUN", problem: 'field 6 (day of week): "FUN" is not a number' },
        { expr: "0 0 */0 * * *", problem: 'field 3 (hours): step "0" in "*/0" is not a positive integer' },
    ];
    for (const c of invalid) {
        it(`rejects ${JSON.stringify(c.expr)} with its own message`, () => {
            assert.equal(describeSixFieldCronProblem(c.expr), c.problem);
            assert.equal(isSixFieldCron(c.expr), false);
        });
    }

    it("derives the CronJob's five-field schedule for the same minute", () => {
        assert.equal(toFiveFieldCron("0 30 5 * * 1-5"), "30 5 * * 1-5");
        assert.throws(() => toFiveFieldCron("30 5 * * 1-5"), /schedule "30 5 \* \* 1-5": expected six/);
    });
});
