import { strict as assert } from "node:assert";
import { inflateSteps, mapTaskVars, validateTaskRefs } from "../../../offline/rehearsal/inflate";
import {
    parseAuthorizedStages,
    revisionFormProblem,
    sourceMatches,
} from "../../../offline/rehearsal/steps/argocdUpdate";
import { secureJoin } from "../../../offline/rehearsal/steps/paths";
import { quoteIfNecessary, setValuesInText, splitKey } from "../../../offline/rehearsal/steps/yamlUpdate";
import type { KubeObject } from "../../../offline/rehearsal/types";

describe("rehearsal inflation: pkg/api/promotion.go", () => {
    const task: KubeObject = {
        apiVersion: "kargo.akuity.io/v1alpha1",
        kind: "PromotionTask",
        metadata: { name: "t", namespace: "p" },
        spec: {
            vars: [{ name: "app" }, { name: "ns", value: "argocd" }],
            steps: [{ uses: "git-clone" }, { uses: "yaml-update", as: "update", if: "${{ success() }}" }],
        },
    };

    it("aliases task steps <stageStep>::<taskStep> (GetAlias defaults), keeps the task step's if, prepends vars", () => {
        const steps = inflateSteps(
            [{ uses: "http" }, { task: { name: "t" }, vars: [{ name: "app", value: "a" }] }],
            [task],
            "p",
            [],
        );
        assert.deepEqual(
            steps.map((s) => [s.as, s.uses, s.if ?? ""]),
            [
                ["step-1", "http", ""],
                ["task-2::step-1", "git-clone", ""],
                ["task-2::update", "yaml-update", "${{ success() }}"],
            ],
        );
        assert.deepEqual(steps[1].vars, [
            { name: "ns", value: "argocd" },
            { name: "app", value: "a" },
        ]);
    });

    it("a task var without default must be set by the step (or the Promotion)", () => {
        assert.throws(
            () => inflateSteps([{ task: { name: "t" } }], [task], "p", []),
            /missing value for variable "app"/,
        );
        assert.deepEqual(mapTaskVars([{ name: "ns", value: "d" }], [{ name: "ns", value: "x" }], []), []);
    });

    it("a missing PromotionTask is an inflation error", () => {
        assert.throws(
            () => inflateSteps([{ task: { name: "nope" } }], [task], "p", []),
            /^Error: inflate task steps for task "nope" \("task-1"\): promotiontasks\.kargo\.akuity\.io "nope" not found$/,
        );
    });

    it("the Stage webhook refuses task + if and task + config", () => {
        assert.deepEqual(
            validateTaskRefs([{ task: { name: "t" }, if: "${{ true }}", config: {} }]).map((p) => p.reason),
            [
                "PromotionTemplate step referencing a task cannot have an 'if' condition",
                "PromotionTemplate step referencing a task cannot have a config",
            ],
        );
    });
});

describe("rehearsal yaml-update: pkg/yaml/yaml.go", () => {
    const doc =
        "# audit record\nspec:\n  source:\n    targetRevision: 0.1.0 # moved by Kargo\n    list:\n      - a\n";

    it("rewrites only the scalar's line, from its column on (a trailing comment goes, as in Kargo)", () => {
        assert.equal(
            setValuesInText(doc, [{ key: "spec.source.targetRevision", value: "0.2.0" }]),
            "# audit record\nspec:\n  source:\n    targetRevision: 0.2.0\n    list:\n      - a\n",
        );
        assert.match(setValuesInText(doc, [{ key: "spec.source.list.0", value: "b" }]), /- b\n$/);
    });

    // yaml.go SetValuesInBytes: yaml.Unmarshal decodes the first document and never looks past it.
    const FIRST_DOCUMENT_CASES: { name: string; text: string; key: string; expected: string | RegExp }[] = [
        {
            name: "a second document after --- is kept as it is",
            text: "spec:\n  source:\n    targetRevision: 0.1.0\n---\nkind: ConfigMap\nspec: {source: {targetRevision: x}}\n",
            key: "spec.source.targetRevision",
            expected:
                "spec:\n  source:\n    targetRevision: 0.2.0\n---\nkind: ConfigMap\nspec: {source: {targetRevision: x}}\n",
        },
        {
            name: "a second document that is not even valid YAML is not read",
            text: "spec:\n  source:\n    targetRevision: 0.1.0\n---\n: : [\n",
            key: "spec.source.targetRevision",
            expected: "spec:\n  source:\n    targetRevision: 0.2.0\n---\n: : [\n",
        },
        {
            name: "a key only the second document has is not found",
            text: "spec: {}\n---\nspec:\n  source:\n    targetRevision: 0.1.0\n",
            key: "spec.source.targetRevision",
            expected: /error finding key spec\.source\.targetRevision: key path not found/,
        },
    ];
    for (const c of FIRST_DOCUMENT_CASES) {
        it(`reads the first document only: ${c.name}`, () => {
            const run = () => setValuesInText(c.text, [{ key: c.key, value: "0.2.0" }]);
            if (typeof c.expected === "string") assert.equal(run(), c.expected);
            else assert.throws(run, c.expected);
        });
    }

    it("a missing key or a non-scalar key is an error, never a creation", () => {
        assert.throws(
            () => setValuesInText(doc, [{ key: "spec.source.chart", value: "x" }]),
            /error finding key spec\.source\.chart: key path not found/,
        );
        assert.throws(
            () => setValuesInText(doc, [{ key: "spec.source", value: "x" }]),
            /does not address a scalar node/,
        );
    });

    it("quotes strings YAML would read as another type (quote.go QuoteIfNecessary)", () => {
        assert.deepEqual(["1.0", "true", "0.2.0", "{}", "x"].map(quoteIfNecessary), [
            '"1.0"',
            '"true"',
            "0.2.0",
            '"{}"',
            "x",
        ]);
    });

    it("splits keys like sjson (escapes and numeric-key hints)", () => {
        assert.deepEqual(splitKey("a\\.b.:0.c"), ["a.b", "0", "c"]);
        assert.throws(() => splitKey("a..b"), /empty key part/);
    });

    it("joins paths inside the work dir (securejoin)", () => {
        assert.equal(secureJoin("/w", "../../etc/passwd"), "/w/etc/passwd");
        assert.equal(secureJoin("/w", "./repo/x.yaml"), "/w/repo/x.yaml");
    });
});

describe("rehearsal argocd-update: argocd_updater.go", () => {
    it("parses authorized-stage like pkg/api/stage.go AuthorizedStages", () => {
        assert.deepEqual(parseAuthorizedStages(" p:dev , p:prod"), [
            { project: "p", stage: "dev" },
            { project: "p", stage: "prod" },
        ]);
        assert.throws(() => parseAuthorizedStages("p:*"), /glob expressions are no longer supported/);
        assert.throws(() => parseAuthorizedStages("dev"), /expected format "<project>:<stage>"/);
    });

    it("matches Helm sources exactly on repoURL + chart, git sources after normalization", () => {
        const helm = { repoURL: "ghcr.io/acme/charts", chart: "m" };
        assert.ok(sourceMatches({ repoURL: "ghcr.io/acme/charts", chart: "m" }, helm));
        assert.ok(!sourceMatches({ repoURL: "oci://ghcr.io/acme/charts/m" }, helm));
        assert.ok(
            sourceMatches({ repoURL: "https://github.com/a/b" }, { repoURL: "https://GitHub.com/a/b.git/" }),
        );
    });

    it("knows which desiredRevision form each source type can converge on", () => {
        assert.match(
            revisionFormProblem({ repoURL: "oci://ghcr.io/acme/charts/m" }, "1.2.3") ?? "",
            /never converges/,
        );
        assert.equal(revisionFormProblem({ repoURL: "ghcr.io/acme/charts", chart: "m" }, "1.2.3"), undefined);
        // IsOCI() before IsHelm() (argo-cd v3.5.1 repository.go): chart: beside oci:// is still an OCI source.
        assert.match(
            revisionFormProblem({ repoURL: "oci://ghcr.io/acme/charts", chart: "m" }, "1.2.3") ?? "",
            /never converges on the native OCI source .*chart "m" beside it changes nothing/,
        );
        assert.match(
            revisionFormProblem({ repoURL: "ghcr.io/acme/charts", chart: "m" }, ">=1.0.0") ?? "",
            /not an exact chart version/,
        );
        assert.match(
            revisionFormProblem({ repoURL: "https://github.com/a/b" }, "main") ?? "",
            /not a commit SHA/,
        );
    });
});
