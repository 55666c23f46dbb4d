/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource, ParseQuantity and Cmp), exact:
 * a quantity is held as a fraction of big integers, so `1Gi` and `1073741824` compare equal.
 */

export interface Quantity {
    readonly numerator: bigint;
    readonly denominator: bigint;
}

/** quantity.go's grammar: signed decimal, then a binary-SI, decimal-SI or exponent suffix. */
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Readonly<Record<string, number>> = {
    n: -9,
    u: -6,
    m: -3,
    k: 3,
    M: 6,
    G: 9,
    T: 12,
    P: 15,
    E: 18,
};

/** The quantity `text` denotes, or undefined where ParseQuantity returns ErrFormatWrong. */
export function parseQuantity(text: string): Quantity | undefined {
    const m = QUANTITY.exec(text);
    if (!m) return undefined;
    const [, sign, number, suffix = ""] = m;
    const [whole, fraction = ""] = number.split(".");
    let numerator = BigInt(`${whole || "0"}${fraction}`) * (sign === "-" ? -1n : 1n);
    let denominator = 10n ** BigInt(fraction.length);
    let exponent = 0;
    if (suffix in BINARY) numerator *= 2n ** BigInt(BINARY[suffix]);
    else if (suffix in DECIMAL) exponent = DECIMAL[suffix];
    else if (suffix !== "") exponent = Number(suffix.slice(1));
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
    return { numerator, denominator };
}

/** Quantity.Cmp: -1, 0 or 1. */
export function compareQuantities(a: Quantity, b: Quantity): number {
    const left = a.numerator * b.denominator;
    const right = b.numerator * a.denominator;
    return left < right ? -1 : left > right ? 1 : 0;
}

export function isZeroQuantity(q: Quantity | undefined): boolean {
    return q === undefined || q.numerator === 0n;
}
