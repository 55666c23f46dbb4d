import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateStackConfig } from "../../../components/config";

const ROOT = join(__dirname, "..", "..", "..");
const DOCS = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => join("docs", f))];
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** The defaults: a configuration that sets only what no default can stand in for. */
const defaults = validateStackConfig({
    access: { accountId: "0".repeat(32), zone: "example.com", trusted: [{ emailDomain: "acme.dev" }] },
    gitCredential: { githubApp: { appId: 1, installationId: 2 } },
    // The default release commits Chart.yaml to the guarded GitOps branch: it needs the App it pushes as.
    chartRelease: { githubApp: { appId: 3 } },
});

/** Figures the docs quote from the code, each with the value the code has. */
const figures: { name: string; pattern: RegExp; expected: string }[] = [
    {
        name: "the pinned Kargo version",
        pattern: /Kargo v?(\d+\.\d+\.\d+)/g,
        expected: defaults.kargo.chartVersion,
    },
    { name: "budget.requests", pattern: /`budget\.requests: (\S+?)`/g, expected: defaults.budget.requests },
    { name: "budget.limits", pattern: /`budget\.limits: (\S+?)`/g, expected: defaults.budget.limits },
];

describe("figures the docs quote from the code", () => {
    for (const f of figures) {
        it(`${f.name} is the code's wherever the docs state it`, () => {
            const found = DOCS.flatMap((file) =>
                [...read(file).matchAll(f.pattern)].map((m) => `${file}: ${m[1]}`),
            );
            assert.ok(found.length > 0, `no doc states ${f.name}; drop this case or the pattern is wrong`);
            assert.deepEqual(
                found.filter((line) => !line.endsWith(`: ${f.expected}`)),
                [],
            );
        });
    }
});
