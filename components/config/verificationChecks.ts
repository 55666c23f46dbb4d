/**
 * What dev verifies, and where: one health and one version check per dev chart, on the dev hostname that
 * serves it (`verification.chartHostnames`). Decided here once, for the config checks and for the builders
 * (components/pipeline/verification.ts), so a chart dev runs is never left unverified and a check never
 * reads one chart's version from another chart's hostname.
 */
import type { IssueSink } from "./checks/format";
import { selectDevCharts } from "./devCharts";
import type { PipelineMode } from "./pipeline";

/** The sections these decisions read. */
export interface VerificationTargetInput<C extends { readonly name: string }> {
    readonly pipeline: { readonly mode: PipelineMode; readonly devCharts: "all" | readonly string[] };
    readonly charts: readonly C[];
    readonly verification: {
        readonly devHostnames: readonly string[];
        readonly chartHostnames: Readonly<Record<string, string>>;
    };
}

/** One dev chart and the dev hostname whose health and `/version` stand for it. */
export interface VerificationTarget<C> {
    readonly chart: C;
    readonly hostname: string;
}

/** The hostname of a dev chart: its entry, else devHostnames[0] when dev runs that one chart alone. */
function hostnameOf<C extends { readonly name: string }>(
    cfg: VerificationTargetInput<C>,
    chart: C,
    devChartCount: number,
): string | undefined {
    const { chartHostnames, devHostnames } = cfg.verification;
    return chartHostnames[chart.name] ?? (devChartCount === 1 ? devHostnames[0] : undefined);
}

/** Every dev chart with its hostname, in the order of `charts`; none without a dev stage. */
export function selectVerificationTargets<C extends { readonly name: string }>(
    cfg: VerificationTargetInput<C>,
): VerificationTarget<C>[] {
    const dev = selectDevCharts(cfg);
    return dev.flatMap((chart) => {
        const hostname = hostnameOf(cfg, chart, dev.length);
        return hostname ? [{ chart, hostname }] : [];
    });
}

/**
 * Every dev chart has exactly one dev hostname, every entry names a declared chart and a dev hostname, and
 * no two dev charts share one (a `/version` answers one version). A dev hostname no dev chart is named for
 * stays behind Access (access.hostnames) but is not checked: it serves nothing dev promotes.
 */
export function checkVerificationTargets<C extends { readonly name: string }>(
    cfg: VerificationTargetInput<C>,
    sink: IssueSink,
): void {
    const dev = selectDevCharts(cfg);
    if (dev.length === 0) return;
    const { chartHostnames, devHostnames } = cfg.verification;
    const names = dev.map((c) => c.name);
    const issue = (path: (string | number)[], input: unknown, message: string) =>
        sink.addIssue({ code: "custom", path: ["verification", ...path], input, message });
    const declared = cfg.charts.map((c) => c.name);
    const servedBy = new Map<string, string>();
    for (const [chart, host] of Object.entries(chartHostnames)) {
        // A declared chart dev does not run yet may keep its entry, for the day it does.
        if (!declared.includes(chart)) {
            issue(
                ["chartHostnames", chart],
                host,
                `names no declared chart; allowed: ${declared.join(", ")}`,
            );
            continue;
        }
        if (!devHostnames.includes(host)) {
            issue(
                ["chartHostnames", chart],
                host,
                `is not in verification.devHostnames; allowed: ${devHostnames.join(", ")}`,
            );
            continue;
        }
        if (!names.includes(chart)) continue;
        const other = servedBy.get(host);
        if (other) {
            issue(
                ["chartHostnames", chart],
                host,
                `is also the hostname of ${other}: one /version answers one chart's version; allowed: a dev hostname of its own`,
            );
        }
        servedBy.set(host, chart);
    }
    const unmapped = dev.filter((chart) => hostnameOf(cfg, chart, dev.length) === undefined);
    for (const chart of unmapped) {
        issue(
            ["chartHostnames"],
            chartHostnames,
            `has no hostname for ${chart.name}: dev runs ${dev.length} charts (${names.join(", ")}), so which dev ` +
                `hostname serves which must be stated; allowed: ${chart.name}: one of ${devHostnames.join(", ")}`,
        );
    }
}
