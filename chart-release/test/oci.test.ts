import assert from "node:assert/strict";
import { ChartReleaseError, EXIT } from "../src/errors";
import {
    buildHelmArtifact,
    computeDigest,
    computeRepository,
    parseAuthChallenge,
    parseNextLink,
    parseRegistryRef,
    readCredentials,
    toOciTag,
} from "../src/oci";
import { classifyPushFailure, computeBackoffMs, formatReleaseMessage, formatReleaseTag } from "../src/sync";

describe("OCI helpers", () => {
    const refs = [
        {
            url: "oci://ghcr.io/acme/charts",
            host: "ghcr.io",
            namespace: "acme/charts",
            repo: "acme/charts/mychart",
        },
        { url: "oci://127.0.0.1:5055/t", host: "127.0.0.1:5055", namespace: "t", repo: "t/mychart" },
        { url: "oci://registry.local", host: "registry.local", namespace: "", repo: "mychart" },
    ];
    for (const row of refs) {
        it(`parses ${row.url}`, () => {
            const ref = parseRegistryRef(row.url);
            assert.deepEqual(ref, { host: row.host, namespace: row.namespace });
            assert.equal(computeRepository(ref, "mychart"), row.repo);
        });
    }

    it("writes SemVer build metadata the way Helm does in OCI tags", () => {
        assert.equal(toOciTag("1.2.3+build.7"), "1.2.3_build.7");
        assert.equal(toOciTag("1.2.3-rc.1"), "1.2.3-rc.1");
    });

    it("reads auth challenges and pagination links", () => {
        assert.deepEqual(
            parseAuthChallenge(
                'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull"',
            ),
            {
                scheme: "bearer",
                params: { realm: "https://ghcr.io/token", service: "ghcr.io", scope: "repository:a/b:pull" },
            },
        );
        assert.deepEqual(parseAuthChallenge('Basic realm="Registry"'), {
            scheme: "basic",
            params: { realm: "Registry" },
        });
        assert.equal(parseNextLink('</v2/a/tags/list?n=2&last=b>; rel="next"'), "/v2/a/tags/list?n=2&last=b");
        assert.equal(parseNextLink(null), null);
        assert.deepEqual(
            readCredentials({ CHART_RELEASE_REGISTRY_USERNAME: "u", CHART_RELEASE_REGISTRY_PASSWORD: "p" }),
            {
                username: "u",
                password: "p",
            },
        );
        assert.equal(readCredentials({}), undefined);
        assert.equal(
            readCredentials({ CHART_RELEASE_REGISTRY_USERNAME: "", CHART_RELEASE_REGISTRY_PASSWORD: "" }),
            undefined,
        );
    });

    const halves: [NodeJS.ProcessEnv, RegExp][] = [
        [
            { CHART_RELEASE_REGISTRY_USERNAME: "u" },
            /^CHART_RELEASE_REGISTRY_USERNAME is set but CHART_RELEASE_REGISTRY_PASSWORD is empty or unset/,
        ],
        [
            { CHART_RELEASE_REGISTRY_USERNAME: "u", CHART_RELEASE_REGISTRY_PASSWORD: "" },
            /^CHART_RELEASE_REGISTRY_USERNAME is set but CHART_RELEASE_REGISTRY_PASSWORD is empty or unset/,
        ],
        [
            { CHART_RELEASE_REGISTRY_PASSWORD: "p" },
            /^CHART_RELEASE_REGISTRY_PASSWORD is set but CHART_RELEASE_REGISTRY_USERNAME is empty or unset/,
        ],
    ];
    for (const [env, message] of halves) {
        it(`credentials ${JSON.stringify(env)}: a usage error naming the missing variable`, () => {
            assert.throws(
                () => readCredentials(env),
                (error: unknown) =>
                    error instanceof ChartReleaseError &&
                    error.exitCode === EXIT.usage &&
                    message.test(error.message),
            );
        });
    }

    it("keeps the registry helpers' other answers", () => {});

    it("builds the same manifest for the same chart, naming its blobs by digest", () => {
        const layer = new TextEncoder().encode("archive");
        const a = buildHelmArtifact({ name: "c", version: "1.0.0" }, layer, "2026-01-01T00:00:00Z");
        const b = buildHelmArtifact({ name: "c", version: "1.0.0" }, layer, "2026-01-01T00:00:00Z");
        assert.equal(a.manifestDigest, b.manifestDigest);
        const manifest = JSON.parse(new TextDecoder().decode(a.manifest)) as {
            config: { digest: string; size: number };
            layers: { digest: string }[];
            annotations: Record<string, string>;
        };
        assert.equal(manifest.config.digest, computeDigest(a.config));
        assert.equal(manifest.config.size, a.config.byteLength);
        assert.equal(manifest.layers[0].digest, computeDigest(layer));
        assert.equal(manifest.annotations["org.opencontainers.image.version"], "1.0.0");
    });
});

describe("release bookkeeping", () => {
    it("tells a lost race from a tag that already exists and from other failures", () => {
        const table = [
            { stderr: " ! [rejected]        HEAD -> main (fetch first)", kind: "lost-race" },
            { stderr: " ! [rejected]        HEAD -> main (non-fast-forward)", kind: "lost-race" },
            {
                stderr: " ! [remote rejected] HEAD -> main (cannot lock ref 'refs/heads/main': is at 1 but expected 2)",
                kind: "lost-race",
            },
            {
                stderr: "!\trefs/tags/c-1.0.0:refs/tags/c-1.0.0\t[rejected] (already exists)",
                kind: "tag-exists",
            },
            { stderr: " ! [remote rejected] HEAD -> main (pre-receive hook declined)", kind: "other" },
            { stderr: "fatal: Authentication failed", kind: "other" },
        ];
        for (const row of table) assert.equal(classifyPushFailure(row.stderr), row.kind, row.stderr);
    });

    it("backs off with full jitter, doubling per attempt, capped at 15 s", () => {
        assert.equal(computeBackoffMs(1, 500, 0.5), 250);
        assert.equal(computeBackoffMs(3, 500, 0.5), 1000);
        assert.equal(computeBackoffMs(20, 500, 0.999), 14985);
        assert.equal(computeBackoffMs(4, 500, 0), 0);
    });

    it("marks the release commit so CI does not loop, and tags <chart>-<version>", () => {
        const message = formatReleaseMessage("mychart", "1.2.4", 3);
        assert.equal(message.split("\n")[0], "chore(release): mychart 1.2.4");
        assert.match(message, /^\[skip ci\]$/m);
        assert.match(message, /^Chart-Release: mychart 1.2.4$/m);
        assert.equal(formatReleaseTag("mychart", "1.2.4"), "mychart-1.2.4");
    });
});
