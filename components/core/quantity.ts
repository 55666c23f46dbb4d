/**
 * Kubernetes resource quantities ("128Mi", "0.5", "250m", "1G"), parsed to plain numbers so the stack can
 * compare limits with requests and add up memory budgets.
 *
 * The grammar is Kubernetes' own (k8s.io/apimachinery pkg/api/resource/quantity.go, the `<quantity>` BNF on
 * `Quantity`, as `parseQuantityString` and suffix.go `interpret` implement it): an optional sign, digits with
 * an optional fraction (`1`, `1.5`, `1.`, `.5`), then one suffix: binary `Ki…Ei`, decimal `n u m "" k M G
 * T P E` (suffix.go adds `n` and `u` to the BNF's list), or an exponent `e`/`E` with an optional sign and
 * an integer (strconv.ParseInt). The value is computed exactly (a fraction of big integers) before it
 * becomes a number, so "1.1k" is 1100, not 1100.0000000000002. What a resource may hold on top of the
 * grammar (not negative; memory a whole number of bytes without an m/u/n suffix, since "1000m" of memory
 * is one byte in milli-units, which the API server only warns about) is judged in
 * components/config/common.ts describeMemoryProblem / describeCpuProblem.
 *
 * policy/lib/quantity.ts is the policy pack's own copy (the pack stands alone); test/quantityGrammar.test.ts
 * keeps the two in step on a table of inputs.
 */
const BINARY: Readonly<Record<string, bigint>> = {
    Ki: 2n ** 10n,
    Mi: 2n ** 20n,
    Gi: 2n ** 30n,
    Ti: 2n ** 40n,
    Pi: 2n ** 50n,
    Ei: 2n ** 60n,
};
/** Decimal SI suffixes as powers of ten. */
const DECIMAL: Readonly<Record<string, number>> = {
    n: -9,
    u: -6,
    m: -3,
    "": 0,
    k: 3,
    M: 6,
    G: 9,
    T: 12,
    P: 15,
    E: 18,
};
const QUANTITY = /^([+-]?)(\d+)?(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** A quantity as an exact fraction: numerator / denominator, both BigInt, and the suffix it was written with. */
interface Exact {
    readonly numerator: bigint;
    readonly denominator: bigint;
    readonly suffix: string;
}

function readExact(value: string): Exact | undefined {
    const match = QUANTITY.exec(value);
    if (!match) return undefined;
    const [, sign, whole = "", fraction = "", suffix = ""] = match;
    // `<number> ::= <digits> | <digits>.<digits> | <digits>. | .<digits>`: at least one digit somewhere.
    if (whole === "" && fraction === "") return undefined;
    let numerator = BigInt(whole + fraction || "0") * (sign === "-" ? -1n : 1n);
    let denominator = 10n ** BigInt(fraction.length);
    // suffix.go interpret: an exponent only when more than the letter (a bare "E" is exa).
    const exponent = suffix.length > 1 && /^[eE]/.test(suffix) ? Number(suffix.slice(1)) : DECIMAL[suffix];
    if (suffix in BINARY) numerator *= BINARY[suffix];
    else if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
    return { numerator, denominator, suffix };
}

const toNumber = (q: Exact) => Number(q.numerator) / Number(q.denominator);

/** True when `value` is a quantity Kubernetes' parser accepts (signs included). */
export function isQuantity(value: string): boolean {
    return readExact(value) !== undefined;
}

/** Parses a quantity to its base unit (bytes for memory, cores for CPU); throws on anything else. */
export function parseQuantity(value: string): number {
    const exact = readExact(value);
    if (!exact) throw new Error(`"${value}" is not a Kubernetes quantity (e.g. 512Mi, 1Gi, 250m, 0.5)`);
    return toNumber(exact);
}

/** Formats bytes as MiB with one decimal, the unit the memory budget is stated in. */
export function formatMiB(bytes: number): string {
    const mib = bytes / 2 ** 20;
    return `${Number.isInteger(mib) ? mib : mib.toFixed(1)}Mi`;
}
