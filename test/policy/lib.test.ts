/** The pack's small pure helpers, table by table. */
import { strict as assert } from "node:assert";
import {
    evaluateExpression,
    findChartFromRepo,
    resolveTemplate,
    type ExpressionEnv,
} from "../../policy/lib/expressions";
import { findWriteKeys, isHttpsUrl, normalizeWorkspacePath } from "../../policy/lib/gitSteps";
import { matchesLabelSelector, matchesStageName, readVars } from "../../policy/lib/kargo";
import { formatMemory, parseMemory } from "../../policy/lib/quantity";
import { findDeployStage, isDeployFilesSource } from "../../policy/lib/deployFiles";
import { findFileObjects, findKubeKind } from "../../policy/lib/resources";
import { matchesSourceUpdate } from "../../policy/policies/gitOwnedApplications";
import { findFloatingForm, isExactVersion } from "../../policy/lib/revisions";
import { readPath, toPlain } from "../../policy/lib/values";
import { unknown } from "./helpers";

const env: ExpressionEnv = {
    vars: new Map<string, string | undefined>([
        ["repo", "oci://ghcr.io/acme/charts/monolith"],
        ["file", "./repo/deploy/${{ ctx.stage }}/app.yaml"],
        ["required", undefined],
        ["later", unknown],
        ["loop", "${{ vars.loop }}"],
    ]),
    ctx: { stage: "dev", project: "monolith" },
};

describe("policy lib: revisions", () => {
    const exact = ["1.2.3", "0.182.3", "v1.2.3", "1.2.3-rc.1", "1.2.3+build.5"];
    for (const revision of exact) {
        it(`${revision} is exact`, () => {
            assert.equal(findFloatingForm(revision), undefined);
            assert.ok(isExactVersion(revision));
        });
    }
    it("an unknown revision is not judged", () => assert.equal(findFloatingForm(unknown), undefined));
    const floating: [unknown, string][] = [
        [undefined, "empty (Argo CD and Helm then take the latest/HEAD)"],
        ["  ", "empty (Argo CD and Helm then take the latest/HEAD)"],
        ["*", "a wildcard (*)"],
        ["head", "HEAD"],
        [`sha256:${"0".repeat(64)}`, "a digest"],
        ["ghcr.io/acme/app@sha256:abc", "a digest"],
        ["a".repeat(40), "a digest"],
        ["{{ .values.rev }}", "a template expression"],
        ["^1.2.3", "a caret range (^)"],
        ["~1.2", "a tilde range (~)"],
        ["<2.0.0", "a comparison range (>=, >, <, <=, =)"],
        ["=1.2.3", "a comparison range (>=, >, <, <=, =)"],
        ["1.2.3 - 1.4.0", "a compound range"],
        ["1.2.3 || 2.0.0", "a compound range"],
        ["1.X", "an x-range (x, X or * in a version part)"],
        ["1.2.*", "an x-range (x, X or * in a version part)"],
        ["1", "a partial version (missing minor or patch)"],
        [2, "a partial version (missing minor or patch)"],
        ["stable", "a branch or tag name"],
        ["feat/public-visual-regression", "a branch or tag name"],
    ];
    for (const [revision, form] of floating) {
        it(`${JSON.stringify(revision)} is ${form}`, () => assert.equal(findFloatingForm(revision), form));
    }
});

describe("policy lib: Kargo expressions", () => {
    const templates: [string, ReturnType<typeof resolveTemplate>][] = [
        ["./repo/deploy/${{ ctx.stage }}/x.yaml", { ok: true, value: "./repo/deploy/dev/x.yaml" }],
        ["${{ vars.file }}", { ok: true, value: "./repo/deploy/dev/app.yaml" }],
        ["${{ vars['repo'] }}", { ok: true, value: "oci://ghcr.io/acme/charts/monolith" }],
        ["${% ctx.project %}-${{ quote('x') }}", { ok: true, value: "monolith-x" }],
        ["${{ vars.required }}", { ok: false, reason: 'var "required" has no value here' }],
        ["${{ vars.missing }}", { ok: false, reason: 'var "missing" has no value here' }],
        ["${{ vars.later }}", { ok: false, reason: 'var "later" is unknown during preview', unknown: true }],
        [unknown, { ok: false, reason: "the value is unknown during preview", unknown: true }],
        [
            "${{ outputs.x.y }}",
            { ok: false, reason: 'expression "outputs.x.y" cannot be evaluated statically' },
        ],
        ["${{ vars.loop }}", { ok: false, reason: "vars nest deeper than 10 levels" }],
    ];
    for (const [text, expected] of templates) {
        it(`resolves ${JSON.stringify(text)}`, () => assert.deepEqual(resolveTemplate(text, env), expected));
    }
    it("evaluates a double-quoted literal with escapes", () =>
        assert.deepEqual(evaluateExpression('"a\\"b"', env), { ok: true, value: 'a"b' }));

    const chartFrom: [unknown, ReturnType<typeof findChartFromRepo>][] = [
        ['${{ chartFrom("oci://a/b").Version }}', { ok: true, value: "oci://a/b" }],
        ["${{ chartFrom(vars.repo)?.Version }}", { ok: true, value: "oci://ghcr.io/acme/charts/monolith" }],
        ['${{ quote(chartFrom("oci://a/b", warehouse("w")).Version) }}', { ok: true, value: "oci://a/b" }],
        [
            "${{ chartFrom(vars.required).Version }}",
            {
                ok: false,
                reason: 'the chartFrom() argument cannot be resolved: var "required" has no value here',
            },
        ],
        ["1.2.3", { ok: false, reason: '"1.2.3" is not ${{ chartFrom(<Warehouse repoURL>).Version }}' }],
        [
            'v${{ chartFrom("oci://a/b").Version }}',
            {
                ok: false,
                reason: '"v${{ chartFrom(\\"oci://a/b\\").Version }}" is not ${{ chartFrom(<Warehouse repoURL>).Version }}',
            },
        ],
    ];
    for (const [value, expected] of chartFrom) {
        it(`reads the chartFrom() repo of ${JSON.stringify(value)}`, () =>
            assert.deepEqual(findChartFromRepo(value, env), expected));
    }
});

describe("policy lib: Kargo selectors and vars", () => {
    const names: [string, string, boolean][] = [
        ["prod", "prod", true],
        ["prod", "prod-eu", false],
        ["glob:prod*", "prod-eu", true],
        ["glob:p?od", "prod", true],
        ["regex:^prod(-.*)?$", "prod-eu", true],
        ["regexp:^dev$", "prod", false],
    ];
    for (const [selector, name, matches] of names) {
        it(`${selector} ${matches ? "matches" : "does not match"} ${name}`, () =>
            assert.equal(matchesStageName(selector, name), matches));
    }
    const labels = { tier: "prod", region: "eu" };
    const selectors: [Record<string, unknown>, boolean][] = [
        [{}, true],
        [{ matchLabels: { tier: "prod" } }, true],
        [{ matchLabels: { tier: "dev" } }, false],
        [{ matchExpressions: [{ key: "tier", operator: "In", values: ["prod", "dr"] }] }, true],
        [{ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["prod"] }] }, false],
        [{ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, true],
        [{ matchExpressions: [{ key: "zone", operator: "Exists" }] }, false],
    ];
    for (const [selector, matches] of selectors) {
        it(`label selector ${JSON.stringify(selector)} ${matches ? "matches" : "does not match"}`, () =>
            assert.equal(matchesLabelSelector(selector, labels), matches));
    }
    it("reads vars, keeping required ones without a value", () =>
        assert.deepEqual(
            readVars([
                { name: "a", value: "x" },
                { name: "b" },
                { value: "orphan" },
                { name: "n", value: 3 },
            ]),
            [
                ["a", "x"],
                ["b", undefined],
                ["n", "3"],
            ],
        ));
});

describe("policy lib: paths, URLs, quantities, kinds", () => {
    const paths: [string, string | undefined][] = [
        ["./repo/deploy/dev/app.yaml", "repo/deploy/dev/app.yaml"],
        ["repo//deploy/./x", "repo/deploy/x"],
        ["./repo/deploy/../chart", "repo/chart"],
        ["../outside", undefined],
        ["/etc/passwd", undefined],
    ];
    for (const [path, normalized] of paths) {
        it(`normalizes ${path}`, () => assert.equal(normalizeWorkspacePath(path), normalized));
    }
    const urls: [string, boolean][] = [
        ["https://github.com/acme/platform.git", true],
        ["http://github.com/acme/platform.git", false],
        ["git@github.com:acme/platform.git", false],
        ["ssh://git@github.com/acme/platform.git", false],
        ["https://", false],
    ];
    for (const [url, https] of urls) {
        it(`${url} ${https ? "is" : "is not"} an HTTPS git URL`, () => assert.equal(isHttpsUrl(url), https));
    }
    it("knows which config keys each step writes", () =>
        assert.deepEqual(
            ["yaml-update", "copy", "git-commit", "argocd-update", "my-custom-step"].map(findWriteKeys),
            [["path"], ["outPath"], [], [], ["path", "outPath"]],
        ));
    const quantities: [unknown, number | undefined][] = [
        ["512Mi", 512 * 2 ** 20],
        ["1Gi", 2 ** 30],
        ["1G", 1e9],
        ["1.5Gi", 1.5 * 2 ** 30],
        ["128974848", 128974848],
        ["129e6", 129e6],
        [1024, 1024],
        ["lots", undefined],
        ["-1Mi", undefined],
    ];
    for (const [value, bytes] of quantities) {
        it(`parses ${JSON.stringify(value)}`, () => assert.equal(parseMemory(value), bytes));
    }
    it("formats bytes as Mi", () =>
        assert.deepEqual([formatMemory(2 ** 30), formatMemory(1.5 * 2 ** 20)], ["1024Mi", "1.5Mi"]));
    const kinds: [string, Record<string, unknown>, ReturnType<typeof findKubeKind>][] = [
        ["kubernetes:kargo.akuity.io/v1alpha1:Stage", {}, { group: "kargo.akuity.io", kind: "Stage" }],
        ["kubernetes:core/v1:Secret", {}, { group: "core", kind: "Secret" }],
        ["kubernetes:helm.sh/v3:Release", {}, undefined],
        ["kubernetes:yaml/v2:ConfigGroup", {}, undefined],
        [
            "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy",
            { apiVersion: "v1", kind: "Secret" },
            undefined,
        ],
    ];
    for (const [type, props, expected] of kinds) {
        it(`classifies ${type}`, () => assert.deepEqual(findKubeKind(type, props), expected));
    }
});

describe("policy lib: plain values", () => {
    it("copies through the analyzer's proxy without touching unknowns", () => {
        const raw = { spec: { source: { targetRevision: unknown, repoURL: "oci://a" }, list: [1, unknown] } };
        // The analyzer's proxy throws on reading an unknown; descriptors see through it.
        const guard = (value: object): object =>
            new Proxy(value, {
                get(target, key) {
                    const field = (target as Record<string | symbol, unknown>)[key];
                    if (field === unknown) throw new Error(`read unknown ${String(key)}`);
                    return typeof field === "object" && field !== null ? guard(field) : field;
                },
            });
        assert.deepEqual(toPlain(guard(raw)), raw);
    });
    it("stops a path at an unknown value and returns it", () => {
        assert.equal(readPath({ spec: unknown }, "spec.source.targetRevision"), unknown);
        assert.equal(readPath({ spec: { list: ["a", "b"] } }, "spec.list.1"), "b");
        assert.equal(readPath({ spec: "text" }, "spec.source"), undefined);
    });
});

describe("policy lib: deploy files", () => {
    const stages: [string, string | undefined][] = [
        ["deploy/prod/monolith.yaml", "prod"],
        ["./deploy/dev/monolith.yaml", "dev"],
        ["deploy/monolith.yaml", "monolith.yaml"],
        ["other/prod/monolith.yaml", undefined],
        ["deploy", undefined],
    ];
    for (const [path, stage] of stages) {
        it(`stage of ${path}: ${String(stage)}`, () => assert.equal(findDeployStage(path, "deploy"), stage));
    }

    const sources: [string, unknown, boolean][] = [
        [
            "the deploy directory of a stage",
            { repoURL: "https://github.com/acme/platform.git", path: "deploy/prod" },
            true,
        ],
        [
            "the deploy directory itself",
            { repoURL: "https://github.com/acme/platform.git", path: "./deploy" },
            true,
        ],
        ["another directory", { repoURL: "https://github.com/acme/platform.git", path: "apps/prod" }, false],
        ["a chart", { repoURL: "ghcr.io/acme/charts", chart: "deploy", path: "deploy" }, false],
        ["no path", { repoURL: "https://github.com/acme/platform.git" }, false],
    ];
    for (const [name, source, expected] of sources) {
        it(`app-of-apps source: ${name} → ${expected}`, () =>
            assert.equal(isDeployFilesSource(source, "deploy"), expected));
    }

    it("reads the objects of a committed YAML file, and none of other files or unknown content", () => {
        const file = (name: string, content: string) => ({
            urn: `urn:${name}`,
            type: "github:index/repositoryFile:RepositoryFile",
            name,
            props: { file: name, content },
        });
        const [app] = findFileObjects(
            file(
                "deploy/prod/a.yaml",
                "# c\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a, namespace: argocd}\n",
            ),
        );
        assert.deepEqual(
            [app.group, app.kind, app.objectName, app.namespace, app.file, app.urn],
            ["argoproj.io", "Application", "a", "argocd", "deploy/prod/a.yaml", "urn:deploy/prod/a.yaml"],
        );
        assert.deepEqual(findFileObjects(file("README.md", "kind: Application")), []);
        assert.deepEqual(findFileObjects(file("deploy/values.yaml", "replicas: 2\n")), []);
        assert.deepEqual(findFileObjects(file("deploy/prod/a.yaml", unknown)), []);
    });
});

describe("policy lib: Kargo's argocd-update source matching (applyArgoCDSourceUpdate)", () => {
    const helm = { repoURL: "ghcr.io/acme/charts", chart: "monolith" };
    const cases: [string, Record<string, unknown>, Record<string, unknown>, boolean][] = [
        ["Helm source, same repoURL and chart", helm, helm, true],
        [
            "Helm source, the Warehouse's oci:// URL",
            { repoURL: "oci://ghcr.io/acme/charts/monolith" },
            helm,
            false,
        ],
        ["Helm source, no chart in the update", { repoURL: "ghcr.io/acme/charts" }, helm, false],
        [
            "git source, normalized URLs",
            { repoURL: "https://github.com/acme/Platform" },
            { repoURL: "https://github.com/acme/platform.git" },
            true,
        ],
        [
            "native OCI source, exact URL",
            { repoURL: "oci://ghcr.io/acme/charts/monolith" },
            { repoURL: "oci://ghcr.io/acme/charts/monolith" },
            true,
        ],
    ];
    for (const [name, update, source, expected] of cases) {
        it(`${name} → ${expected}`, () => assert.equal(matchesSourceUpdate(update, source), expected));
    }
});
