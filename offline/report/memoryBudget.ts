/**
 * The memory a stack adds to the cluster, summed from what the program registered (the recording mock
 * runtime's resources): Helm release values (`resources` blocks, e.g. Kargo's components), CloudNativePG
 * Clusters (`spec.resources` x `instances`), and every pod spec anywhere in a declared object (Jobs,
 * CronJobs, Deployments x replicas, AnalysisTemplate job providers, Jobs embedded in Application values).
 * Pure: no I/O; `npm run synth` prints the report and fails when a budget is exceeded.
 */
import { describeObject } from "../../components/core/objects";
import { formatMiB, parseQuantity } from "../../components/core/quantity";
import type { ResourceRecord } from "../runtime/mockRuntime";

/** One container (or Helm component, or CNPG instance set) and what it adds. */
export interface MemoryLine {
    /** `<kind> <name>` of the declared object or Helm release. */
    readonly owner: string;
    /** Where in it: the container name or the values path. */
    readonly where: string;
    /** Bytes, already multiplied by replicas or instances. */
    readonly requests: number;
    readonly limits: number;
}

export interface MemoryTotals {
    readonly lines: readonly MemoryLine[];
    readonly requests: number;
    readonly limits: number;
    /** Containers with no memory request or limit: unbounded, so the budget cannot hold. */
    readonly unbounded: readonly string[];
}

export interface MemoryBudget {
    readonly requests: string;
    readonly limits: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

interface ContainerMemory {
    readonly name: string;
    readonly requests?: number;
    readonly limits?: number;
}

function readContainerMemory(container: Obj): ContainerMemory {
    const resources = isObj(container.resources) ? container.resources : {};
    const read = (group: unknown) =>
        isObj(group) && typeof group.memory === "string" ? parseQuantity(group.memory) : undefined;
    return {
        name: String(container.name ?? "?"),
        requests: read(resources.requests),
        limits: read(resources.limits),
    };
}

/**
 * A pod's memory as the scheduler sees it: the larger of the sum of its containers and its largest init
 * container (init containers run one at a time, before the others start).
 */
function sumPodSpec(owner: string, spec: Obj, multiplier: number, unbounded: string[]): MemoryLine[] {
    const list = (v: unknown) => (Array.isArray(v) ? v.filter(isObj).map(readContainerMemory) : []);
    const containers = list(spec.containers);
    const inits = list(spec.initContainers);
    for (const c of [...containers, ...inits]) {
        if (c.requests === undefined || c.limits === undefined)
            unbounded.push(`${owner} container ${c.name}`);
    }
    const sum = (cs: ContainerMemory[], key: "requests" | "limits") =>
        cs.reduce((t, c) => t + (c[key] ?? 0), 0);
    const maxOf = (cs: ContainerMemory[], key: "requests" | "limits") =>
        Math.max(0, ...cs.map((c) => c[key] ?? 0));
    const requests = Math.max(sum(containers, "requests"), maxOf(inits, "requests")) * multiplier;
    const limits = Math.max(sum(containers, "limits"), maxOf(inits, "limits")) * multiplier;
    const where = containers.map((c) => c.name).join("+") + (multiplier > 1 ? ` x${multiplier}` : "");
    return [{ owner, where, requests, limits }];
}

/** Every pod spec under `value`; a `replicas` next to a `template` multiplies what is below it. */
function findPodSpecs(
    owner: string,
    value: unknown,
    multiplier: number,
    unbounded: string[],
    nested = false,
): MemoryLine[] {
    if (Array.isArray(value))
        return value.flatMap((v) => findPodSpecs(owner, v, multiplier, unbounded, true));
    if (!isObj(value)) return [];
    if (Array.isArray(value.containers)) return sumPodSpec(owner, value, multiplier, unbounded);
    const replicas = typeof value.replicas === "number" && isObj(value.template) ? value.replicas : 1;
    // A nested object with its own kind (a Job inside Application values) is named after itself.
    const here =
        nested &&
        typeof value.kind === "string" &&
        isObj(value.metadata) &&
        typeof value.metadata.name === "string"
            ? `${owner} > ${value.kind} ${value.metadata.name}`
            : owner;
    return Object.values(value).flatMap((v) => findPodSpecs(here, v, multiplier * replicas, unbounded, true));
}

/** `resources: {requests, limits}` blocks anywhere in Helm values (one per chart component). */
function findHelmResources(owner: string, value: unknown, path: string): MemoryLine[] {
    if (Array.isArray(value)) return value.flatMap((v, i) => findHelmResources(owner, v, `${path}[${i}]`));
    if (!isObj(value)) return [];
    const lines: MemoryLine[] = [];
    for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key === "resources" && isObj(child) && (isObj(child.requests) || isObj(child.limits))) {
            const m = readContainerMemory({ name: childPath, resources: child });
            lines.push({ owner, where: childPath, requests: m.requests ?? 0, limits: m.limits ?? 0 });
        } else {
            lines.push(...findHelmResources(owner, child, childPath));
        }
    }
    return lines;
}

function sumCnpgCluster(owner: string, obj: Obj, unbounded: string[]): MemoryLine[] {
    const spec = isObj(obj.spec) ? obj.spec : {};
    const instances = typeof spec.instances === "number" ? spec.instances : 1;
    const m = readContainerMemory({ name: "postgres", resources: spec.resources });
    if (m.requests === undefined || m.limits === undefined) unbounded.push(`${owner} container postgres`);
    return [
        {
            owner,
            where: `postgres x${instances}`,
            requests: (m.requests ?? 0) * instances,
            limits: (m.limits ?? 0) * instances,
        },
    ];
}

/** Sums the memory every declared resource adds. Reads (`.get`) of existing objects add nothing. */
export function sumMemory(resources: readonly ResourceRecord[]): MemoryTotals {
    const unbounded: string[] = [];
    const lines = resources
        .filter((r) => !r.read)
        .flatMap((r): MemoryLine[] => {
            const inputs = r.inputs as Obj;
            if (/^kubernetes:helm\.sh\/v\d:Release$/.test(r.type)) {
                return findHelmResources(`HelmRelease ${String(inputs.name ?? r.name)}`, inputs.values, "");
            }
            if (!r.type.startsWith("kubernetes:") || typeof inputs.kind !== "string") return [];
            const meta = isObj(inputs.metadata) ? inputs.metadata : {};
            const owner = describeObject(
                {
                    kind: inputs.kind,
                    metadata: {
                        namespace: meta.namespace ? String(meta.namespace) : undefined,
                        name: meta.name === undefined || meta.name === null ? undefined : String(meta.name),
                    },
                },
                r.name,
            );
            if (String(inputs.apiVersion).startsWith("postgresql.cnpg.io/") && inputs.kind === "Cluster") {
                return sumCnpgCluster(owner, inputs, unbounded);
            }
            return findPodSpecs(owner, inputs, 1, unbounded);
        })
        .filter((l) => l.requests > 0 || l.limits > 0 || l.where !== "");
    return {
        lines,
        requests: lines.reduce((t, l) => t + l.requests, 0),
        limits: lines.reduce((t, l) => t + l.limits, 0),
        unbounded,
    };
}

/** Problems with `totals` against `budget`, one message each; empty when it fits. */
export function checkMemoryBudget(totals: MemoryTotals, budget: MemoryBudget): string[] {
    const problems = totals.unbounded.map(
        (c) => `${c} has no memory request or limit; every container needs both`,
    );
    for (const key of ["requests", "limits"] as const) {
        const allowed = parseQuantity(budget[key]);
        if (totals[key] > allowed) {
            problems.push(
                `memory ${key} ${formatMiB(totals[key])} exceed the budget of ${budget[key]} (${formatMiB(allowed)}) by ${formatMiB(totals[key] - allowed)}; lower the resources or raise release-pipeline:budget.${key}`,
            );
        }
    }
    return problems;
}

/** The report `synth` prints: one line per contributor, then the totals against the budget. */
export function renderMemoryReport(stack: string, totals: MemoryTotals, budget: MemoryBudget): string {
    const rows = totals.lines.map(
        (l) =>
            `    ${formatMiB(l.requests).padStart(8)} / ${formatMiB(l.limits).padStart(8)}  ${l.owner} (${l.where})`,
    );
    return [
        `  memory added by stack ${stack} (requests / limits):`,
        ...rows,
        `    ${formatMiB(totals.requests).padStart(8)} / ${formatMiB(totals.limits).padStart(8)}  total; budget ${budget.requests} / ${budget.limits}`,
    ].join("\n");
}

/** The same report as a Markdown table (the PR summary's "memory table"). */
export function renderMemoryMarkdown(totals: MemoryTotals, budget: MemoryBudget): string {
    const rows = totals.lines.map(
        (l) => `| ${l.owner} | ${l.where} | ${formatMiB(l.requests)} | ${formatMiB(l.limits)} |`,
    );
    return [
        "| object | where | requests | limits |",
        "|---|---|---:|---:|",
        ...rows,
        `| **total** | | **${formatMiB(totals.requests)}** | **${formatMiB(totals.limits)}** |`,
        `| budget | | ${budget.requests} | ${budget.limits} |`,
    ].join("\n");
}
