import { strict as assert } from "node:assert";
import { buildMutations, buildObjectCases, restoreSecretShapes } from "../../../offline/conformance/cases";

const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s", namespace: "ns", labels: { a: "b" } },
    stringData: "[secret]",
};
const stage = {
    apiVersion: "kargo.akuity.io/v1alpha1",
    kind: "Stage",
    metadata: { name: "dev", namespace: "p" },
    spec: { requestedFreight: [{ origin: { kind: "Warehouse", name: "w" }, sources: { direct: true } }] },
};

describe("conformance cases", () => {
    it("restores a whole-map secret placeholder to a map and leaves string placeholders alone", () => {
        assert.deepEqual(restoreSecretShapes(secret).stringData, { redacted: "[secret]" });
        const data = restoreSecretShapes({ ...secret, stringData: undefined, data: "[secret]" });
        assert.deepEqual(data.data, { redacted: "W3NlY3JldF0=" });
        const str = restoreSecretShapes({ ...secret, stringData: { token: "[secret]" } });
        assert.deepEqual(str.stringData, { token: "[secret]" });
    });

    it("mutates every leaf twice (delete, retype), adds one unknown field, never touches identity", () => {
        const labels = buildMutations(stage).map((m) => m.label);
        assert.deepEqual(labels, [
            "delete /spec/requestedFreight/0/origin/kind",
            "retype /spec/requestedFreight/0/origin/kind",
            "delete /spec/requestedFreight/0/origin/name",
            "retype /spec/requestedFreight/0/origin/name",
            "delete /spec/requestedFreight/0/sources/direct",
            "retype /spec/requestedFreight/0/sources/direct",
            "add /spec/conformanceUnknownField",
        ]);
    });

    const table: { label: string; at: (o: Record<string, unknown>) => unknown; want: unknown }[] = [
        {
            label: "retype /spec/requestedFreight/0/sources/direct",
            at: (o) => (o.spec as typeof stage.spec).requestedFreight[0].sources.direct,
            want: "yes",
        },
        {
            label: "retype /spec/requestedFreight/0/origin/name",
            at: (o) => (o.spec as typeof stage.spec).requestedFreight[0].origin.name,
            want: 7,
        },
        {
            label: "delete /spec/requestedFreight/0/origin/kind",
            at: (o) => "kind" in (o.spec as typeof stage.spec).requestedFreight[0].origin,
            want: false,
        },
        {
            label: "add /spec/conformanceUnknownField",
            at: (o) => (o.spec as Record<string, unknown>).conformanceUnknownField,
            want: "x",
        },
    ];
    for (const t of table) {
        it(`${t.label} changes that one field`, () => {
            const m = buildMutations(stage).find((x) => x.label === t.label);
            assert.ok(m, t.label);
            assert.deepEqual(t.at(m.object), t.want);
            assert.equal(stage.spec.requestedFreight[0].origin.name, "w", "the original is not changed");
        });
    }

    it("deletes an array item rather than leaving a hole", () => {
        const m = buildMutations({ kind: "X", metadata: { name: "x" }, spec: { list: ["a", "b"] } }).find(
            (x) => x.label === "delete /spec/list/0",
        );
        assert.deepEqual((m?.object.spec as { list: string[] }).list, ["b"]);
    });

    it("names cases by source and object, drops duplicates, mutates only where asked", () => {
        const cases = buildObjectCases([
            { label: "dev", objects: [stage], mutate: false },
            { label: "prod", objects: [stage, secret], mutate: false },
        ]);
        assert.deepEqual(
            cases.map((c) => c.id),
            ["dev: Stage p/dev", "prod: Secret ns/s"],
        );
        const mutated = buildObjectCases([{ label: "dev", objects: [stage], mutate: true }]);
        assert.equal(mutated.length, 1 + buildMutations(stage).length);
        assert.ok(mutated.some((c) => c.id === "dev: Stage p/dev [add /spec/conformanceUnknownField]"));
    });
});
