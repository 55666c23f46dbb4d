/**
 * Namespaces that must stay apart: every chart has its own namespace per stage (two Applications syncing
 * into one namespace prune each other's objects, and dev's NetworkPolicy would cover prod), and the Kargo
 * project namespace holds nothing else (Kargo grants project admins every verb on its Secrets, and the
 * stack owns, and on destroy deletes, that Namespace).
 */
import { workloadNamespace } from "../../core/names";
import { KARGO_CHART_NAMESPACES } from "../kargo";
import type { IssueSink } from "./format";
import { selectDevChartIndexes, type NameCheckInput } from "./names";

/** Namespaces Kubernetes itself owns; nothing of this stack belongs in them. */
export const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;

interface NamespaceUse {
    readonly namespace: string;
    readonly path: (string | number)[];
    readonly what: string;
}

/** Every workload namespace, with the chart key and stage that produce it, in config order. */
export function listWorkloadNamespaces(cfg: NameCheckInput): NamespaceUse[] {
    const dev = new Set(selectDevChartIndexes(cfg));
    return cfg.charts.flatMap((chart, i) =>
        (dev.has(i) ? ["prod", "dev"] : ["prod"]).map((stage) => ({
            namespace: workloadNamespace(stage, chart),
            path: ["charts", i, "namespace"],
            what: `the ${stage} namespace of charts[${i}] (${chart.name})`,
        })),
    );
}

/** Namespaces of the platform the stack runs beside: Kargo's (install and chart-made), Argo CD's, its prerequisites'. */
function listPlatformNamespaces(cfg: NameCheckInput): NamespaceUse[] {
    return [
        { namespace: cfg.kargo.namespace, path: ["kargo", "namespace"], what: "Kargo's own namespace" },
        ...KARGO_CHART_NAMESPACES.map((n) => ({
            namespace: n.namespace,
            path: ["kargo"],
            what: `a namespace the Kargo chart creates for itself (${n.value})`,
        })),
        { namespace: cfg.argocd.namespace, path: ["argocd", "namespace"], what: "Argo CD's namespace" },
        ...Object.entries(cfg.kargo.prerequisites).map(([key, namespace]) => ({
            namespace,
            path: ["kargo", "prerequisites", key],
            what: `kargo.prerequisites.${key}`,
        })),
        {
            namespace: cfg.devData.prod.namespace,
            path: ["devData", "prod", "namespace"],
            what: "prod's database namespace (devData.prod.namespace)",
        },
    ];
}

function checkWorkloadCollisions(cfg: NameCheckInput, sink: IssueSink): void {
    const seen = new Map<string, NamespaceUse>();
    for (const use of listWorkloadNamespaces(cfg)) {
        const first = seen.get(use.namespace);
        if (first === undefined) {
            seen.set(use.namespace, use);
            continue;
        }
        sink.addIssue({
            code: "custom",
            path: use.path,
            input: cfg.charts[use.path[1] as number].namespace,
            message:
                `makes ${use.namespace} ${use.what}, which is already ${first.what}; ` +
                "allowed: a namespace per chart and stage (dev adds -dev to the prod namespace)",
        });
    }
    for (const use of listWorkloadNamespaces(cfg)) {
        if ((RESERVED_NAMESPACES as readonly string[]).includes(use.namespace)) {
            sink.addIssue({
                code: "custom",
                path: use.path,
                input: cfg.charts[use.path[1] as number].namespace,
                message: `makes ${use.what} ${use.namespace}, a namespace Kubernetes owns; allowed: a namespace of the chart's own`,
            });
        }
    }
}

function checkProjectNamespace(cfg: NameCheckInput, sink: IssueSink): void {
    const project = cfg.pipeline.project;
    const clashes = [...listWorkloadNamespaces(cfg), ...listPlatformNamespaces(cfg)].filter(
        (use) => use.namespace === project,
    );
    const reserved = (RESERVED_NAMESPACES as readonly string[]).includes(project);
    if (clashes.length === 0 && !reserved) return;
    const what = reserved ? "a namespace Kubernetes owns" : clashes.map((c) => c.what).join(" and ");
    sink.addIssue({
        code: "custom",
        path: ["pipeline", "project"],
        input: project,
        message:
            `is also ${what}; the Kargo project's namespace (named like the project) must hold nothing else: ` +
            "the stack creates and deletes it, and Kargo gives project admins every Secret in it; " +
            `allowed: a namespace of its own, e.g. ${project}-release`,
    });
}

export function checkNamespaces(cfg: NameCheckInput, sink: IssueSink): void {
    checkWorkloadCollisions(cfg, sink);
    checkProjectNamespace(cfg, sink);
}
