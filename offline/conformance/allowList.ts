/**
 * The reviewed allow-list of the differential tests: cases where the TypeScript model is deliberately
 * stricter than the upstream code the oracle runs, each with its reason. Only "model refuses, upstream
 * admits" can be listed (./compare.ts); an entry that matches no case fails the run as stale.
 */
import type { AllowEntry } from "./compare";

export const ALLOW_LIST: readonly AllowEntry[] = [
    {
        harness: "apiserver",
        case: /\[(delete|retype) \/spec\/(promotionTemplate\/spec\/)?steps\/\d+\/config\//,
        modelMessage: /^\/spec\/(promotionTemplate\/spec\/)?steps\/\d+\/config/,
        reason:
            "A step's config is free-form to the API server (the CRD types it as an open JSON object); Kargo " +
            "v1.11.2 checks it against the step's JSON schema only when the step runs (pkg/promotion/runner/" +
            "builtin, e.g. git_cloner.go run → validateAndConvert with getConfigSchemaLoader), so the first " +
            "Promotion would fail. The model refuses it at synth time instead.",
    },
    {
        harness: "apiserver",
        case: /\[(delete|retype) \/spec\/subscriptions\/\d+\//,
        modelMessage: /^\/spec\/subscriptions\/\d+\//,
        reason:
            "A Warehouse subscription is validated by Kargo's Warehouse webhook against the subscriber's schema " +
            "(v1.11.2 pkg/webhook/kubernetes/warehouse/webhook.go validateSubs), which the oracle cannot run: " +
            "its api module is not served here (docs/upstream.md). The model is the webhook's stand-in.",
    },
];
