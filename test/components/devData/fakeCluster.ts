/**
 * A fake cluster for refresh.sh: a temp directory with the ConfigMap's files, a `kubectl` on PATH that is
 * fixtures/fake-kubectl.cjs (the API server and the CNPG and snapshot controllers, state in a JSON file),
 * and the exact environment the stack's Job builders give the script.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildRefreshConfigMap } from "../../../components/devData/refresher";
import type { Job } from "../../../components/core/builtins";
import type { StackConfig } from "../../../components/config";
import { configOf } from "./helpers";

const FAKE = resolve(__dirname, "fixtures", "fake-kubectl.cjs");
export const hasJq = spawnSync("jq", ["--version"]).status === 0;

/** An object in the fake cluster's state, by the fields these tests read. */
export interface FakeObject {
    readonly kind: string;
    readonly type?: string;
    readonly metadata: {
        readonly name: string;
        readonly namespace?: string;
        readonly labels?: Record<string, string>;
        readonly annotations?: Record<string, string>;
        readonly managedFields?: { manager: string; operation: string }[];
    };
    readonly spec?: Record<string, unknown>;
    readonly stringData?: Record<string, string>;
}

/** A command the fake cluster recorded for `kubectl exec`. */
export interface FakeExec {
    readonly pod: string;
    readonly command: string[];
}

export interface Sandbox {
    readonly dir: string;
    readonly env: NodeJS.ProcessEnv;
}

export function createSandbox(cfg: StackConfig = configOf("dev")): Sandbox {
    const dir = mkdtempSync(join(tmpdir(), "refresh-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "kubectl"), `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" "$@"\n`);
    chmodSync(join(bin, "kubectl"), 0o755);
    const data = buildRefreshConfigMap(cfg).data ?? {};
    for (const [file, text] of Object.entries(data)) writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, "state.json"), JSON.stringify({ objects: [] }));
    writeFileSync(join(dir, "kubectl.log"), "");
    return {
        dir,
        env: {
            PATH: `${bin}:${process.env.PATH}`,
            FAKE_KUBE_STATE: join(dir, "state.json"),
            FAKE_KUBE_LOG: join(dir, "kubectl.log"),
            MANIFESTS: dir,
        },
    };
}

export function jobEnv(job: Pick<Job, "spec">): Record<string, string> {
    const container = job.spec?.template.spec?.containers[0];
    return Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value ?? ""]));
}

export function run(box: Sandbox, job: Pick<Job, "spec">, extra: Record<string, string> = {}) {
    const env = { ...jobEnv(job), HOME: box.dir, ...box.env, ...extra };
    const r = spawnSync("sh", [join(box.dir, "refresh.sh")], { env, encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function kube(box: Sandbox, obj: object): void {
    const r = spawnSync(process.execPath, [FAKE, "create", "-f", "-"], {
        env: { ...process.env, ...box.env },
        input: JSON.stringify(obj),
        encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
}

export function objects(box: Sandbox): FakeObject[] {
    return JSON.parse(readFileSync(join(box.dir, "state.json"), "utf8")).objects;
}

/** The one object matching `pred`; fails the test when there is none. */
export function one(box: Sandbox, pred: (o: FakeObject) => boolean): FakeObject {
    const found = objects(box).find(pred);
    assert.ok(found, "expected a matching object in the fake cluster");
    return found;
}

export function setState(box: Sandbox, patch: Record<string, unknown>): void {
    const state = JSON.parse(readFileSync(join(box.dir, "state.json"), "utf8"));
    writeFileSync(join(box.dir, "state.json"), JSON.stringify({ ...state, ...patch }));
}

export const names = (box: Sandbox, kind: string) =>
    objects(box)
        .filter((o) => o.kind === kind)
        .map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name));

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Prod's CNPG Cluster as the refresher reads it: two instances, healthy, unless `status` says otherwise. */
export function prodCluster(
    status: Record<string, unknown> = {},
    spec: Record<string, unknown> = {},
): object {
    return {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Cluster",
        metadata: { name: "monolith-db", namespace: "monolith" },
        spec: { instances: 2, storage: { size: "10Gi" }, ...spec },
        status: {
            phase: "Cluster in healthy state",
            readyInstances: 2,
            currentPrimary: "monolith-db-1",
            targetPrimary: "monolith-db-1",
            ...status,
        },
    };
}

/** The clone as Pulumi creates it (the ConfigMap's cluster.json is byte-for-byte Pulumi's object). */
export function pulumiCreatesClone(box: Sandbox): void {
    kube(box, JSON.parse(readFileSync(join(box.dir, "cluster.json"), "utf8")));
}

export function execs(box: Sandbox): FakeExec[] {
    return JSON.parse(readFileSync(join(box.dir, "state.json"), "utf8")).execs ?? [];
}

export const backupsIn = (box: Sandbox) => names(box, "Backup").sort();
