/**
 * A hand-built stack in the shape issue 9 asks the builders for (Helm-type OCI Application sources, the
 * per-chart origin condition on the task's own steps, deploy files as github RepositoryFiles), so the
 * engine's failure cases can each break exactly one thing of an otherwise clean rehearsal.
 */
import { stringify } from "yaml";
import type { KubeObject, ResourceRecord } from "../../../offline/rehearsal/types";
import { STAGE_LABEL } from "../../../components/core/objects";

/** A step's config as the fixture writes it; tests rewrite single fields to break one thing. */
export interface StepConfig {
    [key: string]: unknown;
    path?: string;
    message?: string;
    apps?: { name: string; namespace: string; sources: Record<string, unknown>[] }[];
}

export interface FixtureStep {
    uses?: string;
    as?: string;
    if?: string;
    task?: { name: string };
    vars?: { name: string; value?: string }[];
    config?: StepConfig;
}

/**
 * A fixture object: plain mutable data, so a test can break exactly one field. A type literal (not an
 * interface) so that it is also a resource's `inputs`: the same object, as the stack hands it to Pulumi.
 */
export type FixtureObject = {
    apiVersion: string;
    kind: string;
    metadata: {
        name: string;
        namespace?: string;
        annotations?: Record<string, string>;
        labels?: Record<string, string>;
    };
    spec?: {
        [key: string]: unknown;
        steps?: FixtureStep[];
        promotionTemplate?: { spec: { steps: FixtureStep[] } };
        source?: Record<string, unknown>;
    };
};

export interface FixtureResource {
    type: string;
    name: string;
    inputs: { [key: string]: unknown; file?: string; content?: string };
}

export const PROJECT = "shop";
export const GITOPS = "https://github.com/acme/platform.git";
export const CHARTS = [
    { name: "monolith", version: "0.182.3", constraint: ">=0.182.0 <1.0.0" },
    { name: "monolith-public", version: "0.41.0", constraint: ">=0.41.0 <1.0.0" },
] as const;
export const ociURL = (chart: string) => `oci://ghcr.io/acme/charts/${chart}`;

export interface FixtureOptions {
    readonly layout: "per-chart" | "shared";
    /** Charts the dev Stage deploys (prod deploys all). */
    readonly devCharts: readonly string[];
}

export interface Fixture {
    objects: FixtureObject[];
    resources: FixtureResource[];
}

const kargo = (kind: string, name: string, spec: FixtureObject["spec"]): FixtureObject => ({
    apiVersion: "kargo.akuity.io/v1alpha1",
    kind,
    metadata: { name, namespace: PROJECT },
    spec,
});

const appName = (chart: string, stage: string) => (stage === "prod" ? chart : `${chart}-${stage}`);

function application(chart: string, stage: string, version: string): FixtureObject {
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: {
            name: appName(chart, stage),
            namespace: "argocd",
            annotations: { "kargo.akuity.io/authorized-stage": `${PROJECT}:${stage}` },
            labels: { [STAGE_LABEL]: stage },
        },
        spec: {
            project: "default",
            destination: {
                server: "https://kubernetes.default.svc",
                namespace: stage === "prod" ? chart : `${chart}-dev`,
            },
            source: { repoURL: "ghcr.io/acme/charts", chart, targetRevision: version },
        },
    };
}

function promotionTask(chart: string, layout: FixtureOptions["layout"]): FixtureObject {
    const version = '${{ chartFrom("' + ociURL(chart) + '").Version }}';
    const stage = "${{ ctx.stage }}";
    // With one Warehouse per chart, each step runs only for its own chart's Freight; && success() keeps the
    // default skip-after-failure that an explicit `if` replaces (pkg/promotion/evaluator.go ShouldSkip).
    const guard =
        layout === "per-chart"
            ? { if: '${{ ctx.targetFreight.origin.name == "' + chart + '" && success() }}' }
            : {};
    const path = `./repo-${chart}`;
    return kargo("PromotionTask", `promote-${chart}`, {
        vars: [{ name: "app" }],
        steps: [
            {
                uses: "git-clone",
                ...guard,
                config: {
                    repoURL: GITOPS,
                    author: { name: "Kargo", email: "kargo@example.com" },
                    checkout: [{ branch: "main", path }],
                },
            },
            {
                uses: "yaml-update",
                as: "update",
                ...guard,
                config: {
                    path: `${path}/deploy/${stage}/${chart}.yaml`,
                    updates: [{ key: "spec.source.targetRevision", value: version }],
                },
            },
            {
                uses: "git-commit",
                as: "commit",
                ...guard,
                config: { path, message: `promote ${chart} to ${version} in ${stage}` },
            },
            { uses: "git-push", ...guard, config: { path, targetBranch: "main" } },
            {
                uses: "argocd-update",
                ...guard,
                config: {
                    apps: [
                        {
                            name: "${{ vars.app }}",
                            namespace: "argocd",
                            sources: [
                                {
                                    repoURL: "ghcr.io/acme/charts",
                                    chart,
                                    desiredRevision: version,
                                    updateTargetRevision: true,
                                },
                            ],
                        },
                    ],
                },
            },
        ],
    });
}

function stage(name: string, charts: readonly string[], requests: unknown[]): FixtureObject {
    return kargo("Stage", name, {
        requestedFreight: requests,
        promotionTemplate: {
            spec: {
                steps: charts.map((c) => ({
                    as: `promote_${c.replace(/-/g, "_")}`,
                    task: { name: `promote-${c}` },
                    vars: [{ name: "app", value: appName(c, name) }],
                })),
            },
        },
    });
}

export function buildFixture(opts: FixtureOptions): Fixture {
    const perChart = opts.layout === "per-chart";
    const warehouses = perChart
        ? CHARTS.map((c) =>
              kargo("Warehouse", c.name, {
                  subscriptions: [{ chart: { repoURL: ociURL(c.name), semverConstraint: c.constraint } }],
              }),
          )
        : [
              kargo("Warehouse", PROJECT, {
                  subscriptions: CHARTS.map((c) => ({
                      chart: { repoURL: ociURL(c.name), semverConstraint: c.constraint },
                  })),
              }),
          ];
    const origins = (charts: readonly string[]) =>
        (perChart ? charts : [PROJECT]).map((name) => ({ kind: "Warehouse", name }));
    const all = CHARTS.map((c) => c.name);
    const stages = [
        stage(
            "dev",
            opts.devCharts,
            origins(opts.devCharts).map((origin) => ({ origin, sources: { direct: true } })),
        ),
        stage(
            "prod",
            all,
            origins(all).map((origin) => ({ origin, sources: { stages: ["dev"] } })),
        ),
    ];
    const apps = [
        ...opts.devCharts.map((c) => application(c, "dev", CHARTS.find((x) => x.name === c)?.version ?? "")),
        ...CHARTS.map((c) => application(c.name, "prod", c.version)),
    ];
    const objects: FixtureObject[] = [
        { apiVersion: "kargo.akuity.io/v1alpha1", kind: "Project", metadata: { name: PROJECT } },
        ...warehouses,
        ...CHARTS.map((c) => promotionTask(c.name, opts.layout)),
        ...stages,
        ...apps,
    ];
    const resources: FixtureResource[] = [
        ...objects.map((o) => ({
            type: `kubernetes:${o.apiVersion}:${o.kind}`,
            name: o.metadata.name,
            inputs: o,
        })),
        ...apps.map((a) => ({
            type: "github:index/repositoryFile:RepositoryFile",
            name: `deploy-${a.metadata.name}`,
            inputs: {
                repository: "platform",
                branch: "main",
                file: `deploy/${a.metadata.labels?.[STAGE_LABEL]}/${String(a.spec?.source?.chart)}.yaml`,
                content: `# Audit record of what the stage runs; Kargo owns targetRevision.\n${stringify(a)}`,
            },
        })),
    ];
    return { objects, resources };
}

export const asInput = (f: Fixture) => ({
    objects: f.objects as KubeObject[],
    resources: f.resources as ResourceRecord[],
});

export function find(f: Fixture, kind: string, name: string): FixtureObject {
    const o = f.objects.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`fixture has no ${kind} ${name}`);
    return o;
}

/** The steps of a PromotionTask (`spec.steps`) or a Stage (`spec.promotionTemplate.spec.steps`). */
export function stepsOf(f: Fixture, kind: "PromotionTask" | "Stage", name: string): FixtureStep[] {
    const spec = find(f, kind, name).spec;
    const steps = kind === "Stage" ? spec?.promotionTemplate?.spec.steps : spec?.steps;
    if (!steps) throw new Error(`fixture ${kind} ${name} has no steps`);
    return steps;
}

/** The first app of an argocd-update step's config. */
export function argoApp(step: FixtureStep): NonNullable<StepConfig["apps"]>[number] {
    const app = step.config?.apps?.[0];
    if (!app) throw new Error(`step ${step.uses} updates no app`);
    return app;
}
