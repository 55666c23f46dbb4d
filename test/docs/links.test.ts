/**
 * The docs link to each other by file and section; a moved or renamed section must not leave a dead link.
 * Every relative link of README.md and docs/*.md names a file of this repository and, with a #fragment, a
 * heading of that file (GitHub's anchors). A relative link may not leave the repository (issue 20: the README's
 * first link pointed at the ADR beside the clone, dead on GitHub and in every other checkout).
 */
import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = join(__dirname, "..", "..");
const FILES = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => join("docs", f))].filter((f) =>
    f.endsWith(".md"),
);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as '-', repeats numbered. */
function slugs(markdown: string): Set<string> {
    const seen = new Map<string, number>();
    const out = new Set<string>();
    const text = markdown.replace(/```[\s\S]*?```/g, "");
    for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
        const base = m[1]
            .toLowerCase()
            .replace(/[^\p{L}\p{N}\s_-]/gu, "")
            .replace(/\s/g, "-");
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        out.add(n === 0 ? base : `${base}-${n}`);
    }
    return out;
}

/** The relative links of a Markdown text (inline `[text](target)`), outside code blocks. */
function links(markdown: string): string[] {
    const text = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
    return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t));
}

describe("links between the docs", () => {
    for (const file of FILES) {
        it(`${file}: every relative link names an existing file and heading`, () => {
            const dead: string[] = [];
            for (const target of links(readFileSync(join(ROOT, file), "utf8"))) {
                const [path, fragment] = target.split("#");
                const resolved = path ? resolve(ROOT, dirname(file), path) : join(ROOT, file);
                if (relative(ROOT, resolved).startsWith("..")) {
                    dead.push(`${target}: outside the repository`);
                    continue;
                }
                if (!existsSync(resolved)) {
                    dead.push(`${target}: no such file`);
                    continue;
                }
                if (
                    fragment &&
                    resolved.endsWith(".md") &&
                    !slugs(readFileSync(resolved, "utf8")).has(fragment)
                ) {
                    dead.push(`${target}: no such heading`);
                }
            }
            assert.deepEqual(dead, []);
        });
    }

    it("computes GitHub's anchors", () => {
        assert.deepEqual(
            [
                ...slugs(
                    "# A `code` title: with, punctuation\n## Twice\n## Twice\n```\n# not a heading\n```\n",
                ),
            ],
            ["a-code-title-with-punctuation", "twice", "twice-1"],
        );
    });
});
