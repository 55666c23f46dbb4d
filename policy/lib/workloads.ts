/**
 * Containers the stack adds, wherever they are declared: Helm chart components (through a per-chart map
 * of values paths), CNPG Clusters, workload objects and AnalysisTemplate jobs. Each container carries its
 * memory request (the limit stands in when only a limit is set, as Kubernetes does) and its limits.
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
    /** How many copies run (replicas, instances). */
    copies: number;
}

/** Helm charts whose components the budget cannot see, by chart reference. */
export interface ContainerInventory {
    containers: Container[];
    unaccountedCharts: { chart: string; urn: string }[];
}

const podSpecPaths: Record<string, string> = {
    Pod: "",
    Deployment: "template.spec",
    StatefulSet: "template.spec",
    ReplicaSet: "template.spec",
    DaemonSet: "template.spec",
    Job: "template.spec",
    CronJob: "jobTemplate.spec.template.spec",
};

function readCopies(value: unknown): number {
    return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : 1;
}

function findPodContainers(podSpec: unknown, label: string, urn: string, copies: number): Container[] {
    return ["initContainers", "containers"].flatMap((field) =>
        readList(readPath(podSpec, field))
            .filter(isRecord)
            .map((c) => ({
                label: `${label} container ${readString(c.name) ?? "?"}`,
                urn,
                resources: c.resources,
                copies,
            })),
    );
}

/** A components entry ending in `?` is opt-in: counted only when `<path>.enabled` is true. */
function findChartComponents(values: Plain, paths: string[], label: string, urn: string): Container[] {
    return paths.flatMap((entry) => {
        const optIn = entry.endsWith("?");
        const path = optIn ? entry.slice(0, -1) : entry;
        const raw = readPath(values, path);
        const component = readRecord(raw);
        if (optIn ? component.enabled !== true : component.enabled === false) return [];
        const resources = isUnknown(raw) ? raw : component.resources;
        return [{ label: `${label} ${path}`, urn, resources, copies: readCopies(component.replicas) }];
    });
}

export function findContainers(
    view: StackView,
    chartComponents: Record<string, string[]>,
): ContainerInventory {
    const containers: Container[] = [];
    const unaccountedCharts: { chart: string; urn: string }[] = [];
    for (const release of view.resources.filter((r) => helmTypes.has(r.type))) {
        const chart = findChartReference(release.props);
        if (!chart) continue;
        const key = chart.replace(/\/+$/, "").split("/").pop() ?? chart;
        const paths = chartComponents[key];
        if (!paths) {
            unaccountedCharts.push({ chart, urn: release.urn });
            continue;
        }
        if (isUnknown(release.props.values)) continue; // cannot be counted or checked until known
        if (isUnknown(release.props.values)) continue; // neither countable nor checkable until known
        const values = readRecord(release.props.values);
        containers.push(...findChartComponents(values, paths, `Helm chart ${key}`, release.urn));
    }
    for (const cluster of view.findKube(groups.cnpg, "Cluster")) {
        const resources = isUnknown(cluster.props.spec)
            ? cluster.props.spec
            : readPath(cluster.spec, "resources");
        containers.push({
            label: describeObject(cluster),
            urn: cluster.urn,
            resources,
            copies: readCopies(readPath(cluster.spec, "instances")),
        });
    }
    for (const object of view.kube) {
        const path = podSpecPaths[object.kind];
        if (
            path === undefined ||
            (object.group !== "apps" && object.group !== "batch" && object.group !== groups.core)
        )
            continue;
        const podSpec = path ? readPath(object.spec, path) : object.spec;
        const copies =
            object.kind === "Deployment" || object.kind === "StatefulSet" || object.kind === "ReplicaSet"
                ? readCopies(readPath(object.spec, "replicas"))
                : 1;
        containers.push(...findPodContainers(podSpec, describeObject(object), object.urn, copies));
    }
    for (const template of view.findKube(groups.argo, "AnalysisTemplate")) {
        readList(readPath(template.spec, "metrics")).forEach((metric) => {
            const podSpec = readPath(metric, "provider.job.spec.template.spec");
            if (podSpec === undefined) return;
            const label = `${describeObject(template)} metric ${readString(readPath(metric, "name")) ?? "?"}`;
            containers.push(...findPodContainers(podSpec, label, template.urn, 1));
        });
    }
    return { containers, unaccountedCharts };
}

/** The memory a container reserves: its request, else its limit (Kubernetes defaults one to the other). */
export function findMemoryRequest(container: Container): unknown {
    const request = readPath(container.resources, "requests.memory");
    return request !== undefined ? request : readPath(container.resources, "limits.memory");
}

export function isKnown(value: unknown): boolean {
    return value !== undefined && !isUnknown(value);
}
