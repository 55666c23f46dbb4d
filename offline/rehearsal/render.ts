/** The rehearsal's two outputs: a text report for a person, and a JSON report for machines. */
import { describeFreight, type RehearsalReport, type StageReport } from "./rehearse";
import type { StepRecord } from "./types";

const MARK: Readonly<Record<StepRecord["status"], string>> = {
    Succeeded: "ok  ",
    Skipped: "skip",
    Errored: "FAIL",
    Failed: "FAIL",
};

function renderStep(r: StepRecord): string[] {
    const head = `    [${r.notRehearsed ? "n/r " : MARK[r.status]}] ${r.alias} (${r.uses}) ${r.status}`;
    const lines = [r.message ? `${head}: ${r.message}` : head];
    for (const c of r.checks)
        lines.push(`        ${c.ok ? "pass" : "FAIL"} ${c.name}${c.detail ? ` — ${c.detail}` : ""}`);
    return lines;
}

function renderStage(s: StageReport): string[] {
    const lines = [`== Stage ${s.name}`];
    for (const p of s.admission) lines.push(`  ADMISSION FAIL ${p.step}: ${p.reason}`);
    for (const p of s.promotions) {
        lines.push(`  -- promotion of Freight ${describeFreight(p.freight)}: ${p.phase}`);
        p.records.forEach((r) => lines.push(...renderStep(r)));
        if (p.verification) {
            const ok = p.verification.problems.length === 0;
            lines.push(
                `    [${ok ? "ok  " : "FAIL"}] verification (AnalysisRun built and validated, not measured)`,
            );
            for (const a of p.verification.args)
                lines.push(`        arg ${a.name} = ${JSON.stringify(a.value)}`);
            for (const problem of p.verification.problems) lines.push(`        FAIL ${problem}`);
        }
        for (const push of p.pushes) {
            lines.push(`    commit(s) pushed by ${push.step} to ${push.repoURL} ${push.branch}:`);
            lines.push(
                ...push.show
                    .trimEnd()
                    .split("\n")
                    .map((l) => `      ${l}`),
            );
        }
    }
    for (const n of s.notPromoted) lines.push(`  not promoted: ${n.freight}: ${n.reason}`);
    return lines;
}

export function renderText(report: RehearsalReport): string {
    const lines = [
        `rehearsal of project ${report.project}: ${report.remote.kind} remote, seeded from ${report.remote.seededFrom}`,
        ...report.remote.files.map((f) => `  seeded ${f}`),
        ...report.notes.map((n) => `  note: ${n}`),
        `Freight: ${report.freight.map(describeFreight).join("; ")}`,
        ...report.stages.flatMap(renderStage),
    ];
    if (report.findings.length === 0) {
        lines.push("rehearsal passed: no step a real promotion would trip on");
    } else {
        lines.push(`rehearsal FAILED: ${report.findings.length} finding(s)`);
        for (const f of report.findings) {
            lines.push(`  ${f.stage}${f.freight ? ` [${f.freight}]` : ""} step ${f.step}: ${f.reason}`);
        }
    }
    return `${lines.join("\n")}\n`;
}

export function renderJson(report: RehearsalReport): string {
    return `${JSON.stringify({ ok: report.findings.length === 0, ...report }, null, 2)}\n`;
}
