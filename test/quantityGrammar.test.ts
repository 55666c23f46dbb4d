/**
 * The stack (components/core/quantity.ts, with the resource rules of components/config/common.ts), the policy
 * pack (policy/lib/quantity.ts) and the admission model (offline/admission/quantity.ts) each parse Kubernetes
 * quantities; the pack cannot import the stack, so this table keeps the grammars in step. The reference
 * is k8s.io/apimachinery pkg/api/resource/quantity.go (`parseQuantityString`, the `<quantity>` BNF) and
 * suffix.go (`interpret`); memory must also be a non-negative whole number of bytes with no m/u/n suffix.
 */
import { strict as assert } from "node:assert";
import { describeCpuProblem, describeMemoryProblem } from "../components/config/common";
import * as core from "../components/core/quantity";
import { parseQuantity as parseAdmissionQuantity } from "../offline/admission/quantity";
import * as pack from "../policy/lib/quantity";

/** input → [value in base units or undefined when not a quantity, accepted as memory, accepted as CPU]. */
const TABLE: [string, number | undefined, boolean, boolean][] = [
    ["512Mi", 512 * 2 ** 20, true, true],
    ["1Gi", 2 ** 30, true, true],
    ["1.5Gi", 1.5 * 2 ** 30, true, true],
    ["1G", 1e9, true, true],
    ["128974848", 128974848, true, true],
    ["0", 0, true, true],
    ["1.", 1, true, true],
    [".5Ki", 512, true, true],
    ["+1Mi", 2 ** 20, true, true],
    ["-1Mi", -(2 ** 20), false, false],
    ["-100m", -0.1, false, false],
    ["100m", 0.1, false, true],
    ["1000m", 1, false, true],
    ["128974848000m", 128974848, false, true],
    ["5u", 5e-6, false, true],
    ["5n", 5e-9, false, true],
    ["129e6", 129e6, true, true],
    ["129E6", 129e6, true, true],
    ["1e+3", 1000, true, true],
    ["1.5e3", 1500, true, true],
    ["1e-3", 1e-3, false, true],
    ["2E", 2e18, true, true],
    ["0.5", 0.5, false, true],
    ["1.1k", 1100, true, true],
    ["0.1Ki", 102.4, false, true],
    ["2Pi", 2 * 2 ** 50, true, true],
    ["1Ei", 2 ** 60, true, true],
    ["128MB", undefined, false, false],
    ["1K", undefined, false, false],
    ["1KiB", undefined, false, false],
    ["1e", undefined, false, false],
    ["1e1.5", undefined, false, false],
    ["1 Mi", undefined, false, false],
    [" 1Mi", undefined, false, false],
    [".", undefined, false, false],
    ["+", undefined, false, false],
    ["Mi", undefined, false, false],
    ["", undefined, false, false],
    ["1.2.3", undefined, false, false],
    ["lots", undefined, false, false],
];

describe("quantity grammar: the stack and the policy pack agree", () => {
    for (const [input, value, memory, cpu] of TABLE) {
        it(`${JSON.stringify(input)}: ${value === undefined ? "not a quantity" : value}, memory ${memory ? "yes" : "no"}, cpu ${cpu ? "yes" : "no"}`, () => {
            assert.equal(core.isQuantity(input), value !== undefined, "stack: is a quantity");
            assert.equal(pack.parseQuantity(input), value, "pack: value");
            if (value !== undefined) assert.equal(core.parseQuantity(input), value, "stack: value");
            assert.equal(describeMemoryProblem(input) === undefined, memory, "stack: memory");
            assert.equal(pack.parseMemory(input) !== undefined, memory, "pack: memory");
            if (memory) assert.equal(pack.parseMemory(input), value, "pack: memory value");
            assert.equal(describeCpuProblem(input) === undefined, cpu, "stack: cpu");
            // The admission model (offline/admission/quantity.ts) parses with the same grammar, exactly.
            const admitted = parseAdmissionQuantity(input);
            assert.equal(admitted === undefined, value === undefined, "admission: is a quantity");
            if (admitted && value !== undefined)
                assert.equal(
                    Number(admitted.numerator) / Number(admitted.denominator),
                    value,
                    "admission: value",
                );
        });
    }

    it("refuses a malformed quantity with a message naming it", () =>
        assert.throws(() => core.parseQuantity("128MB"), /"128MB" is not a Kubernetes quantity/));
});
