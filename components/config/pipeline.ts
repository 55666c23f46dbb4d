/**
 * Config sections that shape the promotion pipeline: `pipeline`, `charts`, `gitops`, `argocd`, `verification`.
 * ADR 009's open questions are keys here, each defaulting to the ADR's leaning.
 */
import { z } from "zod";
import { parseOciChartUrl } from "../core/ociChart";
import {
    containerResources,
    dnsLabel,
    duration,
    exactSemver,
    hostname,
    httpsGitUrl,
    ociChartUrl,
    onePasswordItemPath,
    resources,
} from "./common";

export const pipelineSection = z
    .strictObject({
        /** full: dev then prod (the destination). prod-only: Kargo owns prod's targetRevision, no dev stage. */
        mode: z.enum(["full", "prod-only"]).default("full"),
        /** Kargo project (and its namespace). */
        project: dnsLabel.default("monolith"),
        /** Open question 2: one Warehouse per chart (independent Freight timelines) or one shared Warehouse. */
        warehouseLayout: z.enum(["per-chart", "shared"]).default("per-chart"),
        /** Open question 3: which chart the dev stage runs; `monolith` means the full estate. */
        devScope: z.enum(["monolith-public", "monolith"]).default("monolith-public"),
        /** Open question 4: auto-promote into prod after green dev. Default off: manual after green. */
        prodAutoPromotion: z.boolean().default(false),
        /** Freight must have been verified in dev for this long before prod may take it. */
        prodSoakTime: duration.optional(),
        /** Open question 1: Chart.yaml version committed on main (chart-yaml) or only emitted as the OCI tag. */
        versionSource: z.enum(["chart-yaml", "oci-tag"]).default("chart-yaml"),
        /** Warehouse poll interval; Kargo raises anything below its 5m floor, the webhook makes it moot. */
        warehouseInterval: duration.default("5m0s"),
    })
    .prefault({});

export const chartSchema = z
    .strictObject({
        /** Chart name; also names its Warehouse (per-chart layout) and its deploy files. */
        name: dnsLabel,
        /** oci://<registry>/<path>/<chart>; the Warehouse, chartFrom() and argocd-update all use this exact string. */
        repoURL: ociChartUrl,
        /** Masterminds semver constraint for discovery; never empty (empty means "always latest"). */
        semverConstraint: z.string().trim().min(1, "expected a non-empty semver constraint such as ^1.0.0"),
        /** How many matching versions the Warehouse keeps as candidate Freight (Kargo allows 1-100). */
        discoveryLimit: z.number().int().min(1).max(100).default(20),
        /** Exact version the stack pins on the Applications it creates; Kargo moves it afterwards. */
        initialVersion: exactSemver,
        /** Namespace the chart deploys into in prod; dev uses `<namespace>-dev`. */
        namespace: dnsLabel,
    })
    .superRefine((chart, ctx) => {
        // Argo CD's Helm source and argocd-update address the chart by name inside <registry>/<path>, so the
        // URL's last segment must be the chart's name (a malformed URL already has its own issue).
        const ref = parseOciChartUrl(chart.repoURL);
        if (ref && ref.chart !== chart.name) {
            ctx.addIssue({
                code: "custom",
                input: chart.repoURL,
                path: ["repoURL"],
                message: `ends in chart "${ref.chart}", not in the chart's name "${chart.name}"; expected oci://<registry>/<path>/${chart.name} (Argo CD and argocd-update address the chart by name)`,
            });
        }
    });
export type ChartConfig = z.infer<typeof chartSchema>;

export const chartsSection = z
    .array(chartSchema)
    .min(1, "expected at least one chart")
    .default([
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
        /** The GitOps repository holding the deploy files; Kargo's only write target. */
        repoURL: httpsGitUrl.default("https://github.com/acme/platform.git"),
        branch: z.string().min(1).default("main"),
        /** Directory of the deploy files: <deployDir>/<stage>/<chart>.yaml. Promotions write nowhere else. */
        deployDir: z
            .string()
            .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, "expected a relative directory such as deploy")
            .default("deploy"),
        /** Commit author Kargo uses for promotion commits. */
        authorName: z.string().min(1).default("Kargo"),
        authorEmail: z.string().email().default("kargo@users.noreply.github.com"),
    })
    .prefault({});

export const argocdSection = z
    .strictObject({
        namespace: dnsLabel.default("argocd"),
        /** Argo CD AppProject of the Applications this stack declares. */
        project: dnsLabel.default("default"),
        destinationServer: z.string().url().default("https://kubernetes.default.svc"),
    })
    .prefault({});

export const verificationSection = z
    .strictObject({
        /** Hostnames the dev stage serves; the first is what the smoke check calls. */
        devHostnames: z.array(hostname).min(1).default(["dev.example.com"]),
        smoke: z
            .strictObject({
                healthPath: z.string().startsWith("/").default("/healthz"),
                versionPath: z.string().startsWith("/").default("/version"),
                /** Secret (in the project namespace) with the Access service token: keys client-id, client-secret. */
                accessSecretName: dnsLabel.default("dev-access-service-token"),
                count: z.number().int().min(1).max(60).default(5),
                interval: duration.default("10s"),
                failureLimit: z.number().int().min(0).default(1),
            })
            .prefault({}),
        visualRegression: z
            .strictObject({
                enabled: z.boolean().default(true),
                image: z
                    .string()
                    .regex(
                        /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$/,
                        "expected an image pinned by tag or digest, e.g. ghcr.io/acme/visual-regression:1.4.0",
                    )
                    .default("ghcr.io/acme/visual-regression:1.4.0"),
                command: z.array(z.string().min(1)).min(1).default(["npx", "playwright", "test"]),
                args: z.array(z.string()).default(["--project=public"]),
                /** Seconds before the Job is killed and the check fails. */
                activeDeadlineSeconds: z.number().int().min(60).max(7200).default(900),
                resources: containerResources.default(resources("250m", "512Mi", "1", "1Gi")),
            })
            .prefault({}),
    })
    .prefault({});

export const webhookSection = z
    .strictObject({
        /** 1Password item whose field `secret` is the GitHub webhook HMAC secret. */
        githubSecretItemPath: onePasswordItemPath.default("vaults/platform/items/kargo-github-webhook"),
    })
    .prefault({});
