/**
 * Runs test/support/ssa (a Go program over the API server's own field manager, k8s.io/apimachinery
 * pkg/util/managedfields) on a sequence of writes to one object. `undefined` when Go is not installed
 * (callers skip, or fail under CI).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export type SsaStep =
    | { readonly op: "apply"; readonly manager: string; readonly force: boolean; readonly object: object }
    | { readonly op: "update"; readonly manager: string; readonly object: object }
    | { readonly op: "reset" };

export interface SsaResult {
    /** The API server's refusal (a conflict names the other manager and the fields), or null. */
    readonly error: string | null;
    /** `<manager>/<operation>` of every managedFields entry after the step. */
    readonly managers: string[];
    readonly live: Record<string, unknown>;
}

const DIR = join(__dirname, "ssa");

export function hasGo(): boolean {
    return spawnSync("go", ["version"]).status === 0;
}

export function replayWrites(apiVersion: string, kind: string, steps: readonly SsaStep[]): SsaResult[] {
    const r = spawnSync("go", ["run", "."], {
        cwd: DIR,
        input: JSON.stringify({ apiVersion, kind, steps }),
        encoding: "utf8",
        // The pinned toolchain of go.mod's go line is not fetched: the installed one builds it.
        env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly" },
        maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`go run test/support/ssa failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout) as SsaResult[];
}
