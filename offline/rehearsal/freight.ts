/**
 * The Freight a rehearsal promotes, and who may take it.
 * - One Freight per Warehouse, carrying one chart per subscription (pkg/controller/warehouses/warehouses.go
 *   builds Freight.Charts from the subscriptions' discovered versions: {RepoURL, Name, Version}). Per-chart
 *   Warehouses thus give one Freight per chart; a shared Warehouse one Freight with every chart.
 * - Versions come from `--freight chart=version` (checked against the subscription's semverConstraint) or
 *   default to the next minor above what the stack's Applications pin, which must satisfy it too.
 * - pkg/controller/promotions/promotions.go buildTargetFreightCollection: a Stage requesting more than one
 *   origin keeps the last promotion's Freight for the other origins; the target Freight replaces its own.
 */
import { createHash } from "node:crypto";
import { inc, maxSatisfying, satisfies, valid } from "semver";
import type { Chart, ChartSubscription, Freight, FreightRequest, KubeObject } from "./types";

export interface WarehouseSpec {
    readonly name: string;
    readonly subscriptions: readonly ChartSubscription[];
}

/** The chart subscriptions of every Warehouse, in declaration order. */
export function readWarehouses(objects: readonly KubeObject[], project: string): WarehouseSpec[] {
    return objects
        .filter((o) => o.kind === "Warehouse" && o.metadata.namespace === project)
        .map((o) => {
            const subs = (
                (o.spec as { subscriptions?: { chart?: ChartSubscription }[] })?.subscriptions ?? []
            )
                .map((s) => s.chart)
                .filter((c): c is ChartSubscription => !!c);
            return { name: o.metadata.name, subscriptions: subs };
        });
}

/** The name `--freight` uses for a subscription: its `name`, else the last segment of its OCI repoURL. */
export function chartKey(sub: ChartSubscription): string {
    return sub.name || (sub.repoURL.split("/").pop() ?? sub.repoURL);
}

/** Masterminds constraints separate AND-ed ranges with commas too; node-semver only with spaces. */
export function toNodeRange(constraint: string): string {
    return constraint.replace(/,\s*/g, " ");
}

/** `chart=version,…` → map; throws on a malformed entry. */
export function parseFreightArg(arg: string | undefined): Map<string, string> {
    const out = new Map<string, string>();
    for (const entry of (arg ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)) {
        const [chart, version, ...rest] = entry.split("=");
        if (!chart || !version || rest.length > 0)
            throw new Error(`--freight: expected chart=version, got "${entry}"`);
        if (!valid(version))
            throw new Error(`--freight: "${version}" for ${chart} is not a semantic version`);
        out.set(chart, version);
    }
    return out;
}

/** The highest targetRevision the stack's Applications pin for a subscription (Helm-type or native OCI). */
export function currentVersion(objects: readonly KubeObject[], sub: ChartSubscription): string | undefined {
    const versions: string[] = [];
    for (const o of objects) {
        if (o.kind !== "Application") continue;
        const spec = (o.spec ?? {}) as {
            source?: Record<string, unknown>;
            sources?: Record<string, unknown>[];
        };
        for (const s of spec.sources ?? (spec.source ? [spec.source] : [])) {
            const url = String(s.repoURL ?? "");
            const full =
                typeof s.chart === "string" && s.chart ? `oci://${url.replace(/\/$/, "")}/${s.chart}` : url;
            if ((full === sub.repoURL || url === sub.repoURL) && typeof s.targetRevision === "string") {
                versions.push(s.targetRevision);
            }
        }
    }
    return (
        maxSatisfying(
            versions.filter((v) => valid(v)),
            "*",
        ) ?? undefined
    );
}

/** The default version: next minor above the pinned one, else next patch, within the constraint. */
export function defaultVersion(objects: readonly KubeObject[], sub: ChartSubscription): string {
    const range = toNodeRange(sub.semverConstraint ?? "*");
    const pinned = currentVersion(objects, sub);
    if (!pinned)
        throw new Error(`no Application pins ${sub.repoURL}: pass --freight ${chartKey(sub)}=<version>`);
    for (const release of ["minor", "patch"] as const) {
        const next = inc(pinned, release);
        if (next && satisfies(next, range)) return next;
    }
    throw new Error(
        `no version above ${pinned} satisfies "${sub.semverConstraint}" for ${chartKey(sub)}: pass --freight`,
    );
}

/** Freight's name is a content hash in Kargo; a stable sha1 of origin and charts serves the same purpose. */
function freightName(origin: string, charts: readonly Chart[]): string {
    const h = createHash("sha1");
    h.update(origin);
    for (const c of charts) h.update(`${c.RepoURL}|${c.Name}|${c.Version}`);
    return h.digest("hex");
}

/** One Freight per Warehouse, versions validated against each subscription's semverConstraint. */
export function buildFreight(
    warehouses: readonly WarehouseSpec[],
    objects: readonly KubeObject[],
    requested: ReadonlyMap<string, string>,
): Freight[] {
    const known = new Set(warehouses.flatMap((w) => w.subscriptions.map(chartKey)));
    for (const chart of requested.keys()) {
        if (!known.has(chart))
            throw new Error(
                `--freight: no Warehouse subscribes to a chart "${chart}" (known: ${[...known].join(", ")})`,
            );
    }
    return warehouses.map((w) => {
        const charts = w.subscriptions.map((sub): Chart => {
            const version = requested.get(chartKey(sub)) ?? defaultVersion(objects, sub);
            const constraint = sub.semverConstraint ?? "*";
            if (!satisfies(version, toNodeRange(constraint))) {
                throw new Error(
                    `--freight: ${chartKey(sub)}=${version} does not satisfy the Warehouse ${w.name} constraint "${constraint}"`,
                );
            }
            return { RepoURL: sub.repoURL, Name: sub.name ?? "", Version: version };
        });
        return { name: freightName(w.name, charts), origin: { kind: "Warehouse", name: w.name }, charts };
    });
}

/** promotions.go buildTargetFreightCollection. */
export function buildTargetCollection(
    requests: readonly FreightRequest[],
    previous: readonly Freight[],
    target: Freight,
): Freight[] {
    const kept =
        requests.length > 1
            ? previous.filter(
                  (f) =>
                      f.origin.name !== target.origin.name &&
                      requests.some((r) => r.origin.name === f.origin.name),
              )
            : [];
    return [...kept, target];
}

/** Orders Stages so each comes after the Stages it takes Freight from. */
export function orderStages<T extends { name: string; requests: readonly FreightRequest[] }>(
    stages: readonly T[],
): T[] {
    const done = new Set<string>();
    const ordered: T[] = [];
    const pending = [...stages];
    while (pending.length > 0) {
        const i = pending.findIndex((s) =>
            s.requests.every((r) => (r.sources.stages ?? []).every((u) => done.has(u))),
        );
        const [next] = pending.splice(i < 0 ? 0 : i, 1);
        done.add(next.name);
        ordered.push(next);
    }
    return ordered;
}
