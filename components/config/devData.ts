/**
 * Config section `devData`: the dev stage's data plane (ADR 009 §3, open questions 3 and 5). The clone is
 * provisioned only when `pipeline.devCharts` includes `devData.prod.chart` (./devCharts.ts); every default
 * follows the ADR's leaning: a one-instance clone, refreshed on promotion, sized minimally.
 */
import { z } from "zod";
import { describeSixFieldCronProblem } from "../core/cron";
import {
    cidr,
    containerResources,
    dnsLabel,
    duration,
    exactSemver,
    memoryQuantity,
    pinnedImage,
    resources,
} from "./common";

/** A six-field, seconds-first schedule (robfig/cron, as CloudNativePG reads schedules); see core/cron.ts. */
export const sixFieldCron = z.string().superRefine((value, ctx) => {
    const problem = describeSixFieldCronProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** The production CNPG cluster being cloned: facts about it, read (never managed) by this stack. */
const prodSection = z
    .strictObject({
        chart: dnsLabel
            .prefault("monolith")
            .describe("Chart whose database this is; the clone lives in that chart's dev namespace."),
        clusterName: dnsLabel.prefault("monolith-db").describe("The prod CNPG Cluster's name."),
        namespace: dnsLabel.prefault("monolith").describe("The prod CNPG Cluster's namespace."),
        instances: z
            .number()
            .int()
            .min(
                2,
                "a cold snapshot fences the instance it reads, and with 1 instance that is the primary; prod needs at least 2 (the refresher also refuses each snapshot while no standby is Ready)",
            )
            .prefault(3)
            .describe(
                "Instances of the prod cluster. A cold snapshot fences its target; with one instance that target is the primary and prod goes read-only for the snapshot, so at least two are required. This is a floor only: before each snapshot the refresher reads prod's live Cluster and refuses unless a standby is Ready (CloudNativePG falls back to the primary when none is).",
            ),
        postgresMajor: z
            .number()
            .int()
            .min(13)
            .max(18)
            .prefault(17)
            .describe("The prod cluster's PostgreSQL major version; must match `imageName`'s."),
        imageName: pinnedImage("ghcr.io/cloudnative-pg/postgresql:17.5")
            .prefault("ghcr.io/cloudnative-pg/postgresql:17.5")
            .describe(
                "The prod cluster's exact image; the clone runs the same one (same major, same extensions).",
            ),
    })
    .prefault({})
    .describe(
        "The production CNPG cluster being cloned: facts about it, read (never managed) by this stack.",
    );

const cloneSection = z
    .strictObject({
        name: dnsLabel
            .prefault("monolith-db-dev")
            .describe("The clone's CNPG Cluster name, in the cloned chart's dev namespace."),
        instances: z
            .number()
            .int()
            .refine(
                (n) => n === 1,
                "the dev clone runs exactly 1 instance (ADR 009: cap the clone at instances: 1)",
            )
            .prefault(1)
            .describe('ADR 009 risk table: "cap the clone at instances: 1". Anything else is rejected.'),
        storageClass: dnsLabel
            .optional()
            .describe(
                "Snapshot-capable StorageClass of the same CSI driver as prod. Required when a clone is provisioned.",
            ),
        size: memoryQuantity
            .prefault("20Gi")
            .describe(
                "The clone's PVC size: a full new volume of the clone's StorageClass restored from the snapshot. Must be at least the snapshot's restoreSize (prod's volume size); the refresher checks before it deletes the old clone and refuses otherwise.",
            ),
        resources: containerResources
            .prefault(resources("100m", "384Mi", "1", "384Mi"))
            .describe("Guaranteed QoS (requests == limits) as CNPG recommends."),
        database: z
            .string()
            .regex(/^[a-z_][a-z0-9_]*$/, "expected a PostgreSQL database name")
            .prefault("app")
            .describe(
                "Application database and owner in prod; the clone keeps their names with a new password.",
            ),
        owner: z
            .string()
            .regex(/^[a-z_][a-z0-9_]*$/, "expected a PostgreSQL role name")
            .prefault("app")
            .describe("Owner of `database`; its password is replaced in the clone."),
        postgresParameters: z
            .record(z.string(), z.string())
            .prefault({ shared_buffers: "96MB", max_connections: "40", work_mem: "4MB" })
            .describe("Sized for the 384Mi default; raise both together."),
    })
    .prefault({})
    .describe("The dev clone: one CNPG Cluster restored from a snapshot of prod's.");

const refreshSection = z
    .strictObject({
        cadence: z
            .enum(["on-promotion", "schedule"])
            .prefault("on-promotion")
            .describe(
                'Open question 5. `on-promotion`: every promotion into dev takes a fresh snapshot and recreates the clone before the new version syncs (the ADR risk table\'s "refreshed on promotion"). `schedule`: a CronJob refreshes it at `schedule` (taking its own snapshot of prod), independent of promotions.',
            ),
        schedule: sixFieldCron
            .prefault("0 0 4 * * 1-5")
            .describe(
                "Six fields, seconds first (used with cadence `schedule`): the refresh CronJob runs in that minute (UTC; the seconds field is dropped, CronJobs have none). Default: 04:00 UTC on weekdays.",
            ),
        timeout: duration
            .prefault("45m")
            .describe(
                "How long the refresh script may take (snapshot + restore + Ready + verifier clean-up) before it fails. The refresh Job's deadline is 5 minutes longer (scheduling, image pull); the Kargo step and Pulumi's waits for the clone and the seed Job give up 10 minutes after that, so the Job always fails first and says why.",
            ),
        keepBackups: z
            .number()
            .int()
            .min(1)
            .max(10)
            .prefault(2)
            .describe(
                "Snapshot Backups of prod the refresher keeps for the clone, the current source included (default: it and the previous one). Older ones are deleted with their VolumeSnapshots.",
            ),
        image: pinnedImage("docker.io/alpine/k8s:1.32.3")
            .prefault("docker.io/alpine/k8s:1.32.3")
            .describe("Image with sh and kubectl that runs the refresh script."),
        resources: containerResources
            .prefault(resources("20m", "64Mi", "500m", "128Mi"))
            .describe("The refresher container's requests and limits."),
        hookChart: z
            .strictObject({
                repoURL: z
                    .string()
                    .url()
                    .prefault("https://bedag.github.io/helm-charts/")
                    .describe("Helm repository of the hook chart."),
                chart: dnsLabel.prefault("raw").describe("The hook chart's name."),
                version: exactSemver
                    .prefault("2.0.1")
                    .describe(
                        "Exact: a range here would float the hook chart (Argo CD resolves it on every sync). A change (Renovate moves it) reaches the Application on the next `pulumi up`.",
                    ),
            })
            .prefault({})
            .describe(
                "Chart that renders the refresh Job as an Argo CD Sync hook of the `<chart>-dev-data` Application (a chart that renders the manifests it is given in `resources`). Mirror it into your registry, and allow it in the AppProject.",
            ),
    })
    .prefault({})
    .describe("How and when the clone is refreshed from prod.");

export const devDataSection = z
    .strictObject({
        prod: prodSection,
        clone: cloneSection,
        refresh: refreshSection,
        isolation: z
            .strictObject({
                denyEgressToNamespaces: z
                    .array(dnsLabel)
                    .prefault([])
                    .describe(
                        "Namespaces the dev namespace may never reach (egress denied). The prod namespaces of every chart and the prod database's namespace are always included; list extra ones here.",
                    ),
                podCidrs: z
                    .array(cidr)
                    .min(1, "expected at least one pod CIDR")
                    .prefault(["10.42.0.0/16"])
                    .describe(
                        'The cluster\'s pod CIDRs (k3s default 10.42.0.0/16), IPv4 or IPv6. They are cut out of the "anywhere" egress rule of their family, so pods are reachable only through the namespace rule, which excludes prod.',
                    ),
                denyEgressToCidrs: z
                    .array(cidr)
                    .prefault([])
                    .describe(
                        "Addresses through which prod is reachable without a pod IP: the ingress controller's and every LoadBalancer Service's external addresses, node addresses behind NodePorts (IPv4 or IPv6, e.g. 203.0.113.10/32). Cut out of the \"anywhere\" egress rule too; the namespace rule alone stops pod traffic only (docs/dev-data-plane.md).",
                    ),
            })
            .prefault({})
            .describe("The dev namespace's egress NetworkPolicy: dev never reaches prod."),
    })
    .prefault({})
    .describe(
        "The dev stage's data plane: a clone of prod's database, refreshed from prod, isolated from it (docs/dev-data-plane.md).",
    );

export type DevDataConfig = z.infer<typeof devDataSection>;
