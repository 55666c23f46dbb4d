/**
 * Labels and annotations as the API server judges them on every object (apimachinery v0.34.3
 * ValidateLabels, ValidateAnnotations, IsQualifiedName, IsValidLabelValue): on a built-in kind, on a
 * custom resource whose CRD leaves metadata open, and in a pod template.
 */
import { strict as assert } from "node:assert";
import type { BuiltinSchemas } from "../../../offline/schemas/builtins";
import { ANNOTATIONS_SIZE_LIMIT, validateObjectMeta } from "../../../offline/schemas/objectMeta";
import type { SchemaRegistry } from "../../../offline/schemas/validate";
import { loadBuiltins, loadRegistry } from "../../support/registry";

type Obj = Record<string, unknown>;

const configMap = (metadata: Obj): Obj => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "c", namespace: "p", ...metadata },
});
const stage = (metadata: Obj): Obj => ({
    apiVersion: "kargo.akuity.io/v1alpha1",
    kind: "Stage",
    metadata: { name: "dev", namespace: "p", ...metadata },
    spec: { requestedFreight: [{ origin: { kind: "Warehouse", name: "w" }, sources: { direct: true } }] },
});

const LONG = "a".repeat(64);

/** [what, metadata, path, message, a close accepted metadata] */
const CASES: readonly (readonly [string, Obj, string, string, Obj])[] = [
    [
        "a label value that is a number",
        { labels: { team: 7 } },
        "/metadata/labels/team",
        "must be string",
        { labels: { team: "7" } },
    ],
    [
        "an annotation value that is a boolean",
        { annotations: { "example.com/on": true } },
        "/metadata/annotations/example.com~1on",
        "must be string",
        { annotations: { "example.com/on": "true" } },
    ],
    [
        "labels that are a list",
        { labels: ["team"] },
        "/metadata/labels",
        "must be object",
        { labels: { team: "a" } },
    ],
    [
        "a label key with a space",
        { labels: { "my team": "a" } },
        "/metadata/labels/my team",
        `label key "my team" is not a qualified name: name part "my team": letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
        { labels: { "my-team": "a" } },
    ],
    [
        "a label key whose name part is 64 characters",
        { labels: { [LONG]: "a" } },
        `/metadata/labels/${LONG}`,
        `label key "${LONG}" is not a qualified name: name part is 64 characters; at most 63`,
        { labels: { [LONG.slice(1)]: "a" } },
    ],
    [
        "a label key with an upper-case prefix",
        { labels: { "Example.com/team": "a" } },
        "/metadata/labels/Example.com~1team",
        `label key "Example.com/team" is not a qualified name: prefix part "Example.com": not a DNS-1123 subdomain (DNS-1123 labels joined by '.')`,
        { labels: { "example.com/team": "a" } },
    ],
    [
        "a label key with an empty prefix",
        { labels: { "/team": "a" } },
        "/metadata/labels/~1team",
        `label key "/team" is not a qualified name: prefix part must be non-empty`,
        { labels: { team: "a" } },
    ],
    [
        "a label key with an empty name part",
        { labels: { "example.com/": "a" } },
        "/metadata/labels/example.com~1",
        `label key "example.com/" is not a qualified name: name part must be non-empty`,
        { labels: { "example.com/x": "a" } },
    ],
    [
        "a label key with two slashes",
        { labels: { "a/b/c": "a" } },
        "/metadata/labels/a~1b~1c",
        `label key "a/b/c" is not a qualified name: has more than one '/' (a qualified name is an optional DNS subdomain prefix, '/', and a name)`,
        { labels: { "a/b-c": "a" } },
    ],
    [
        "a label value with a slash",
        { labels: { team: "a/b" } },
        "/metadata/labels/team",
        `label value "a/b" is not valid: not a label value (letters, digits, '-', '_', '.') (empty, or starting and ending with a letter or digit)`,
        { labels: { team: "a-b" } },
    ],
    [
        "a label value of 64 characters",
        { labels: { team: LONG } },
        "/metadata/labels/team",
        `label value "${LONG}" is not valid: 64 characters; a label value (letters, digits, '-', '_', '.') has at most 63 (empty, or starting and ending with a letter or digit)`,
        { labels: { team: "" } },
    ],
    [
        "an annotation key with a colon",
        { annotations: { "example.com/a:b": "x" } },
        "/metadata/annotations/example.com~1a:b",
        `annotation key "example.com/a:b" is not a qualified name: name part "a:b": letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
        // Annotation keys are judged lower-cased: an upper-case prefix is fine there.
        { annotations: { "Example.com/a-b": "x" } },
    ],
    [
        "annotations over 256 KiB",
        { annotations: { big: "x".repeat(ANNOTATIONS_SIZE_LIMIT) } },
        "/metadata/annotations",
        `annotations total ${ANNOTATIONS_SIZE_LIMIT + 3} bytes (keys and values); at most ${ANNOTATIONS_SIZE_LIMIT}`,
        { annotations: { big: "x".repeat(ANNOTATIONS_SIZE_LIMIT - 3) } },
    ],
];

describe("labels and annotations (apimachinery ValidateLabels / ValidateAnnotations)", () => {
    let registry: SchemaRegistry;
    let builtins: BuiltinSchemas;
    before(async () => {
        registry = await loadRegistry();
        builtins = await loadBuiltins();
    });

    for (const [what, metadata, path, message, accepted] of CASES) {
        it(`refuses ${what} alone, accepts the fixed one`, () => {
            assert.deepEqual(validateObjectMeta(configMap(metadata)), [{ path, message }]);
            assert.deepEqual(validateObjectMeta(configMap(accepted)), []);
        });
    }

    it("judges a custom resource's metadata, which its CRD leaves open", () => {
        const [what, metadata, path, message, accepted] = CASES[0];
        const issues = registry.validateObject(stage(metadata) as never);
        assert.deepEqual(
            issues.map((i) => `${i.path}: ${i.message}`),
            [`${path}: ${message}`],
            what,
        );
        assert.deepEqual(registry.validateObject(stage(accepted) as never), []);
        const key = CASES[3];
        assert.deepEqual(
            registry.validateObject(stage(key[1]) as never).map((i) => i.message),
            [key[3]],
        );
    });

    it("judges a built-in kind's metadata and reports a wrong type once", () => {
        for (const [, metadata, path, message, accepted] of CASES) {
            const issues = builtins.validateObject(configMap(metadata));
            assert.deepEqual(
                issues.map((i) => `${i.path}: ${i.message}`),
                [`${path}: ${message}`],
            );
            assert.deepEqual(builtins.validateObject(configMap(accepted)), []);
        }
    });

    it("judges a pod template's labels as ValidatePodTemplateSpec does", () => {
        const job = {
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: { name: "j", namespace: "p" },
            spec: {
                template: {
                    metadata: { labels: { "bad key": "x" } },
                    spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox:1.37" }] },
                },
            },
        };
        assert.deepEqual(
            builtins.validateObject(job).map((i) => i.path),
            ["/spec/template/metadata/labels/bad key"],
        );
    });
});
