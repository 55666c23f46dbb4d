/**
 * Config section `budget`: the memory this stack may add to the cluster, checked by `npm run synth`
 * (offline/report/memoryBudget.ts sums every container the stack declares, as if every Job ran at once, and fails
 * above these numbers).
 *
 * Defaults are sized for the ADR's busiest node: 16 GiB at ~92% leaves 16384Mi x 8% = 1310Mi free.
 * - requests 1152Mi: what the scheduler reserves. Even if everything landed on that node, 158Mi stays
 *   free (the node ends at ~99% reserved, never over). Kargo's components and one verification Job alone
 *   need 1056Mi with the foundation's defaults, so this is the floor that lets prod fit with spare.
 * - limits 2304Mi (2x the requests budget): limits are not reserved, they cap a burst. The only large
 *   limits belong to transient Jobs that Kargo runs one at a time (refresh, then sync, then verify), and
 *   the clone runs with requests == limits, so it never bursts. The cap bounds overcommit at 2x.
 */
import { z } from "zod";
import { memoryQuantity, readQuantity } from "./common";

export const budgetSection = z
    .strictObject({
        requests: memoryQuantity.prefault("1152Mi").describe("Total memory requests the stack may add."),
        limits: memoryQuantity.prefault("2304Mi").describe("Total memory limits the stack may add."),
    })
    .superRefine((b, ctx) => {
        // A budget that is not a quantity has its own issue at its own key; only compare what parses.
        const [limits, requests] = [readQuantity(b.limits), readQuantity(b.requests)];
        if (limits !== undefined && requests !== undefined && limits < requests) {
            ctx.addIssue({
                code: "custom",
                path: ["limits"],
                message: `is lower than the requests budget (${b.requests}); the limits budget must be at least it`,
            });
        }
    })
    .prefault({})
    .describe(
        "The memory the stack may add to the cluster; `npm run synth` sums it and fails above (docs/dev-data-plane.md).",
    );

export type BudgetConfig = z.infer<typeof budgetSection>;
