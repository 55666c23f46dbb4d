/**
 * Config sections that shape the promotion pipeline: `pipeline`, `charts`, `gitops`, `argocd`, `verification`.
 * ADR 009's open questions are keys here, each defaulting to the ADR's leaning.
 */
import { z } from "zod";
import {
    containerResources,
    dnsLabel,
    duration,
    exactSemver,
    gitBranch,
    hostname,
    httpsGitUrl,
    ociChartUrl,
    onePasswordItemPath,
    pinnedImage,
    repoDir,
    resources,
    semverConstraint,
} from "./common";

/**
 * ADR 009's adoption increments, one row each: what the stack runs in each mode and who writes the deploy
 * files' `targetRevision`. Every mode-dependent decision reads this table (through the functions below),
 * so a mode is defined in one place. chart-release reads the same key from the stack file
 * (chart-release/src/deploy.ts STACK_MODES) and writes the deploy files exactly when the writer is it.
 */
export const PIPELINE_MODES = {
    /** The first increment and the fallback: versions on main, chart-release pins prod; no Kargo at all. */
    "bump-only": { kargo: false, devStage: false, targetRevisionWriter: "chart-release" },
    /** Kargo promotes into prod and owns the targetRevision write; no dev stage yet. */
    "prod-only": { kargo: true, devStage: false, targetRevisionWriter: "kargo" },
    /** The destination: dev (verified) then prod, Kargo writes every stage's targetRevision. */
    full: { kargo: true, devStage: true, targetRevisionWriter: "kargo" },
} as const;
export type PipelineMode = keyof typeof PIPELINE_MODES;
export type TargetRevisionWriter = (typeof PIPELINE_MODES)[PipelineMode]["targetRevisionWriter"];
const MODE_NAMES = Object.keys(PIPELINE_MODES) as [PipelineMode, ...PipelineMode[]];

interface ModeInput {
    readonly pipeline: { readonly mode: PipelineMode };
}

/** Whether the mode installs Kargo and declares its objects (project, Warehouses, Stages, tasks). */
export function shouldInstallKargo(cfg: ModeInput): boolean {
    return PIPELINE_MODES[cfg.pipeline.mode].kargo;
}

/** Whether the mode runs the dev stage (and so its data plane and its Access application). */
export function shouldRunDevStage(cfg: ModeInput): boolean {
    return PIPELINE_MODES[cfg.pipeline.mode].devStage;
}

/** Who writes every deploy file's `spec.source.targetRevision` in this mode: exactly one writer. */
export function selectTargetRevisionWriter(cfg: ModeInput): TargetRevisionWriter {
    return PIPELINE_MODES[cfg.pipeline.mode].targetRevisionWriter;
}

export const pipelineSection = z
    .strictObject({
        mode: z
            .enum(MODE_NAMES)
            .prefault("full")
            .describe(
                "ADR 009's adoption increment (PIPELINE_MODES): bump-only (chart-release pins prod, no Kargo), prod-only (Kargo promotes into prod), full (dev, verified, then prod: the destination).",
            ),
        project: dnsLabel
            .prefault("monolith-release")
            .describe(
                "Kargo project, and so its namespace: never a workload namespace, nor one Kargo (install, kargo-shared-resources, kargo-system-resources, kargo-cluster-secrets), Argo CD or Kubernetes owns (see checks/namespaces.ts).",
            ),
        warehouseLayout: z
            .enum(["per-chart", "shared"])
            .prefault("per-chart")
            .describe(
                "Open question 2: one Warehouse per chart (independent Freight timelines) or one shared Warehouse.",
            ),
        devCharts: z
            .union(
                [
                    z.literal("all"),
                    z.array(z.string().min(1)).min(1, "expected all or at least one chart name"),
                ],
                {
                    error: (issue) =>
                        issue.code === "invalid_union"
                            ? "expected all, or a list of declared chart names such as [monolith-public]"
                            : undefined,
                },
            )
            .prefault(["monolith-public"])
            .describe(
                "Open question 3: the charts the dev stage deploys and verifies, by name (each a declared chart), or `all`. The dev data plane's clone exists only when this includes `devData.prod.chart`.",
            ),
        prodAutoPromotion: z
            .boolean()
            .prefault(false)
            .describe(
                "Open question 4: auto-promote into prod after green dev. Default off: manual after green.",
            ),
        prodSoakTime: duration
            .optional()
            .describe("Freight must have been verified in dev for this long before prod may take it."),
        versionSource: z
            .enum(["chart-yaml", "oci-tag"])
            .prefault("chart-yaml")
            .describe(
                "Open question 1: Chart.yaml version committed on main (chart-yaml) or only emitted as the OCI tag.",
            ),
        warehouseInterval: duration
            .prefault("5m0s")
            .describe(
                "Warehouse poll interval; Kargo raises anything below its 5m floor, the webhook makes it moot.",
            ),
    })
    .prefault({})
    .describe("The promotion pipeline's shape: the adoption increment and ADR 009's open questions 1 to 4.");

export const chartSchema = z
    .strictObject({
        name: dnsLabel.describe(
            "Chart name; also names its Warehouse (per-chart layout) and its deploy files.",
        ),
        repoURL: ociChartUrl.describe(
            "`oci://<registry>/<path>/<chart>`, ending in `/<name>`. The Warehouse and `chartFrom()` use this exact string; the deploy files' Applications and `argocd-update` its Helm form (`repoURL: <registry>/<path>`, `chart: <chart>`).",
        ),
        repoNameDiffers: z
            .boolean()
            .prefault(false)
            .describe(
                "chart-release publishes a chart under its own name, so repoURL ends in `/<name>`. Set this only for a chart published under another name on purpose.",
            ),
        semverConstraint: semverConstraint.describe(
            'Masterminds semver constraint for discovery: it must parse and admit some, but not every, version (`>=0` or `*` would mean "always latest").',
        ),
        discoveryLimit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .prefault(20)
            .describe(
                "How many matching versions the Warehouse keeps as candidate Freight (Kargo allows 1-100).",
            ),
        initialVersion: exactSemver.describe(
            "Exact version the deploy files are bootstrapped with; the targetRevision writer moves it afterwards (a later change here does not touch the files).",
        ),
        namespace: dnsLabel.describe("Namespace the chart deploys into in prod; dev uses `<namespace>-dev`."),
    })
    .superRefine((chart, ctx) => {
        // A malformed URL already has its own issue; only a well-formed one is compared with the name.
        if (!ociChartUrl.safeParse(chart.repoURL).success) return;
        const last = chart.repoURL.split("/").pop();
        if (last === chart.name || chart.repoNameDiffers) return;
        ctx.addIssue({
            code: "custom",
            path: ["repoURL"],
            input: chart.repoURL,
            message:
                `ends in /${last ?? ""}, not in the chart's name /${chart.name}: the Warehouse would watch a repository ` +
                "chart-release never publishes this chart to; allowed: oci://<registry>/<path>/" +
                `${chart.name}, or repoNameDiffers: true when the chart is published under another name`,
        });
    });
export type ChartConfig = z.infer<typeof chartSchema>;

export const chartsSection = z
    .array(chartSchema)
    .min(1, "expected at least one chart")
    .describe("The charts Kargo promotes, each with its own Warehouse (per-chart layout) and deploy files.")
    .prefault([
        {
            name: "monolith",
            repoURL: "oci://ghcr.io/acme/charts/monolith",
            semverConstraint: "<1.0.0",
            discoveryLimit: 20,
            initialVersion: "0.182.3",
            namespace: "monolith",
        },
        {
            name: "monolith-public",
            repoURL: "oci://ghcr.io/acme/charts/monolith-public",
            semverConstraint: "<1.0.0",
            discoveryLimit: 20,
            initialVersion: "0.41.0",
            namespace: "monolith-public",
        },
    ]);

export const gitopsSection = z
    .strictObject({
        repoURL: httpsGitUrl
            .prefault("https://github.com/acme/platform.git")
            .describe("The GitOps repository holding the deploy files; Kargo's only write target."),
        branch: gitBranch.prefault("main").describe("Branch Kargo commits to; a name git accepts."),
        deployDir: repoDir
            .prefault("deploy")
            .describe(
                "Directory of the deploy files: <deployDir>/<stage>/<chart>.yaml. Promotions write nowhere else.",
            ),
        authorName: z
            .string()
            .min(1)
            .prefault("Kargo")
            .describe("Commit author Kargo uses for promotion commits."),
        authorEmail: z
            .string()
            .email()
            .prefault("kargo@users.noreply.github.com")
            .describe("Commit author e-mail Kargo uses for promotion commits."),
    })
    .prefault({})
    .describe(
        "The GitOps repository: the deploy files (each a chart's Application) and the one place promotions write.",
    );

export const argocdSection = z
    .strictObject({
        namespace: dnsLabel
            .prefault("argocd")
            .describe(
                "Argo CD's namespace: the Applications, app-of-apps and repository Secrets live there.",
            ),
        project: dnsLabel
            .prefault("default")
            .describe("Argo CD AppProject of the Applications this stack declares or bootstraps."),
        destinationServer: z
            .string()
            .url()
            .prefault("https://kubernetes.default.svc")
            .describe("Cluster the chart Applications deploy to."),
    })
    .prefault({})
    .describe(
        "Where the chart Applications, their app-of-apps and the repository Secrets live (docs/architecture-applications.md).",
    );

/**
 * `failureLimit` must be below `count`. Argo Rollouts v1.9.1 utils/analysis/factory.go ValidateMetric errors
 * every AnalysisRun whose count < failureLimit + consecutiveSuccessLimit (the template sets no
 * consecutiveSuccessLimit, so count < failureLimit); and analysis.go assessMetricFailureInconclusiveOrError
 * fails a metric only when failed > failureLimit, which `count` measurements can never reach when
 * count == failureLimit. The offline model applies the same relation to any template
 * (offline/behaviour/analysis.ts validateMetric, findNeverFailingMetric).
 */
export function checkSmokeLimits(
    smoke: { readonly count: number; readonly failureLimit: number },
    ctx: { addIssue: (issue: z.core.$ZodRawIssue) => void },
): void {
    // A count outside its own bounds already has its issue; the relation is judged on valid counts only.
    if (smoke.count < 1 || smoke.failureLimit < smoke.count) return;
    const why =
        smoke.failureLimit > smoke.count
            ? "Argo Rollouts refuses count < failureLimit (ValidateMetric), so every AnalysisRun errors"
            : "with count == failureLimit no run of count measurements can exceed failureLimit, so the check can never fail";
    ctx.addIssue({
        code: "custom",
        path: ["failureLimit"],
        input: smoke.failureLimit,
        message: `is not below verification.smoke.count (${smoke.count}): ${why}; allowed: 0 to ${smoke.count - 1}`,
    });
}

export const verificationSection = z
    .strictObject({
        devHostnames: z
            .array(hostname)
            .min(1)
            .prefault(["dev.example.com"])
            .describe(
                "Hostnames the dev stage serves; each is the hostname of a dev chart (verification.chartHostnames), whose health and version the smoke check calls.",
            ),
        chartHostnames: z
            .record(z.string().min(1), hostname)
            .prefault({})
            .describe(
                "The dev hostname that serves each dev chart (chart name → one of devHostnames), where the smoke check reads its health and `{version}`. May be left empty when dev runs one chart: it is then served by devHostnames[0].",
            ),
        smoke: z
            .strictObject({
                healthPath: z
                    .string()
                    .startsWith("/")
                    .prefault("/healthz")
                    .describe('JSON endpoint that must answer `{"status":"ok"}`.'),
                versionPath: z
                    .string()
                    .startsWith("/")
                    .prefault("/version")
                    .describe('JSON endpoint that must answer `{"version":"<the promoted version>"}`.'),
                accessSecretName: dnsLabel
                    .prefault("dev-access-service-token")
                    .describe(
                        "Secret (in the project namespace) with the Access service token: keys client-id, client-secret (written by DevAccess).",
                    ),
                count: z
                    .number()
                    .int()
                    .min(1)
                    .max(60)
                    .prefault(5)
                    .describe("Measurements the smoke check takes."),
                interval: duration.prefault("10s").describe("Time between two measurements."),
                failureLimit: z
                    .number()
                    .int()
                    .min(0)
                    .prefault(1)
                    .describe(
                        "Failed measurements tolerated before the check fails; below `count` (see checkSmokeLimits).",
                    ),
            })
            .superRefine(checkSmokeLimits)
            .prefault({})
            .describe(
                "The `smoke` AnalysisTemplate: health and version of the first dev hostname, through Access.",
            ),
        visualRegression: z
            .strictObject({
                enabled: z
                    .boolean()
                    .prefault(true)
                    .describe("Whether dev also verifies with the `visual-regression` AnalysisTemplate."),
                image: pinnedImage("ghcr.io/acme/visual-regression:1.4.0")
                    .prefault("ghcr.io/acme/visual-regression:1.4.0")
                    .describe("The Job's image, pinned by tag or digest."),
                command: z
                    .array(z.string().min(1))
                    .min(1)
                    .prefault(["npx", "playwright", "test"])
                    .describe("The Job's command."),
                args: z.array(z.string()).prefault(["--project=public"]).describe("The Job's arguments."),
                activeDeadlineSeconds: z
                    .number()
                    .int()
                    .min(60)
                    .max(7200)
                    .prefault(900)
                    .describe("Seconds before the Job is killed and the check fails."),
                resources: containerResources
                    .prefault(resources("250m", "512Mi", "1", "1Gi"))
                    .describe("The Job container's requests and limits."),
            })
            .prefault({})
            .describe("The `visual-regression` AnalysisTemplate: a Job run once per verification."),
    })
    .prefault({})
    .describe(
        "Dev's verification: the AnalysisTemplates a Freight must pass in dev before prod may take it.",
    );

/** `none`: the Warehouses poll (every pipeline.warehouseInterval). `github`: a GitHub receiver in the ProjectConfig. */
export const WEBHOOK_RECEIVERS = ["none", "github"] as const;

export const webhookSection = z
    .strictObject({
        receiver: z
            .enum(WEBHOOK_RECEIVERS)
            .prefault("none")
            .describe(
                "Whether the ProjectConfig declares a GitHub webhook receiver (`github`) or the Warehouses poll every pipeline.warehouseInterval (`none`). A receiver needs a host GitHub can reach (kargo.apiHost) and a certificate GitHub trusts (kargo.ingressTls.clusterIssuer); config validation refuses one without them.",
            ),
        githubSecretItemPath: onePasswordItemPath
            .prefault("vaults/platform/items/kargo-github-webhook")
            .describe(
                "With receiver github: 1Password item whose field `secret` is the GitHub webhook HMAC secret.",
            ),
    })
    .prefault({})
    .describe("The GitHub webhook receiver that makes discovery immediate; see docs/kargo-exposure.md.");
