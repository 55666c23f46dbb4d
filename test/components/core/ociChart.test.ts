import { strict as assert } from "node:assert";
import { parseOciChartUrl, selectOciChartRef } from "../../../components/core/ociChart";

describe("core: the two spellings of one OCI chart", () => {
    const cases = [
        {
            url: "oci://ghcr.io/acme/charts/monolith",
            ref: {
                ociRepoURL: "oci://ghcr.io/acme/charts/monolith",
                helmRepoURL: "ghcr.io/acme/charts",
                chart: "monolith",
            },
        },
        {
            url: "oci://registry.local:5000/monolith-public",
            ref: {
                ociRepoURL: "oci://registry.local:5000/monolith-public",
                helmRepoURL: "registry.local:5000",
                chart: "monolith-public",
            },
        },
        { url: "ghcr.io/acme/charts/monolith", ref: undefined },
        { url: "oci://ghcr.io/acme/charts/monolith/", ref: undefined },
        { url: "oci://ghcr.io/acme/charts/monolith:1.0.0", ref: undefined },
        { url: "oci://ghcr.io", ref: undefined },
    ];
    for (const c of cases) {
        it(`${c.url} → ${c.ref ? `${c.ref.helmRepoURL} + ${c.ref.chart}` : "not an OCI chart URL"}`, () => {
            assert.deepEqual(parseOciChartUrl(c.url), c.ref);
        });
    }

    it("refuses, with the URL, what config validation should have refused", () => {
        assert.throws(
            () => selectOciChartRef("ghcr.io/acme/charts/monolith"),
            /^Error: ghcr.io\/acme\/charts\/monolith is not oci:\/\/<registry>\/<path>\/<chart> \(config validation should have said so\)$/,
        );
    });
});
