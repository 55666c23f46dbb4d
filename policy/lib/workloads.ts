/**
 * The pods the stack adds, wherever they are declared: Helm chart components (through a per-chart map of
 * values paths, since a chart's own defaults are invisible), CNPG Clusters, and every pod spec anywhere
 * inside a declared object (workloads, Jobs, AnalysisTemplate job providers, Jobs embedded in Argo CD
 * Application values). A pod reserves what the scheduler reserves: the larger of its containers' sum and
 * its largest init container (those run one at a time, before the others).
 */
import { findChartReference } from "./helm";
import { describeObject, groups, helmTypes, type StackView } from "./resources";
import { isRecord, isUnknown, readList, readPath, readRecord, readString, type Plain } from "./values";

export interface Container {
    /** Where it comes from, for messages. */
    label: string;
    urn: string;
    /** As declared; may be (or contain) values unknown during preview. */
    resources: unknown;
}

export interface Pod {
    label: string;
    urn: string;
    /** How many copies run (replicas, instances). */
    copies: number;
    containers: Container[];
    initContainers: Container[];
}

export interface PodInventory {
    pods: Pod[];
    /** Helm charts the budget cannot see into, by chart reference. */
    unaccountedCharts: { chart: string; urn: string }[];
}

function readCopies(value: unknown): number {
    return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : 1;
}

function buildPod(label: string, urn: string, podSpec: Plain, copies: number): Pod {
    const read = (field: string) =>
        readList(podSpec[field])
            .filter(isRecord)
            .map((c) => ({
                label: `${label} container ${readString(c.name) ?? "?"}`,
                urn,
                resources: c.resources,
            }));
    return { label, urn, copies, containers: read("containers"), initContainers: read("initContainers") };
}

/** Every pod spec below `value`; `replicas` beside a `template` multiplies what is under it. */
export function findPodSpecs(value: unknown, label: string, urn: string, copies = 1, nested = false): Pod[] {
    if (Array.isArray(value)) return value.flatMap((v) => findPodSpecs(v, label, urn, copies, true));
    if (!isRecord(value)) return [];
    if (Array.isArray(value.containers)) return [buildPod(label, urn, value, copies)];
    const replicas = isRecord(value.template) ? readCopies(value.replicas) : 1;
    const kind = readString(value.kind);
    const name = readString(readPath(value, "metadata.name"));
    const here = nested && kind && name ? `${label} > ${kind} ${name}` : label;
    return Object.entries(value)
        .filter(([key]) => key !== "metadata")
        .flatMap(([, v]) => findPodSpecs(v, here, urn, copies * replicas, true));
}

/** A components entry ending in `?` is opt-in: counted only when `<path>.enabled` is true. */
function findChartComponents(values: Plain, paths: string[], label: string, urn: string): Pod[] {
    return paths.flatMap((entry) => {
        const optIn = entry.endsWith("?");
        const path = optIn ? entry.slice(0, -1) : entry;
        const raw = readPath(values, path);
        const component = readRecord(raw);
        if (optIn ? component.enabled !== true : component.enabled === false) return [];
        const resources = isUnknown(raw) ? raw : component.resources;
        const container = { label: `${label} ${path}`, urn, resources };
        return [
            {
                ...container,
                copies: readCopies(component.replicas),
                containers: [container],
                initContainers: [],
            },
        ];
    });
}

export function findPods(view: StackView, chartComponents: Record<string, string[]>): PodInventory {
    const pods: Pod[] = [];
    const unaccountedCharts: { chart: string; urn: string }[] = [];
    for (const release of view.resources.filter((r) => helmTypes.has(r.type))) {
        const chart = findChartReference(release.props);
        if (!chart) continue;
        const key = chart.replace(/\/+$/, "").split("/").pop() ?? chart;
        const paths = chartComponents[key];
        if (!paths) unaccountedCharts.push({ chart, urn: release.urn });
        else if (!isUnknown(release.props.values)) {
            pods.push(
                ...findChartComponents(
                    readRecord(release.props.values),
                    paths,
                    `Helm chart ${key}`,
                    release.urn,
                ),
            );
        }
    }
    for (const object of view.kube) {
        const label = describeObject(object);
        if (object.group === groups.cnpg && object.kind === "Cluster") {
            const resources = isUnknown(object.spec) ? object.spec : readPath(object.spec, "resources");
            const container = { label, urn: object.urn, resources };
            const copies = readCopies(readPath(object.spec, "instances"));
            pods.push({ label, urn: object.urn, copies, containers: [container], initContainers: [] });
        } else {
            pods.push(...findPodSpecs(object.props, label, object.urn));
        }
    }
    return { pods, unaccountedCharts };
}
