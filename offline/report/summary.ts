/**
 * The offline preview a reviewer reads on a pull request (job summary and PR comment): the verdict, the
 * synth diff against the base branch, the policy verdicts, the memory table and the promotion pipeline.
 * Pure; `npm run synth` writes it as `summary.md` whatever the outcome, so a failing PR is explained too.
 */
import { renderViolationsMarkdown } from "../policy/verdicts";
import type { Violation } from "../policy/policyRunner";
import { renderDiffMarkdown, type SynthDiff } from "./diff";
import { renderMemoryMarkdown, type MemoryBudget, type MemoryTotals } from "./memoryBudget";

export interface PreviewSummaryArgs {
    readonly stack: string;
    /** The diff against a base synth (`--diff`), with the label the reader knows the base by. */
    readonly diff?: { readonly base: string; readonly diff: SynthDiff };
    /** Invalid fields of custom resources, one line each (the synth stops before budget and policy). */
    readonly invalid: readonly string[];
    /** What the admission model (Kargo's and CNPG's webhooks) would refuse, one line each. */
    readonly refused?: readonly string[];
    /** The memory sum and its budget; absent when the synth stopped earlier. */
    readonly memory?: {
        readonly totals: MemoryTotals;
        readonly budget: MemoryBudget;
        readonly problems: readonly string[];
    };
    /** The policy pack's verdicts; absent when the synth stopped before running it. */
    readonly violations?: readonly Violation[];
    /** `pipeline.md` as the synth wrote it. */
    readonly pipeline: string;
}

/** Longest diff (in lines) a comment carries; GitHub caps a comment at 65,536 characters. */
export const MAX_DIFF_LINES = 400;

/** What failed, one phrase each; empty when the stack passes every offline check. */
export function findFailures(args: PreviewSummaryArgs): string[] {
    const failures: string[] = [];
    if (args.invalid.length > 0) failures.push(`${args.invalid.length} invalid field(s)`);
    const refused = args.refused?.length ?? 0;
    if (refused > 0) failures.push(`${refused} refused by the admission webhooks`);
    if (args.memory && args.memory.problems.length > 0) failures.push("memory budget exceeded");
    const mandatory = (args.violations ?? []).filter((v) => v.enforcementLevel === "mandatory").length;
    if (mandatory > 0) failures.push(`${mandatory} mandatory policy violation(s)`);
    return failures;
}

function limitLines(text: string, max: number): string {
    const lines = text.split("\n");
    if (lines.length <= max) return text;
    return [
        ...lines.slice(0, max - 1),
        "```",
        "",
        `… ${lines.length - max + 1} more lines in the synth artifact.`,
    ].join("\n");
}

/** Headings of the embedded pipeline.md move down two levels, under the summary's own. */
function demoteHeadings(markdown: string): string {
    return markdown.replace(/^(#+) /gm, "$1## ");
}

export function renderPreviewSummary(args: PreviewSummaryArgs): string {
    const failures = findFailures(args);
    const verdict =
        failures.length === 0
            ? "**Passes** every offline check (schemas, memory budget, mandatory policies)."
            : `**Fails**: ${failures.join(", ")}.`;
    const sections = [`## Offline preview of stack \`${args.stack}\``, "", verdict];
    if (args.diff) {
        sections.push(
            "",
            "### Changes",
            "",
            limitLines(renderDiffMarkdown(args.diff.base, args.diff.diff), MAX_DIFF_LINES),
        );
    }
    if (args.invalid.length > 0) {
        sections.push("", "### Invalid fields", "", ...args.invalid.map((line) => `- ${line}`));
    }
    if (args.refused && args.refused.length > 0) {
        sections.push(
            "",
            "### Refused by the admission webhooks",
            "",
            ...args.refused.map((line) => `- ${line}`),
        );
    }
    sections.push("", "### Policy verdicts", "");
    sections.push(
        args.violations
            ? renderViolationsMarkdown(args.violations)
            : "Not run (the objects must be valid and admitted first).",
    );
    sections.push("", "### Memory", "");
    if (args.memory) {
        sections.push(renderMemoryMarkdown(args.memory.totals, args.memory.budget));
        for (const p of args.memory.problems) sections.push("", `- ${p}`);
    } else {
        sections.push("Not summed (the objects must be valid and admitted first).");
    }
    sections.push(
        "",
        "<details><summary>Promotion pipeline (<code>pipeline.md</code>)</summary>",
        "",
        demoteHeadings(args.pipeline.trimEnd()),
        "",
        "</details>",
    );
    return sections.join("\n") + "\n";
}
