/**
 * Kubernetes resource quantities ("128Mi", "0.5", "250m", "1G"), parsed to plain numbers so the stack can
 * compare limits with requests and add up memory budgets. Only the suffixes Kubernetes accepts are allowed.
 */
const BINARY: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    "": 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** True when `value` is a quantity Kubernetes would accept. */
export function isQuantity(value: string): boolean {
    return QUANTITY.test(value);
}

/** Parses a quantity to its base unit (bytes for memory, cores for CPU); throws on anything else. */
export function parseQuantity(value: string): number {
    const match = QUANTITY.exec(value);
    if (!match) throw new Error(`"${value}" is not a Kubernetes quantity (e.g. 512Mi, 1Gi, 250m, 0.5)`);
    const [, num, suffix = ""] = match;
    if (/^[eE]/.test(suffix)) return Number(num + suffix);
    return Number(num) * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** Formats bytes as MiB with one decimal, the unit the memory budget is stated in. */
export function formatMiB(bytes: number): string {
    const mib = bytes / 2 ** 20;
    return `${Number.isInteger(mib) ? mib : mib.toFixed(1)}Mi`;
}
