/**
 * `devData.refresh.schedule` is written in the six-field, seconds-first form of robfig/cron's parser, the
 * form CloudNativePG's ScheduledBackup reads (the stack used one until the refresher took over every
 * snapshot, issue 18). A crontab-style five-field string would be read with its fields shifted ("0 3 * * *"
 * as second 0 of minute 3 of every hour), so schedules are checked here, strictly, before they reach the
 * cluster; the refresh CronJob then runs in the schedule's minute (`toFiveFieldCron`). Pure: no
 * dependency, one message per problem.
 */

interface CronField {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    readonly names?: readonly string[];
}

/** Field order as robfig/cron's `cron.Second | cron.Minute | ...` parser CNPG uses. */
const FIELDS: readonly CronField[] = [
    { name: "seconds", min: 0, max: 59 },
    { name: "minutes", min: 0, max: 59 },
    { name: "hours", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    {
        name: "month",
        min: 1,
        max: 12,
        names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
    },
    { name: "day of week", min: 0, max: 6, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

/** Example shown in every message, so the fix is obvious. */
export const SIX_FIELD_EXAMPLE = '"0 0 3 * * *" (03:00:00 every day)';

function parseValue(text: string, field: CronField): number | undefined {
    if (/^\d+$/.test(text)) return Number(text);
    const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
    return index === -1 ? undefined : index + field.min;
}

/** Problem with one comma-separated item of a field (`*`, `a`, `a-b`, with an optional `/step`), if any. */
function describeItemProblem(item: string, field: CronField): string | undefined {
    const [range, step, extra] = item.split("/");
    if (extra !== undefined) return `"${item}" has more than one '/'`;
    if (step !== undefined && !/^[1-9]\d*$/.test(step))
        return `step "${step}" in "${item}" is not a positive integer`;
    if (range === "*" || range === "?") return undefined;
    const bounds = range.split("-");
    if (bounds.length > 2 || bounds.some((b) => b === ""))
        return `"${item}" is not a value, a range a-b, or *`;
    const values = bounds.map((b) => parseValue(b, field));
    for (const [i, v] of values.entries()) {
        if (v === undefined) return `"${bounds[i]}" is not a number`;
        if (v < field.min || v > field.max) return `${v} is outside ${field.min}-${field.max}`;
    }
    if (values.length === 2 && (values[0] as number) > (values[1] as number))
        return `range "${range}" runs backwards`;
    return undefined;
}

/**
 * Why `expr` is not a six-field, seconds-first schedule, or undefined when it is one. The seconds field
 * must be a single number: the dev clone's refresher runs as a Kubernetes CronJob at minute precision, and
 * a snapshot of prod more often than once a minute is never intended.
 */
export function describeSixFieldCronProblem(expr: string): string | undefined {
    const trimmed = expr.trim();
    if (trimmed.startsWith("@")) {
        return `descriptors such as @daily are not accepted; write six fields, seconds first, e.g. ${SIX_FIELD_EXAMPLE}`;
    }
    const parts = trimmed.split(/\s+/).filter((p) => p !== "");
    if (parts.length !== FIELDS.length) {
        const hint =
            parts.length === 5 ? " (that is crontab syntax: its first field would be read as seconds)" : "";
        return `expected six space-separated fields, seconds first, e.g. ${SIX_FIELD_EXAMPLE}; got ${parts.length}${hint}`;
    }
    if (!/^\d+$/.test(parts[0]) || Number(parts[0]) > 59) {
        return `the seconds field must be a single number 0-59 (got "${parts[0]}"): the refresher runs at minute precision`;
    }
    for (const [i, part] of parts.entries()) {
        for (const item of part.split(",")) {
            const problem = describeItemProblem(item, FIELDS[i]);
            if (problem) return `field ${i + 1} (${FIELDS[i].name}): ${problem}`;
        }
    }
    return undefined;
}

/** True for a valid six-field, seconds-first schedule. */
export function isSixFieldCron(expr: string): boolean {
    return describeSixFieldCronProblem(expr) === undefined;
}

/**
 * The Kubernetes CronJob schedule (five fields) that fires in the same minute as the six-field `expr`:
 * the refresh CronJob, which takes its own snapshot Backup of prod when it runs.
 */
export function toFiveFieldCron(expr: string): string {
    const problem = describeSixFieldCronProblem(expr);
    if (problem) throw new Error(`schedule "${expr}": ${problem}`);
    return expr.trim().split(/\s+/).slice(1).join(" ");
}
