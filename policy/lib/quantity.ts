/**
 * Kubernetes memory quantities to bytes. The pack keeps its own copy (rather than importing the stack's
 * lib/) because a published pack is just this folder.
 */
const multipliers: Record<string, number> = {
    "": 1,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
};

const quantityPattern = /^(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** Bytes, or undefined when the value is not a quantity (numbers are taken as bytes). */
export function parseMemory(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
    if (typeof value !== "string") return undefined;
    const match = quantityPattern.exec(value.trim());
    if (!match) return undefined;
    const [, amount, suffix = ""] = match;
    if (/^[eE]/.test(suffix)) return Number(amount + suffix);
    return Number(amount) * multipliers[suffix];
}

/** Bytes as Mi, the unit budgets are written in. */
export function formatMemory(bytes: number): string {
    const mib = bytes / 2 ** 20;
    return `${Number.isInteger(mib) ? mib : mib.toFixed(1)}Mi`;
}
