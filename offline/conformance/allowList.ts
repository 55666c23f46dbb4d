/**
 * The reviewed allow-list of the differential tests: cases where the TypeScript model is deliberately
 * stricter than the upstream code the oracle runs, each with its reason. Only "model refuses, upstream
 * admits" can be listed (./compare.ts); an entry that matches no case fails the run as stale.
 */
import type { AllowEntry } from "./compare";

export const ALLOW_LIST: readonly AllowEntry[] = [];
