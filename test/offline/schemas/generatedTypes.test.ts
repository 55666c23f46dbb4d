import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CRD_SOURCES } from "../../../offline/schemas/crdSources";
import { resolveCrdDir } from "../../../offline/schemas/crds";
import {
    GENERATED_DIR,
    GENERATED_KINDS,
    buildObjectSchema,
    generateTypes,
    indent,
    toJsonSchema,
} from "../../../offline/schemas/generateTypes";

const DIR = resolve(__dirname, "..", "..", "..", GENERATED_DIR);

describe("types generated from the pinned CRDs", () => {
    it("the committed components/core/generated/ is exactly a fresh `npm run gen:types`", async function () {
        this.timeout(120_000);
        const fresh = await generateTypes(await resolveCrdDir());
        const committed = readdirSync(DIR).sort();
        assert.deepEqual(
            committed,
            [...fresh.keys()].sort(),
            `files in ${GENERATED_DIR}; run npm run gen:types`,
        );
        for (const [name, text] of fresh) {
            assert.ok(
                readFileSync(join(DIR, name), "utf8") === text,
                `${GENERATED_DIR}/${name} differs from its pinned CRD: run npm run gen:types`,
            );
        }
    });

    it("every generated kind comes from a pinned source, named with its sha256 in the header", () => {
        for (const entry of GENERATED_KINDS) {
            const source = CRD_SOURCES.find((s) => s.path === entry.source);
            assert.ok(source, `${entry.kind}: ${entry.source} is not in crdSources.ts`);
            const text = readFileSync(join(DIR, entry.file), "utf8");
            assert.ok(text.includes(`${entry.source}, sha256 ${source.sha256}`), `${entry.file} header`);
        }
    });

    const cases: { name: string; schema: unknown; expected: unknown }[] = [
        {
            name: "int-or-string becomes integer | string",
            schema: { type: "object", properties: { port: { "x-kubernetes-int-or-string": true } } },
            expected: {
                type: "object",
                properties: {
                    port: {
                        "x-kubernetes-int-or-string": true,
                        anyOf: [{ type: "integer" }, { type: "string" }],
                    },
                },
            },
        },
        {
            name: "preserve-unknown-fields allows any key",
            schema: {
                type: "array",
                items: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            },
            expected: {
                type: "array",
                items: {
                    type: "object",
                    "x-kubernetes-preserve-unknown-fields": true,
                    additionalProperties: true,
                },
            },
        },
    ];
    for (const c of cases) {
        it(`Kubernetes extensions: ${c.name}`, () => assert.deepEqual(toJsonSchema(c.schema), c.expected));
    }

    it("fixes apiVersion, kind and metadata, drops status, and names the spec", () => {
        const schema = buildObjectSchema("Thing", "example.com/v1", {
            properties: { apiVersion: {}, kind: {}, metadata: {}, spec: { type: "object" }, status: {} },
            required: ["spec"],
        }) as { properties: Record<string, unknown>; required: string[] };
        assert.deepEqual(Object.keys(schema.properties), ["apiVersion", "kind", "metadata", "spec"]);
        assert.deepEqual(schema.properties.kind, { tsType: '"Thing"' });
        assert.deepEqual(schema.properties.spec, { type: "object", title: "ThingSpec" });
        assert.deepEqual(schema.required, ["apiVersion", "kind", "metadata", "spec"]);
    });

    it("indents by nesting depth, comments included", () => {
        assert.equal(
            indent("export interface A {\n/**\n * doc\n */\nb?: {\nc: string\n}[]\n}\n"),
            "export interface A {\n    /**\n     * doc\n     */\n    b?: {\n        c: string\n    }[]\n}\n",
        );
    });
});
