/**
 * robfig/cron v1.2.0's `cron.Parse` (parser.go, defaultParser = Second | Minute | Hour | Dom | Month |
 * DowOptional | Descriptor), which CloudNativePG 1.30's ScheduledBackup webhook calls: five or six
 * fields, seconds first, or a descriptor. Returns upstream's error text.
 */

interface Bounds {
    readonly min: number;
    readonly max: number;
    readonly names?: Readonly<Record<string, number>>;
}

const MONTHS = {
    jan: 1,
    feb: 2,
    mar: 3,
    apr: 4,
    may: 5,
    jun: 6,
    jul: 7,
    aug: 8,
    sep: 9,
    oct: 10,
    nov: 11,
    dec: 12,
};
const DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
/** spec.go: seconds, minutes, hours, dom, months, dow. */
const FIELDS: readonly Bounds[] = [
    { min: 0, max: 59 },
    { min: 0, max: 59 },
    { min: 0, max: 23 },
    { min: 1, max: 31 },
    { min: 1, max: 12, names: MONTHS },
    { min: 0, max: 6, names: DAYS },
];
const DESCRIPTORS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
/** Go's time.ParseDuration grammar (sign, then number+unit pairs, or a bare 0). */
const GO_DURATION = /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^[+-]?0$/;

/** parser.go, mustParseInt: strconv.Atoi then non-negative. */
function parseInt(expr: string): number | string {
    if (!/^[+-]?\d+$/.test(expr))
        return `Failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`;
    const n = Number(expr);
    return n < 0 ? `Negative number (${n}) not allowed: ${expr}` : n;
}

function parseIntOrName(expr: string, names?: Readonly<Record<string, number>>): number | string {
    const named = names?.[expr.toLowerCase()];
    return named ?? parseInt(expr);
}

/** parser.go, getRange: `*`/`?`, `a`, `a-b`, each with an optional `/step`. */
function describeRangeError(expr: string, r: Bounds): string | undefined {
    const rangeAndStep = expr.split("/");
    const lowAndHigh = rangeAndStep[0].split("-");
    let start: number;
    let end: number;
    if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
        [start, end] = [r.min, r.max];
    } else {
        const s = parseIntOrName(lowAndHigh[0], r.names);
        if (typeof s === "string") return s;
        start = s;
        if (lowAndHigh.length === 1) end = start;
        else if (lowAndHigh.length === 2) {
            const e = parseIntOrName(lowAndHigh[1], r.names);
            if (typeof e === "string") return e;
            end = e;
        } else return `Too many hyphens: ${expr}`;
    }
    let step = 1;
    if (rangeAndStep.length === 2) {
        const s = parseInt(rangeAndStep[1]);
        if (typeof s === "string") return s;
        step = s;
        if (lowAndHigh.length === 1) end = r.max;
    } else if (rangeAndStep.length > 2) return `Too many slashes: ${expr}`;
    if (start < r.min) return `Beginning of range (${start}) below minimum (${r.min}): ${expr}`;
    if (end > r.max) return `End of range (${end}) above maximum (${r.max}): ${expr}`;
    if (start > end) return `Beginning of range (${start}) beyond end of range (${end}): ${expr}`;
    if (step === 0) return `Step of range should be a positive number: ${expr}`;
    return undefined;
}

/** robfig/cron v1.2.0 `Parse(spec)`: its error message, or undefined when the schedule parses. */
export function describeCronParseError(spec: string): string | undefined {
    if (spec.length === 0) return "Empty spec string";
    if (spec.startsWith("@")) {
        if (DESCRIPTORS.includes(spec)) return undefined;
        if (spec.startsWith("@every ")) {
            const duration = spec.slice("@every ".length);
            return GO_DURATION.test(duration)
                ? undefined
                : `Failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(duration)}`;
        }
        return `Unrecognized descriptor: ${spec}`;
    }
    const fields = spec.split(/[\t\n\v\f\r ]+/).filter((f) => f !== "");
    if (fields.length < 5 || fields.length > 6)
        return `Expected 5 to 6 fields, found ${fields.length}: ${spec}`;
    for (const [i, field] of fields.entries()) {
        for (const expr of field.split(",").filter((e) => e !== "")) {
            const problem = describeRangeError(expr, FIELDS[i]);
            if (problem !== undefined) return problem;
        }
    }
    return undefined;
}
