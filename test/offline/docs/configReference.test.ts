import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { stackConfigSchema } from "../../../components/config";
import {
    CONFIG_REFERENCE_PATH,
    describeType,
    listRows,
    renderConfigReference,
} from "../../../offline/docs/configReference";

const ROOT = join(__dirname, "..", "..", "..");

describe("docs/config-reference.md (generated from the schema)", () => {
    it("is exactly what `npm run gen:docs` writes from the current schema", () => {
        const written = readFileSync(join(ROOT, CONFIG_REFERENCE_PATH), "utf8");
        const rendered = renderConfigReference();
        const stale = written
            .split("\n")
            .filter((line) => !rendered.split("\n").includes(line))
            .slice(0, 5);
        assert.ok(
            written === rendered,
            `${CONFIG_REFERENCE_PATH} is stale: run npm run gen:docs (first lines that differ: ${stale.join(" / ")})`,
        );
    });

    it("is the same text every time it is rendered", () => {
        assert.equal(renderConfigReference(), renderConfigReference());
    });

    it("describes every key the stack reads: a new key needs its .describe()", () => {
        const root = z.toJSONSchema(stackConfigSchema, { io: "input", unrepresentable: "any" });
        const sections = Object.entries((root as { properties: Record<string, object> }).properties);
        const undescribed = sections.flatMap(([name, schema]) =>
            listRows(schema, name)
                .filter((row) => row.description === "")
                .map((row) => row.key),
        );
        assert.deepEqual(undescribed, []);
    });

    it("lists every section of the schema, the new ones included", () => {
        const text = renderConfigReference();
        for (const key of [
            "pipeline.mode",
            "pipeline.devCharts",
            "chartRelease.githubApp.appId",
            "registryCredential.enabled",
            "kargo.ingressTls.clusterIssuer",
            "webhook.receiver",
            "protect",
        ]) {
            assert.ok(text.includes(`| \`${key}\` |`), key);
        }
        assert.match(text, /\| `pipeline\.mode` \| "bump-only" \\\| "prod-only" \\\| "full" \|/);
    });

    const types: { schema: object; type: string }[] = [
        { schema: { type: "string", enum: ["a", "b"] }, type: '"a" | "b"' },
        {
            schema: { anyOf: [{ const: "all" }, { type: "array", items: { type: "string" } }] },
            type: '"all" | string[]',
        },
        { schema: { type: "object", additionalProperties: { type: "string" } }, type: "map of string" },
        { schema: { type: "integer" }, type: "integer" },
    ];
    for (const t of types) {
        it(`writes the type ${t.type}`, () => assert.equal(describeType(t.schema), t.type));
    }

    it("lists nested keys with their defaults, list items as key[], and the modes of a union together", () => {
        const rows = listRows(
            {
                type: "object",
                oneOf: [
                    {
                        type: "object",
                        properties: {
                            mode: { const: "a", default: "a" },
                            a: { type: "string", description: "only in a" },
                        },
                        required: ["mode", "a"],
                    },
                    {
                        type: "object",
                        properties: {
                            mode: { const: "b" },
                            list: {
                                type: "array",
                                items: { type: "object", properties: { x: { type: "number", default: 1 } } },
                            },
                        },
                        required: ["mode"],
                    },
                ],
            },
            "s",
        );
        assert.deepEqual(
            rows.map((r) => [r.key, r.type, r.default, r.required, r.requiredIn, r.description]),
            [
                ["s", "object", undefined, false, undefined, ""],
                ["s.mode", '"a" | "b"', "a", false, undefined, ""],
                ["s.a", "string", undefined, false, ["mode: a"], "only in a"],
                ["s.list", "object[]", undefined, false, undefined, ""],
                ["s.list[].x", "number", 1, false, undefined, ""],
            ],
        );
    });

    it("documents an object given a whole default (requests and limits) as one row", () => {
        const rows = listRows(
            {
                type: "object",
                properties: {
                    resources: {
                        type: "object",
                        default: { requests: { memory: "64Mi" } },
                        properties: { requests: { type: "object" } },
                    },
                },
            },
            "s",
        );
        assert.deepEqual(
            rows.map((r) => r.key),
            ["s", "s.resources"],
        );
    });
});
