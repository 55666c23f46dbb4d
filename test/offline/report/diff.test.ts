import { strict as assert } from "node:assert";
import {
    diffSynths,
    diffValues,
    isIgnoredPath,
    renderDiffCounts,
    renderDiffMarkdown,
    renderDiffText,
    renderValue,
    type FieldChange,
    type SynthRow,
} from "../../../offline/report/diff";

const STAGE = "kubernetes:kargo.akuity.io/v1alpha1:Stage";
const urn = (type: string, name: string) => `urn:pulumi:prod::release-pipeline::${type}::${name}`;
const row = (name: string, inputs: Record<string, unknown>, type = STAGE): SynthRow => ({
    urn: urn(type, name),
    type,
    name,
    inputs,
});

describe("synth diff: fields", () => {
    const cases: { name: string; before: unknown; after: unknown; changes: FieldChange[] }[] = [
        { name: "equal values", before: { a: [1, { b: "x" }] }, after: { a: [1, { b: "x" }] }, changes: [] },
        {
            name: "a changed leaf, by its dotted path",
            before: { spec: { soak: "30m" } },
            after: { spec: { soak: "1h" } },
            changes: [{ kind: "changed", path: "spec.soak", before: "30m", after: "1h" }],
        },
        {
            name: "an added and a removed key",
            before: { spec: { a: 1 } },
            after: { spec: { b: 2 } },
            changes: [
                { kind: "added", path: "spec.b", after: 2 },
                { kind: "removed", path: "spec.a", before: 1 },
            ],
        },
        {
            name: "a key that is not an identifier, quoted",
            before: { annotations: { "kargo.akuity.io/authorized-stage": "p:dev" } },
            after: { annotations: { "kargo.akuity.io/authorized-stage": "p:prod" } },
            changes: [
                {
                    kind: "changed",
                    path: 'annotations["kargo.akuity.io/authorized-stage"]',
                    before: "p:dev",
                    after: "p:prod",
                },
            ],
        },
        {
            name: "plain arrays by index, a longer one adds its tail",
            before: { args: ["a", "b"] },
            after: { args: ["a", "c", "d"] },
            changes: [
                { kind: "changed", path: "args[1]", before: "b", after: "c" },
                { kind: "added", path: "args[2]", after: "d" },
            ],
        },
        {
            name: "steps keyed by `as`: an inserted step is one addition, not a shifted list",
            before: { steps: [{ as: "clone" }, { as: "push", uses: "git-push" }] },
            after: { steps: [{ as: "clone" }, { as: "refresh" }, { as: "push", uses: "git-push@v2" }] },
            changes: [
                { kind: "added", path: "steps[as=refresh]", after: { as: "refresh" } },
                { kind: "changed", path: "steps[as=push].uses", before: "git-push", after: "git-push@v2" },
            ],
        },
        {
            name: "containers keyed by `name`, a removed one reported once",
            before: { containers: [{ name: "app" }, { name: "sidecar" }] },
            after: { containers: [{ name: "app" }] },
            changes: [{ kind: "removed", path: "containers[name=sidecar]", before: { name: "sidecar" } }],
        },
        {
            name: "a type change (object to string) is one changed field",
            before: { values: { a: 1 } },
            after: { values: "a: 1" },
            changes: [{ kind: "changed", path: "values", before: { a: 1 }, after: "a: 1" }],
        },
    ];
    for (const c of cases) {
        it(c.name, () => assert.deepEqual(diffValues(c.before, c.after), c.changes));
    }
});

describe("synth diff: resources", () => {
    const ns = row("pipeline-monolith", { kind: "Namespace" }, "kubernetes:core/v1:Namespace");
    const dev = row("pipeline-dev", { spec: { auto: true } });
    const prod = row("pipeline-prod", { spec: { soak: "30m" } });

    it("reports creates and updates in the head's order, then deletes, and counts the rest", () => {
        const extra = row("pipeline-qa", { spec: {} });
        const diff = diffSynths([ns, dev, prod], [ns, extra, { ...prod, inputs: { spec: { soak: "1h" } } }]);
        assert.deepEqual(
            diff.resources.map((r) => [r.op, r.name, r.changes.map((c) => c.path)]),
            [
                ["create", "pipeline-qa", []],
                ["update", "pipeline-prod", ["spec.soak"]],
                ["delete", "pipeline-dev", []],
            ],
        );
        assert.equal(diff.unchanged, 1);
        assert.equal(renderDiffCounts(diff), "1 to create, 1 to update, 1 to delete, 1 unchanged");
    });

    it("compares resource options too (a protect flip is a reviewable change)", () => {
        const diff = diffSynths(
            [{ ...ns, options: { protect: false } }],
            [{ ...ns, options: { protect: true } }],
        );
        assert.deepEqual(diff.resources[0].changes, [
            { kind: "changed", path: "(options).protect", before: false, after: true },
        ]);
    });

    it("marks a change under ignoreChanges as one pulumi up does not apply (a silent no-op otherwise)", () => {
        const app = (rev: string): SynthRow => ({
            ...row("data", { spec: { source: { targetRevision: rev, chart: "raw" } } }),
            options: { ignoreChanges: ["spec.source.targetRevision"] },
        });
        const diff = diffSynths([app("2.0.1")], [app("2.0.2")]);
        assert.deepEqual(diff.resources[0].changes, [
            {
                kind: "changed",
                path: "spec.source.targetRevision",
                before: "2.0.1",
                after: "2.0.2",
                ignored: true,
            },
        ]);
        assert.match(
            renderDiffText("dev", "main", diff),
            /\+ {5}spec.source.targetRevision: "2.0.2" {3}\(ignoreChanges: pulumi up keeps the live value\)/,
        );
    });

    const covered: [string, string[], boolean][] = [
        ["spec.source.targetRevision", ["spec.source.targetRevision"], true],
        ["spec.source.targetRevision", ["spec.source"], true],
        ["spec.sources[0].chart", ["spec.sources"], true],
        ["spec.sourceX", ["spec.source"], false],
        ["content", [], false],
    ];
    for (const [path, ignore, expected] of covered) {
        it(`${path} is ${expected ? "" : "not "}covered by ignoreChanges ${JSON.stringify(ignore)}`, () =>
            assert.equal(isIgnoredPath(path, ignore), expected));
    }

    it("a renamed resource is a delete plus a create (its URN changed)", () => {
        const renamed = { ...dev, name: "pipeline-dev2", urn: urn(STAGE, "pipeline-dev2") };
        const ops = diffSynths([dev], [renamed]).resources.map((r) => `${r.op} ${r.name}`);
        assert.deepEqual(ops, ["create pipeline-dev2", "delete pipeline-dev"]);
    });

    it("identical synths: no changes", () => {
        const diff = diffSynths([ns, dev], [ns, dev]);
        assert.equal(renderDiffCounts(diff), "no changes (2 unchanged)");
        assert.equal(renderDiffMarkdown("main", diff), "Against `main`: **no changes (2 unchanged)**.");
    });

    it("renders a ```diff block: before as -, after as +", () => {
        const diff = diffSynths([prod], [{ ...prod, inputs: { spec: { soak: "1h", extra: [1] } } }, ns]);
        assert.equal(
            renderDiffMarkdown("main", diff),
            [
                "Against `main`: **1 to create, 1 to update, 0 to delete, 0 unchanged**.",
                "",
                "```diff",
                `~ ${STAGE} pipeline-prod`,
                '-     spec.soak: "30m"',
                '+     spec.soak: "1h"',
                "+     spec.extra: [1]",
                "+ kubernetes:core/v1:Namespace pipeline-monolith",
                "```",
            ].join("\n"),
        );
        assert.match(
            renderDiffText("prod", "out/base", diff),
            /^ {2}diff of stack prod against out\/base: 1 to/,
        );
    });

    it("shortens long values", () => {
        const text = renderValue("x".repeat(300));
        assert.equal(text.length, 100);
        assert.ok(text.endsWith("…"));
    });
});
