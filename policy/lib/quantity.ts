/**
 * Kubernetes quantities. The pack keeps its own copy (rather than importing the stack's
 * components/core/quantity.ts) because a published pack is just this folder; the repository's
 * test/quantityGrammar.test.ts fails when the two disagree on any input of its table.
 *
 * Grammar: k8s.io/apimachinery pkg/api/resource/quantity.go (the `<quantity>` BNF, `parseQuantityString`)
 * and suffix.go `interpret`: optional sign, digits with an optional fraction, then a binary suffix
 * (Ki…Ei), a decimal one (n u m "" k M G T P E) or an integer exponent (e3, E-2). Memory must also be
 * non-negative, a whole number of bytes, and written without a sub-unit suffix (no milli-bytes).
 */
const BINARY: Readonly<Record<string, bigint>> = {
    Ki: 2n ** 10n,
    Mi: 2n ** 20n,
    Gi: 2n ** 30n,
    Ti: 2n ** 40n,
    Pi: 2n ** 50n,
    Ei: 2n ** 60n,
};
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
const SUB_UNIT = new Set(["n", "u", "m"]);

const quantityPattern = /^([+-]?)(\d+)?(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

interface Exact {
    numerator: bigint;
    denominator: bigint;
    suffix: string;
}

function readExact(value: string): Exact | undefined {
    const match = quantityPattern.exec(value);
    if (!match) return undefined;
    const [, sign, whole = "", fraction = "", suffix = ""] = match;
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

/** The quantity in its base unit, or undefined when Kubernetes would not parse it. */
export function parseQuantity(value: string): number | undefined {
    const exact = readExact(value);
    return exact ? Number(exact.numerator) / Number(exact.denominator) : undefined;
}

/** Bytes, or undefined when the value is not a valid memory quantity (numbers are taken as bytes). */
export function parseMemory(value: unknown): number | undefined {
    if (typeof value === "number") {
        return Number.isInteger(value) && value >= 0 ? value : undefined;
    }
    if (typeof value !== "string") return undefined;
    const exact = readExact(value);
    if (!exact || exact.numerator < 0n || SUB_UNIT.has(exact.suffix)) return undefined;
    if (exact.numerator % exact.denominator !== 0n) return undefined;
    return Number(exact.numerator) / Number(exact.denominator);
}

/** Bytes as Mi, the unit budgets are written in. */
export function formatMemory(bytes: number): string {
    const mib = bytes / 2 ** 20;
    return `${Number.isInteger(mib) ? mib : mib.toFixed(1)}Mi`;
}
