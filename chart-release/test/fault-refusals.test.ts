import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { EXIT } from "../src/errors";
import { buildHelmArtifact } from "../src/oci";
import { runCli } from "./helpers/cli";
import { CHART_YAML, makeTempDir, type GitFixture } from "./helpers/git-fixture";
import { gitIn } from "./helpers/origin";
import {
    ensureRegistry,
    readRegistryStorage,
    startReadOnlyRegistry,
    startTokenRegistry,
    TEST_CREDENTIALS,
} from "./helpers/registry";
import { setupReleaseCase, type ReleaseCase } from "./helpers/release-setup";
import { startTokenServer } from "./helpers/token-server";

/**
 * The fault-injection suite's other half (issue 19): where fault.test.ts kills a release at every phase, this
 * one gives it every input the registry or git would refuse after the push, and checks that the release
 * refuses before it: nothing committed, tagged or pushed, nothing published, the clone as it was, and the
 * dry run ending exactly as --push does.
 */

/** An HTTP server that is no registry: it answers every request with `status` and `body`. */
async function startPlainServer(
    status: number,
    body: string,
): Promise<{ address: string; stop(): Promise<void> }> {
    const server: Server = createServer((request, response) => {
        request.resume();
        response.writeHead(status, { "content-type": "text/html" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        address: `127.0.0.1:${port}`,
        stop: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

interface Arranged {
    /** --registry instead of the case's own namespace on the loopback registry. */
    registry?: string;
    env?: NodeJS.ProcessEnv;
    /** Release tags that exist before the run (and so after it). */
    localTags?: string[];
    originTags?: string[];
    /** Registry tags the arrangement published on purpose. */
    published?: string[];
    stop?: () => Promise<void> | void;
}

interface Refusal {
    name: string;
    arrange(s: ReleaseCase, work: GitFixture, dir: string, address: string): Promise<Arranged> | Arranged;
    code: number;
    message: RegExp;
}

/** Commit a change on the clone and push it to origin's main, as a merged PR. */
function merge(work: GitFixture, message: string, files: Record<string, string>): void {
    for (const [file, text] of Object.entries(files)) work.write(file, text);
    work.commitAll(message);
    work.git("push", "--quiet", "origin", "HEAD:main");
}

/** Chart.yaml as origin has it (version 0.1.0, setupReleaseCase). */
const ORIGIN_CHART_YAML = CHART_YAML.replace('"0.0.0"', '"0.1.0"');
const chartNamed = (name: string) => ORIGIN_CHART_YAML.replace("name: mychart", `name: ${name}`);

const REFUSALS: Refusal[] = [
    {
        name: "a host that answers 404 to everything (item 1)",
        arrange: async () => {
            const server = await startPlainServer(404, "not found");
            return { registry: `oci://${server.address}/charts`, stop: server.stop };
        },
        code: EXIT.registry,
        message: /GET \/v2\/ answered HTTP 404, where an OCI registry answers 200 .* is not an OCI registry/,
    },
    {
        name: "a web server that answers 200 with a page to everything (item 1)",
        arrange: async () => {
            const server = await startPlainServer(200, "<html>welcome</html>");
            return { registry: `oci://${server.address}/charts`, stop: server.stop };
        },
        code: EXIT.registry,
        message: /list tags of charts\/mychart: the answer is not an OCI tag list .*not an OCI registry/,
    },
    ...["Upper_Case", "my chart", "chart-", "a..b"].map((name): Refusal => ({
        name: `a chart name the registry refuses: ${JSON.stringify(name)} (items 2, 8)`,
        arrange: (_s, work) => {
            merge(work, "fix: rename the chart", { "chart/Chart.yaml": chartNamed(JSON.stringify(name)) });
            return {};
        },
        code: EXIT.invalidInput,
        message: new RegExp(
            `chart/Chart.yaml: chart name ${JSON.stringify(JSON.stringify(name)).slice(1, -1).replace(/\./g, "\\.")} cannot be an OCI repository name`,
        ),
    })),
    {
        name: "a --registry path the OCI spec refuses (upper case)",
        arrange: (_s, _w, _d, address) => ({ registry: `oci://${address}/Charts` }),
        code: EXIT.usage,
        message: /--registry oci:\/\/.*\/Charts: the path "Charts" is not an OCI repository path/,
    },
    {
        name: "credentials that can read but not push (token auth, item 3)",
        arrange: async (_s, _w, dir) => {
            const tokens = await startTokenServer(dir, TEST_CREDENTIALS, true);
            const registry = await startTokenRegistry(dir, tokens);
            return {
                registry: `oci://${registry.address}/charts`,
                env: {
                    CHART_RELEASE_REGISTRY_USERNAME: TEST_CREDENTIALS.username,
                    CHART_RELEASE_REGISTRY_PASSWORD: TEST_CREDENTIALS.password,
                },
                stop: async () => {
                    registry.stop();
                    await tokens.close();
                },
            };
        },
        code: EXIT.registry,
        message:
            /check that the credentials may push to charts\/mychart: opening an upload session answered HTTP 401 .*can read but not push there/,
    },
    {
        name: "a registry that takes no uploads (read-only, item 3)",
        arrange: async (s, _w, dir) => {
            const readOnly = await startReadOnlyRegistry(readRegistryStorage(), dir);
            return {
                registry: `oci://${readOnly.address}/${s.repository.split("/")[0]}`,
                stop: readOnly.stop,
            };
        },
        code: EXIT.registry,
        message: /opening an upload session answered HTTP 405 .*the registry takes no uploads/,
    },
    {
        name: "a registry user name without its password",
        arrange: () => ({
            env: { CHART_RELEASE_REGISTRY_USERNAME: "someone", CHART_RELEASE_REGISTRY_PASSWORD: "" },
        }),
        code: EXIT.usage,
        message:
            /CHART_RELEASE_REGISTRY_USERNAME is set but CHART_RELEASE_REGISTRY_PASSWORD is empty or unset/,
    },
    {
        name: "a registry that already holds a newer version (item 15)",
        arrange: async (s) => {
            const artifact = buildHelmArtifact(
                { name: "mychart", version: "0.5.0" },
                new Uint8Array([0x1f, 0x8b]),
                "2026-01-01T00:00:00Z",
            );
            await s.registry.pushArtifact(s.repository, "0.5.0", artifact);
            return { published: ["0.5.0"] };
        },
        code: EXIT.versionExists,
        message:
            /mychart 0.2.0 would be published below 0.5.0, which .* already holds: Kargo's Warehouse takes the newest version.*pass --allow-older/,
    },
    {
        name: "two chart folders with the same name (item 14)",
        arrange: (_s, work) => {
            merge(work, "feat: a copy", { "charts/copy/Chart.yaml": CHART_YAML });
            return {};
        },
        code: EXIT.invalidInput,
        message:
            /2 chart folders are named mychart \(chart, charts\/copy\): they would publish into one OCI repository/,
    },
    {
        name: "a dependency only helm dependency build would fetch (gitignored charts/*.tgz, item 17)",
        arrange: (_s, work) => {
            const text = ORIGIN_CHART_YAML.replace(
                "dependencies:\n",
                "dependencies:\n  - name: postgresql\n    version: 15.0.0\n    repository: oci://registry-1.docker.io/bitnamicharts\n",
            );
            merge(work, "feat: add postgresql", {
                "chart/Chart.yaml": text,
                "chart/.gitignore": "charts/*.tgz\n",
            });
            return {};
        },
        code: EXIT.invalidInput,
        message:
            /chart\/Chart.yaml: dependencies postgresql are declared but not in chart\/charts\/ of the commit/,
    },
    {
        name: "a file:// dependency outside the chart folder (item 17)",
        arrange: (_s, work) => {
            const text = ORIGIN_CHART_YAML.replace(
                "dependencies:\n",
                "dependencies:\n  - name: common\n    version: 0.1.0\n    repository: file://../common\n",
            );
            merge(work, "feat: use common", {
                "chart/Chart.yaml": text,
                "common/Chart.yaml": "apiVersion: v2\nname: common\nversion: 0.1.0\n",
            });
            return {};
        },
        code: EXIT.invalidInput,
        message: /dependencies common are declared but not in chart\/charts\//,
    },
    {
        name: "a leftover local release tag (item 18: the dry run says it too)",
        arrange: (_s, work) => {
            work.git("tag", "mychart-0.2.0");
            return { localTags: ["mychart-0.2.0"] };
        },
        code: EXIT.versionExists,
        message: /tag mychart-0.2.0 already exists in this clone .*git tag -d mychart-0.2.0/,
    },
    {
        name: "a stray release tag on the remote (item 18, and how to remove it)",
        arrange: (_s, work) => {
            work.git("tag", "-a", "-m", "stray", "mychart-0.2.0", "HEAD~1");
            work.git("push", "--quiet", "origin", "refs/tags/mychart-0.2.0");
            work.git("tag", "-d", "mychart-0.2.0");
            return { originTags: ["mychart-0.2.0"] };
        },
        code: EXIT.versionExists,
        message:
            /tag mychart-0.2.0 already exists on origin .*delete it: git push origin :refs\/tags\/mychart-0.2.0/,
    },
    {
        name: "HEAD on a feature branch (item 18)",
        arrange: (_s, work) => {
            work.git("checkout", "--quiet", "-b", "feature");
            return {};
        },
        code: EXIT.notReleaseBranch,
        message: /release --push runs on main, but HEAD is on branch feature/,
    },
];

describe("fault injection: every refusal comes before git changes, dry run as --push (real git, real registry)", function () {
    this.timeout(240_000);
    let root: string;
    let address: string;
    before(async () => {
        address = await ensureRegistry();
        root = makeTempDir("refusals");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    for (const [index, refusal] of REFUSALS.entries()) {
        it(`${refusal.name}: exit ${refusal.code}, nothing committed, tagged or published`, async () => {
            const s = setupReleaseCase(root, `refusal-${index}`, address);
            const work = s.clone("work");
            work.commit("fix: merged before the release", ["chart/values.yaml"]);
            work.commit("feat: merged too", ["chart/templates/f.yaml"]);
            work.git("push", "--quiet", "origin", "HEAD:main");
            const dir = path.join(root, `refusal-${index}`);
            const arranged = await refusal.arrange(s, work, dir, address);
            const before = { main: gitIn(s.origin, "rev-parse", "main"), head: work.head() };
            const args = [...s.args];
            if (arranged.registry !== undefined) args[2] = arranged.registry;
            try {
                for (const mode of [[], ["--push"]]) {
                    const result = await runCli([...args, ...mode], work.dir, arranged.env);
                    const what = `${mode.length > 0 ? "--push" : "dry run"}: ${result.stderr}`;
                    assert.equal(result.code, refusal.code, what);
                    assert.match(result.stderr, refusal.message, what);
                    assert.doesNotMatch(result.stdout, /released|would release/);
                    assert.doesNotMatch(result.stderr, /\n\s+at |internal error/);
                    // Nothing committed, tagged or pushed; the clone exactly as it was.
                    assert.equal(gitIn(s.origin, "rev-parse", "main"), before.main);
                    assert.deepEqual(
                        gitIn(s.origin, "tag", "--list").split("\n").filter(Boolean),
                        arranged.originTags ?? [],
                    );
                    assert.equal(work.head(), before.head);
                    assert.equal(work.git("status", "--porcelain"), "");
                    assert.deepEqual(
                        work.git("tag", "--list").split("\n").filter(Boolean),
                        arranged.localTags ?? [],
                    );
                    // Nothing published.
                    assert.deepEqual(await s.registry.listTags(s.repository), arranged.published ?? []);
                }
            } finally {
                await arranged.stop?.();
            }
        });
    }

    it("--allow-older publishes below a newer registry version on purpose (a hotfix line)", async () => {
        const s = setupReleaseCase(root, "allow-older", address);
        const work = s.clone("work");
        work.commit("fix: hotfix", ["chart/values.yaml"]);
        work.git("push", "--quiet", "origin", "HEAD:main");
        const artifact = buildHelmArtifact(
            { name: "mychart", version: "0.5.0" },
            new Uint8Array([0x1f, 0x8b]),
            "2026-01-01T00:00:00Z",
        );
        await s.registry.pushArtifact(s.repository, "0.5.0", artifact);
        const result = await runCli([...s.args, "--push", "--allow-older"], work.dir);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /released mychart 0.1.1/);
        assert.deepEqual((await s.registry.listTags(s.repository)).sort(), ["0.1.1", "0.5.0"]);
    });
});
