import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
    CONFIG_REFERENCE_PATH,
    describeType,
    listRows,
    renderConfigReference,
} from "../../../offline/docs/configReference";

const ROOT = join(__dirname, "..", "..", "..");

describe("docs/config-reference.md (generated from the schema)", () => {
    it("is exactly what `npm run gen:docs` writes from the current schema", () => {
        assert.ok(
            readFileSync(join(ROOT, CONFIG_REFERENCE_PATH), "utf8") === renderConfigReference(),
            `${CONFIG_REFERENCE_PATH} is stale: run npm run gen:docs`,
        );
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
                        properties: { mode: { const: "a" }, a: { type: "string", description: "only in a" } },
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
                    },
                ],
            },
            "s",
        );
        assert.deepEqual(
            rows.map((r) => [r.key, r.type, r.default, r.description]),
            [
                ["s", "object", undefined, ""],
                ["s.mode", '"a"', undefined, ""],
                ["s.a", "string", undefined, "only in a"],
                ["s.list", "object[]", undefined, ""],
                ["s.list[].x", "number", 1, ""],
            ],
        );
    });
});
