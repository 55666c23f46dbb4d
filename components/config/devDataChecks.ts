/**
 * Cross-section checks for `devData`: the rules that need `pipeline` or `charts` to judge. Each bad input
 * gets its own issue at its own key, so the loader prints one precise line per problem.
 */
import type { IssueSink } from "./checks/format";
import type { DevDataConfig } from "./devData";
import { isCloneProvisioned, type DevChartsInput } from "./devCharts";

/** The sections these checks read. */
export interface DevDataCheckInput {
    readonly devData: DevDataConfig;
    readonly pipeline: DevChartsInput["pipeline"];
    readonly charts: readonly { readonly name: string }[];
}

/** The major version in a CNPG operand image tag (`…/postgresql:17.5-bookworm` → 17), if it has one. */
export function readImageMajor(imageName: string): number | undefined {
    const tag = /:(\d+)(?:[.-][^/]*)?$/.exec(imageName.split("@")[0]);
    return tag ? Number(tag[1]) : undefined;
}

export function checkDevData(cfg: DevDataCheckInput, ctx: IssueSink): void {
    const { prod, clone } = cfg.devData;
    const chartNames = cfg.charts.map((c) => c.name);
    if (!chartNames.includes(prod.chart)) {
        ctx.addIssue({
            code: "custom",
            input: prod.chart,
            path: ["devData", "prod", "chart"],
            message: `names no chart; allowed: one of the configured charts (${chartNames.join(", ")})`,
        });
        return;
    }
    // ADR 009 open question 3: only the full monolith in dev has a write data plane to reproduce.
    const cloneProvisioned = isCloneProvisioned(cfg);
    if (cloneProvisioned && !clone.storageClass) {
        ctx.addIssue({
            code: "custom",
            input: clone.storageClass,
            path: ["devData", "clone", "storageClass"],
            message:
                "required when pipeline.devCharts includes devData.prod.chart (the clone is provisioned): a snapshot-capable StorageClass of prod's CSI driver",
        });
    }
    const imageMajor = readImageMajor(prod.imageName);
    if (imageMajor !== undefined && imageMajor !== prod.postgresMajor) {
        ctx.addIssue({
            code: "custom",
            input: prod.imageName,
            path: ["devData", "prod", "imageName"],
            message: `is PostgreSQL ${imageMajor} but devData.prod.postgresMajor is ${prod.postgresMajor}; the clone must run prod's major (a data directory opens only with its own major)`,
        });
    }
}
