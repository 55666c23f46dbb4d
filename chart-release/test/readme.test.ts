import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { isCommand } from "../src/flags";
import { formatCommandHelp, formatMainHelp } from "../src/help";

const README = path.join(__dirname, "..", "README.md");

/** What `chart-release ARGS` prints for the help invocations the README embeds. */
function expectedHelp(args: string): string {
    if (args === "--help") return formatMainHelp();
    const [command, flag] = args.split(" ");
    assert.ok(isCommand(command) && flag === "--help", `unexpected generated block: chart-release ${args}`);
    return formatCommandHelp(command);
}

describe("the README's generated help is current", () => {
    const text = readFileSync(README, "utf8");
    const blocks = [
        ...text.matchAll(/<!-- generated: chart-release ([^>]*?) -->\n```text\n([\s\S]*?)^```$/gm),
    ];

    it("embeds the main help and each command's", () => {
        assert.deepEqual(
            blocks.map((b) => b[1]),
            ["--help", "next --help", "dev --help", "check-pr --help", "release --help", "mode --help"],
        );
    });

    for (const [, args, body] of blocks) {
        it(`chart-release ${args} (refresh with \`npm run docs\` in chart-release/)`, () => {
            assert.equal(body, `${expectedHelp(args)}\n`);
        });
    }
});
