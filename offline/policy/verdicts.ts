/**
 * Policy violations as people read them (the form `pulumi preview --policy-pack` prints: level, policy,
 * resource, then the message) and as a Markdown table for a job summary. `--json` keeps one JSON object a
 * line for machines. Pure.
 */
import type { Violation } from "./policyRunner";

/** `type name` of the resource a URN names (`urn:pulumi:<stack>::<project>::<parents$type>::<name>`). */
export function describeUrn(urn: string | undefined): string {
    if (!urn) return "(stack)";
    const parts = urn.split("::");
    if (parts.length < 4) return urn;
    const type = parts[2].split("$").pop() ?? parts[2];
    return `${type} ${parts.slice(3).join("::")}`;
}

/** One violation: `[mandatory] policy  type name`, then the message indented, line by line. */
export function formatViolation(v: Violation): string {
    const message = v.message
        .trim()
        .split("\n")
        .map((line) => `    ${line}`);
    return [`[${v.enforcementLevel}] ${v.policy}  ${describeUrn(v.urn)}`, ...message].join("\n");
}

/** The closing line: `3 violation(s): 1 mandatory, 2 advisory`. */
export function summarizeViolations(violations: readonly Violation[]): string {
    const by = (level: string) => violations.filter((v) => v.enforcementLevel === level).length;
    const levels = ["mandatory", "advisory", "remediate"].filter((l) => by(l) > 0);
    const detail = levels.map((l) => `${by(l)} ${l}`).join(", ");
    return `${violations.length} violation(s)${detail ? `: ${detail}` : ""}`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n+/g, "<br>");

/** A Markdown table of the verdicts, mandatory first; a sentence when there are none. */
export function renderViolationsMarkdown(violations: readonly Violation[]): string {
    if (violations.length === 0) return "No policy violations.";
    const rank = (v: Violation) => (v.enforcementLevel === "mandatory" ? 0 : 1);
    const rows = [...violations]
        .sort((a, b) => rank(a) - rank(b))
        .map(
            (v) =>
                `| ${v.enforcementLevel} | \`${v.policy}\` | ${cell(describeUrn(v.urn))} | ${cell(v.message.trim())} |`,
        );
    return [
        `${summarizeViolations(violations)}.`,
        "",
        "| level | policy | resource | message |",
        "|---|---|---|---|",
        ...rows,
    ].join("\n");
}
