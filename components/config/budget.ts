/**
 * Config section `budget`: the memory this stack may add to the cluster, checked by `npm run synth`
 * (lib/memoryBudget.ts sums every container the stack declares and fails above these numbers).
 *
 * Defaults are sized for the ADR's busiest node: 16 GiB at ~92% leaves 16384Mi x 8% = 1310Mi free.
 * - requests 1024Mi: what the scheduler reserves; fits in the 1310Mi with 286Mi (22% of the headroom)
 *   to spare for the dev workload's own growth and for kubelet/system daemons.
 * - limits 1280Mi: the worst case if every container peaks at once; still below the 1310Mi free, so even
 *   that burst cannot push the node past ~99.8%, and it keeps the limit/request overcommit at 1.25x.
 */
import { z } from "zod";
import { parseQuantity } from "../../lib/quantity";
import { memoryQuantity } from "./common";

export const budgetSection = z
    .strictObject({
        /** Total memory requests the stack may add. */
        requests: memoryQuantity.default("1024Mi"),
        /** Total memory limits the stack may add. */
        limits: memoryQuantity.default("1280Mi"),
    })
    .superRefine((b, ctx) => {
        if (parseQuantity(b.limits) < parseQuantity(b.requests)) {
            ctx.addIssue({
                code: "custom",
                path: ["limits"],
                message: `is lower than the requests budget (${b.requests}); the limits budget must be at least it`,
            });
        }
    })
    .prefault({});

export type BudgetConfig = z.infer<typeof budgetSection>;
