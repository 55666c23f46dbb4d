/**
 * `pipeline.md`: the promotion path as declared (read back from the Kargo objects the program registered,
 * not from config), so the picture can never drift from what the stack would apply. Every edge says how
 * Freight really gets there: a Warehouse a stage requests directly, Freight verified in an upstream stage
 * that itself requests that Warehouse, or, when no upstream stage ever receives it, a person's approval
 * (`kargo approve`) only.
 */
import { findUndeployedFreightCharts, type UndeployedCharts } from "../behaviour/freightScope";

interface Obj {
    readonly kind: string;
    readonly metadata: { readonly name: string };
    readonly spec?: object;
}

/** One field of an object's spec, read as the caller then asserts it. */
const specField = (o: Obj | undefined, key: string): unknown =>
    (o?.spec as Record<string, unknown> | undefined)?.[key];

export interface OriginView {
    readonly warehouse: string;
    readonly direct: boolean;
    readonly stages: string[];
    readonly soak?: string;
}

export interface StageView {
    readonly name: string;
    readonly origins: OriginView[];
    /** Tasks the promotion calls, with the Application passed and the Warehouse its steps are limited to. */
    readonly tasks: { task: string; app: string; onlyFor?: string }[];
    readonly templates: string[];
    readonly autoPromote: boolean;
}

/** How Freight of one Warehouse reaches a stage from one upstream stage. */
export type UpstreamRoute = "verified" | "approval-only";

/**
 * `verified` when the upstream stage requests the Warehouse itself (so its Freight can be verified there);
 * `approval-only` when it never receives it: the Freight can then only be approved into this stage by hand.
 */
export function selectUpstreamRoute(
    stages: readonly StageView[],
    upstream: string,
    warehouse: string,
): UpstreamRoute {
    const from = stages.find((s) => s.name === upstream);
    return from?.origins.some((o) => o.warehouse === warehouse) ? "verified" : "approval-only";
}

/** The Warehouse a task's steps are limited to by their `if` (per-chart layout), if any. */
function findTaskOrigin(task: Obj | undefined): string | undefined {
    const steps = (specField(task, "steps") as { if?: string }[] | undefined) ?? [];
    const origins = steps.map((st) => /ctx\.targetFreight\.origin\.name == "([^"]+)"/.exec(st.if ?? "")?.[1]);
    return origins.length > 0 && origins.every((o) => o !== undefined && o === origins[0])
        ? origins[0]
        : undefined;
}

export function viewStages(objs: readonly Obj[]): StageView[] {
    const tasks = new Map(objs.filter((o) => o.kind === "PromotionTask").map((o) => [o.metadata.name, o]));
    const policies = objs
        .filter((o) => o.kind === "ProjectConfig")
        .flatMap(
            (o) =>
                (specField(o, "promotionPolicies") as {
                    stageSelector?: { name?: string };
                    autoPromotionEnabled?: boolean;
                }[]) ?? [],
        );
    return objs
        .filter((o) => o.kind === "Stage")
        .map((o) => {
            const spec = o.spec as {
                requestedFreight: {
                    origin: { name: string };
                    sources: { direct?: boolean; stages?: string[]; requiredSoakTime?: string };
                }[];
                promotionTemplate?: {
                    spec?: {
                        steps?: { task?: { name: string }; vars?: { name: string; value: string }[] }[];
                    };
                };
                verification?: { analysisTemplates?: { name: string }[] };
            };
            return {
                name: o.metadata.name,
                origins: spec.requestedFreight.map((f) => ({
                    warehouse: f.origin.name,
                    direct: !!f.sources.direct,
                    stages: f.sources.stages ?? [],
                    soak: f.sources.requiredSoakTime,
                })),
                tasks: (spec.promotionTemplate?.spec?.steps ?? []).map((s) => {
                    const onlyFor = findTaskOrigin(s.task ? tasks.get(s.task.name) : undefined);
                    return {
                        task: s.task?.name ?? "(inline step)",
                        app: s.vars?.find((v) => v.name === "app")?.value ?? "",
                        ...(onlyFor ? { onlyFor } : {}),
                    };
                }),
                templates: (spec.verification?.analysisTemplates ?? []).map((t) => t.name),
                autoPromote: !!policies.find((p) => p.stageSelector?.name === o.metadata.name)
                    ?.autoPromotionEnabled,
            };
        });
}

/** The charts of `warehouse` that `up` verifies without deploying, as Freight `stage` takes from it. */
function findUndeployed(
    partial: readonly UndeployedCharts[],
    stage: string,
    up: string,
    warehouse: string,
): readonly string[] {
    return (
        partial.find((p) => p.downstream === stage && p.upstream === up && p.warehouse === warehouse)
            ?.charts ?? []
    );
}

/** One requested Warehouse in the table: directly, verified upstream, or by manual approval only. */
function describeOrigin(
    stages: readonly StageView[],
    stage: string,
    o: OriginView,
    partial: readonly UndeployedCharts[],
): string {
    if (o.direct) return `Warehouse \`${o.warehouse}\``;
    const soak = o.soak ? ` (soak ${o.soak})` : "";
    return o.stages
        .map((up) => {
            if (selectUpstreamRoute(stages, up, o.warehouse) === "approval-only") {
                return `\`${o.warehouse}\` only by manual approval (\`kargo approve --stage\`): \`${up}\` never receives it, so it is never verified`;
            }
            const verifies = (stages.find((x) => x.name === up)?.templates.length ?? 0) > 0;
            const undeployed = findUndeployed(partial, stage, up, o.warehouse);
            const warning =
                undeployed.length > 0
                    ? ` — **but \`${up}\` never deploys ${undeployed.map((c) => `\`${c}\``).join(", ")}**: Kargo marks the whole Freight verified, so it arrives here unverified yet marked verified`
                    : "";
            return `\`${o.warehouse}\` ${verifies ? "verified" : "promoted (not verified)"} in \`${up}\`${soak}${warning}`;
        })
        .join("; ");
}

/** Mermaid entity codes, so a constraint such as "<1.0.0" is not read as an HTML tag. */
const escapeLabel = (text: string) => text.replace(/</g, "#lt;").replace(/>/g, "#gt;");

const id = (prefix: string, name: string) => `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;

/** A file the stack commits to git: a deploy file, holding one chart's Application. */
export interface DeployFileView {
    readonly path: string;
    readonly object: Obj;
}

/**
 * Without any Stage (pipeline mode bump-only) nothing promotes: chart-release's release commit pins each
 * deploy file, and its app-of-apps syncs it. The picture says so, from the deploy files the stack commits.
 */
function renderWithoutKargo(stack: string, files: readonly DeployFileView[]): string {
    const lines = [
        `# Promotion pipeline: stack \`${stack}\``,
        "",
        "Generated by `npm run synth` from the objects the stack declares: no Kargo Stage (pipeline mode " +
            "`bump-only`), so chart-release's release commit writes each deploy file's `targetRevision` and Argo CD " +
            "syncs it.",
        "",
        "```mermaid",
        "graph LR",
        "    MERGE[merge to main] --> CI[main CI: chart-release<br/>next semver, publish once<br/>writes targetRevision]",
    ];
    for (const f of files) {
        const ns =
            (specField(f.object, "destination") as { namespace?: string } | undefined)?.namespace ?? "";
        lines.push(`    CI --> ${id("F", f.path)}["${f.path}"]`);
        lines.push(
            `    ${id("F", f.path)} -->|Argo CD sync| ${id("APP", f.path)}[Application ${f.object.metadata.name}<br/>${ns}]`,
        );
    }
    lines.push(
        "```",
        "",
        "| Deploy file | Application | targetRevision written by | Verification |",
        "|---|---|---|---|",
        ...files.map(
            (f) =>
                `| \`${f.path}\` | \`${f.object.metadata.name}\` | chart-release (release commit on main) | Argo CD health only |`,
        ),
    );
    return lines.join("\n") + "\n";
}

export function renderPipelineMarkdown(
    stack: string,
    objs: readonly Obj[],
    deployFiles: readonly DeployFileView[] = [],
): string {
    const warehouses = objs.filter((o) => o.kind === "Warehouse");
    const stages = viewStages(objs);
    const partial = findUndeployedFreightCharts(objs);
    if (stages.length === 0) return renderWithoutKargo(stack, deployFiles);
    const lines = [
        `# Promotion pipeline: stack \`${stack}\``,
        "",
        "Generated by `npm run synth` from the Kargo objects the stack declares.",
        "",
        "```mermaid",
        "graph LR",
        "    MERGE[merge to main] --> CI[main CI: chart-release<br/>next semver, publish once]",
    ];
    for (const w of warehouses) {
        const subs = (
            (specField(w, "subscriptions") as { chart?: { repoURL: string; semverConstraint: string } }[]) ??
            []
        )
            .map((s) => escapeLabel(`${s.chart?.repoURL} ${s.chart?.semverConstraint}`))
            .join("<br/>");
        lines.push(`    CI --> ${id("OCI", w.metadata.name)}[("${subs}")]`);
        lines.push(
            `    ${id("OCI", w.metadata.name)} --> ${id("WH", w.metadata.name)}[Warehouse ${w.metadata.name}]`,
        );
    }
    for (const s of stages) {
        const mode = s.autoPromote ? "auto-promotion" : "manual promotion";
        lines.push(
            `    ${id("ST", s.name)}["Stage ${s.name}<br/>${mode}<br/>${s.tasks
                .map((t) => t.app)
                .filter(Boolean)
                .join(", ")}"]`,
        );
        for (const o of s.origins) {
            if (o.direct) lines.push(`    ${id("WH", o.warehouse)} -->|Freight| ${id("ST", s.name)}`);
            for (const up of o.stages) {
                const from = stages.find((x) => x.name === up);
                if (selectUpstreamRoute(stages, up, o.warehouse) === "approval-only") {
                    // The upstream stage never receives this Warehouse's Freight: nothing verifies it.
                    const label = `${o.warehouse}: never in ${up}, unverified; kargo approve only`;
                    lines.push(`    ${id("WH", o.warehouse)} -.->|${label}| ${id("ST", s.name)}`);
                    continue;
                }
                const src = from && from.templates.length > 0 ? id("V", up) : id("ST", up);
                const verified =
                    from && from.templates.length > 0 ? "verified" : `through ${up}, not verified`;
                const undeployed = findUndeployed(partial, s.name, up, o.warehouse);
                const never =
                    undeployed.length > 0
                        ? `; ${undeployed.map((c) => c.split("/").pop()).join(", ")} never deployed in ${up}`
                        : "";
                const label = `${o.warehouse}: ${verified}${o.soak ? `, soaked ${o.soak}` : ""}${never}`;
                lines.push(`    ${src} -->|${label}| ${id("ST", s.name)}`);
            }
        }
        if (s.templates.length > 0) {
            lines.push(
                `    ${id("ST", s.name)} --> ${id("V", s.name)}{{"AnalysisRun<br/>${s.templates.join(" + ")}"}}`,
            );
            lines.push(`    ${id("V", s.name)} -->|red| ${id("HOLD", s.name)}[hold at ${s.name}]`);
        }
    }
    lines.push(
        "```",
        "",
        "| Stage | Takes Freight from | Promotion | Writes and syncs | Verification |",
        "|---|---|---|---|---|",
    );
    for (const s of stages) {
        const from = s.origins.map((o) => describeOrigin(stages, s.name, o, partial)).join("; ");
        const writes = s.tasks
            .map((t) => {
                const only = t.onlyFor ? ` (only for Freight from \`${t.onlyFor}\`)` : "";
                return t.app ? `\`${t.task}\`${only} → Application \`${t.app}\`` : `\`${t.task}\`${only}`;
            })
            .join("<br/>");
        const verify =
            s.templates.length > 0 ? s.templates.map((t) => `\`${t}\``).join(", ") : "Argo CD health only";
        lines.push(
            `| \`${s.name}\` | ${from} | ${s.autoPromote ? "automatic" : "manual (`kargo promote`)"} | ${writes} | ${verify} |`,
        );
    }
    const tasks = objs.filter((o) => o.kind === "PromotionTask");
    if (tasks.length > 0) {
        lines.push("", "Promotion tasks (each written once, used by every stage that lists it):", "");
        for (const task of tasks) {
            // A step's own timeout is part of what it does: Kargo fails the Promotion when it elapses.
            const steps = (
                (specField(task, "steps") as { uses?: string; retry?: { timeout?: string } }[]) ?? []
            ).map(
                (st) => `\`${st.uses}\`${st.retry?.timeout ? ` (times out after ${st.retry.timeout})` : ""}`,
            );
            lines.push(`- \`${task.metadata.name}\`: ${steps.join(" → ")}`);
        }
    }
    return lines.join("\n") + "\n";
}
