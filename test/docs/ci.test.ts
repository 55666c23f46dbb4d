/**
 * Issue 20, item 11: docs/ci.md's credentials table is tested against the workflow files: every secret,
 * variable and environment they read is a row, of the right kind, naming exactly the files that read it, with
 * a scope; no row names something no workflow reads.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_WORKFLOWS, ROOT, WORKFLOWS, type WorkflowFile } from "../support/workflows";

type Kind = "secret" | "variable" | "environment";

/** name → kind and the files reading it. */
type Credentials = Map<string, { kind: Kind; readBy: Set<string> }>;

function add(into: Credentials, name: string, kind: Kind, file: string): void {
    const entry = into.get(name) ?? { kind, readBy: new Set<string>() };
    assert.equal(entry.kind, kind, `${name} is read both as a ${entry.kind} and as a ${kind}`);
    entry.readBy.add(file);
    into.set(name, entry);
}

/**
 * The environments a job's `environment:` names, with the two expressions the workflows use expanded: a matrix
 * value (every value of that matrix key) and an input (every value this repository's callers pass).
 */
export function expandEnvironment(
    text: string,
    file: WorkflowFile,
    matrix: Record<string, unknown>,
): string[] {
    const m = /\$\{\{\s*(matrix|inputs)\.([\w-]+)\s*\}\}/.exec(text);
    if (!m) {
        assert.doesNotMatch(
            text,
            /\$\{\{/,
            `${file.path}: environment ${text} is an expression the test cannot expand`,
        );
        return [text];
    }
    const values =
        m[1] === "matrix"
            ? (matrix[m[2]] as unknown[])
            : WORKFLOWS.flatMap((caller) =>
                  Object.values(caller.workflow.jobs)
                      .filter((job) => String(job.uses).endsWith(`/${file.path.split("/").pop()}`))
                      .map((job) => job.with?.[m[2]]),
              );
    assert.ok(Array.isArray(values) && values.length > 0, `${file.path}: no value for ${m[0]}`);
    return values.map((v) => text.replace(m[0], String(v)));
}

/** What the workflow files read: `secrets.X` (not GitHub's own token), `vars.X`, `environment:`. */
export function readCredentials(files: readonly WorkflowFile[]): Credentials {
    const found: Credentials = new Map();
    for (const file of files) {
        const text = file.text
            .split("\n")
            .filter((line) => !/^\s*#/.test(line))
            .join("\n");
        for (const m of text.matchAll(/\bsecrets\.([A-Za-z_][\w-]*)/g))
            if (m[1] !== "GITHUB_TOKEN") add(found, m[1], "secret", file.path);
        for (const m of text.matchAll(/\bvars\.([A-Za-z_][\w-]*)/g)) add(found, m[1], "variable", file.path);
        for (const job of Object.values(file.workflow.jobs)) {
            if (job.environment === undefined) continue;
            const name = typeof job.environment === "string" ? job.environment : job.environment.name;
            for (const env of expandEnvironment(name, file, job.strategy?.matrix ?? {}))
                add(found, env, "environment", file.path);
        }
    }
    return found;
}

/** The rows of the table between the credentials markers of docs/ci.md. */
function readTable(markdown: string): { name: string; kind: string; readBy: string[]; scope: string }[] {
    const start = markdown.indexOf("<!-- credentials:start -->");
    const end = markdown.indexOf("<!-- credentials:end -->");
    assert.ok(start >= 0 && end > start, "docs/ci.md has the credentials markers");
    return markdown
        .slice(start, end)
        .split("\n")
        .filter((line) => /^\| `/.test(line))
        .map((line) => {
            const cells = line.split(" | ").map((c) => c.replace(/^\| /, "").replace(/ \|$/, "").trim());
            return {
                name: cells[0].replace(/`/g, ""),
                kind: cells[1],
                readBy: [...cells[3].matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort(),
                scope: cells[4] ?? "",
            };
        });
}

describe("docs/ci.md: every credential the workflows read, with its least scope", () => {
    const found = readCredentials(ALL_WORKFLOWS);
    const rows = readTable(readFileSync(join(ROOT, "docs", "ci.md"), "utf8"));

    it("the reading itself: the workflows' own names, expanded environments, no GITHUB_TOKEN", () => {
        assert.deepEqual(found.get("KUBECONFIG")?.kind, "secret");
        assert.deepEqual(
            [...(found.get("prod-preview")?.readBy ?? [])],
            [".github/workflows/pulumi-preview.yml"],
        );
        assert.deepEqual([...(found.get("prod")?.readBy ?? [])], [".github/workflows/pulumi-up-stack.yml"]);
        assert.equal(found.has("GITHUB_TOKEN"), false);
        assert.equal(found.get("CHART_RELEASE_APP_CLIENT_ID")?.kind, "variable");
    });

    it("one row per credential the workflows read, none more", () => {
        assert.deepEqual(rows.map((r) => r.name).sort(), [...found.keys()].sort());
        assert.equal(new Set(rows.map((r) => r.name)).size, rows.length, "no name twice");
    });

    it("each row: its kind, exactly the files that read it, and a scope", () => {
        const wrong = rows.flatMap((row) => {
            const actual = found.get(row.name);
            if (!actual) return [];
            const problems: string[] = [];
            if (row.kind !== actual.kind)
                problems.push(`${row.name}: kind ${row.kind}, read as a ${actual.kind}`);
            const readBy = [...actual.readBy].sort();
            if (JSON.stringify(row.readBy) !== JSON.stringify(readBy))
                problems.push(
                    `${row.name}: read by ${row.readBy.join(", ")}; the workflows: ${readBy.join(", ")}`,
                );
            if (row.scope.length < 10) problems.push(`${row.name}: no scope`);
            return problems;
        });
        assert.deepEqual(wrong, []);
    });

    it("the preview reads no credential that up reads (read-only credentials of its own)", () => {
        const readers = (file: string) =>
            [...found].filter(([, v]) => v.kind === "secret" && v.readBy.has(file)).map(([name]) => name);
        const preview = readers(".github/workflows/pulumi-preview.yml");
        const up = readers(".github/workflows/pulumi-up-stack.yml");
        assert.ok(preview.length >= 5 && up.length >= 5);
        assert.deepEqual(
            preview.filter((name) => up.includes(name)),
            [],
        );
        assert.deepEqual(
            preview.filter((name) => !name.startsWith("PREVIEW_")),
            [],
        );
    });
});
