import assert from "node:assert/strict";
import { parseChartYaml, setChartVersion } from "../src/chart";
import { ChartReleaseError, EXIT } from "../src/errors";

describe("setChartVersion keeps every byte but the version value", () => {
    const table = [
        {
            name: "plain value with a trailing comment",
            before: "# top comment\napiVersion: v2\nname: a\nversion: 0.1.0 # bumped on main\n",
            after: "# top comment\napiVersion: v2\nname: a\nversion: 0.2.0 # bumped on main\n",
        },
        {
            name: "double-quoted value",
            before: 'name: a\nversion: "0.1.0"\nappVersion: "9"\n',
            after: 'name: a\nversion: "0.2.0"\nappVersion: "9"\n',
        },
        {
            name: "single-quoted value, CRLF line ends",
            before: "name: a\r\nversion: '0.1.0'\r\n",
            after: "name: a\r\nversion: '0.2.0'\r\n",
        },
        {
            name: "dependency versions and comments that mention version: stay",
            before: "name: a\n# version: 9.9.9\ndependencies:\n  - name: redis\n    version: 0.1.0\nversion: 0.1.0\n",
            after: "name: a\n# version: 9.9.9\ndependencies:\n  - name: redis\n    version: 0.1.0\nversion: 0.2.0\n",
        },
    ];
    for (const row of table) {
        it(row.name, () => {
            assert.equal(setChartVersion(row.before, "0.2.0"), row.after);
        });
    }
});

describe("parseChartYaml rejects a malformed Chart.yaml with the reason", () => {
    const table = [
        {
            name: "broken YAML",
            text: "name: a\nversion: [0.1.0\n",
            message: /chart\/Chart.yaml: malformed YAML/,
        },
        { name: "not a mapping", text: "- a\n- b\n", message: /top level must be a mapping/ },
        { name: "no name", text: "version: 0.1.0\n", message: /`name:` is missing/ },
        { name: "no version", text: "name: a\n", message: /`version:` is missing/ },
        {
            name: "version as a YAML number",
            text: "name: a\nversion: 1.2\n",
            message: /version 1.2 is not a SemVer 2 string/,
        },
        {
            name: "version not SemVer",
            text: "name: a\nversion: v1\n",
            message: /version "v1" is not a SemVer 2 string/,
        },
        {
            name: "duplicate key",
            text: "name: a\nversion: 0.1.0\nversion: 0.2.0\n",
            message: /malformed YAML: Map keys must be unique/,
        },
    ];
    for (const row of table) {
        it(row.name, () => {
            assert.throws(
                () => parseChartYaml(row.text, "chart/Chart.yaml"),
                (error: unknown) =>
                    error instanceof ChartReleaseError &&
                    error.exitCode === EXIT.invalidInput &&
                    row.message.test(error.message),
            );
        });
    }

    it("reads name, version and the other fields of a valid file", () => {
        const chart = parseChartYaml("apiVersion: v2\nname: a\nversion: 1.2.3-rc.1\n", "Chart.yaml");
        assert.deepEqual(chart, {
            name: "a",
            version: "1.2.3-rc.1",
            fields: { apiVersion: "v2", name: "a", version: "1.2.3-rc.1" },
        });
    });
});
