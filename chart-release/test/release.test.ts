import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { EXIT } from "../src/errors";
import {
    buildHelmArtifact,
    HELM_CHART_LAYER_MEDIA_TYPE,
    HELM_CONFIG_MEDIA_TYPE,
    RegistryClient,
} from "../src/oci";
import { runCli } from "./helpers/cli";
import { CHART_YAML, makeTempDir } from "./helpers/git-fixture";
import { createOrigin, gitIn } from "./helpers/origin";
import { startTokenServer } from "./helpers/token-server";
import {
    ensureRegistry,
    startAuthRegistry,
    startRefusingProxy,
    startTokenRegistry,
    TEST_CREDENTIALS,
    uniqueNamespace,
} from "./helpers/registry";

describe("release against a real registry and a real origin", function () {
    this.timeout(120_000);
    let root: string;
    let address: string;
    before(async () => {
        address = await ensureRegistry();
        root = makeTempDir("release");
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    let counter = 0;
    function setup(version = "0.1.0") {
        const dir = path.join(root, `case-${++counter}`);
        const namespace = uniqueNamespace("release");
        const { origin, clone } = createOrigin(dir, version);
        const registry = new RegistryClient({ host: address, namespace }, true);
        const args = [
            "release",
            "--registry",
            `oci://${address}/${namespace}`,
            "--plain-http",
            "--retry-delay-ms",
            "10",
        ];
        return { dir, origin, clone, registry, args, repository: `${namespace}/mychart` };
    }

    it("publishes the next version as a Helm artifact, commits it with the marker and tags it", async () => {
        const { origin, clone, registry, args, repository } = setup();
        const work = clone("work");
        const fix = work.commit("fix(chart): quote the image tag", ["chart/templates/deployment.yaml"]);
        work.git("push", "--quiet", "origin", "HEAD:main");

        const result = await runCli([...args, "--push", "--json"], work.dir);
        assert.equal(result.code, 0, result.stderr);
        const report = JSON.parse(result.stdout) as Record<string, unknown>;
        assert.equal(report.status, "released");
        assert.equal(report.version, "0.1.1");
        assert.deepEqual(report.commits, [fix]);

        const head = gitIn(origin, "log", "-1", "--format=%H%n%B", "main").split("\n");
        assert.equal(head[0], report.commit);
        assert.equal(head[1], "chore(release): mychart 0.1.1");
        assert.match(head.join("\n"), /\[skip ci\]/);
        assert.match(head.join("\n"), /Chart-Release: mychart 0.1.1/);
        assert.equal(gitIn(origin, "rev-parse", "mychart-0.1.1^{commit}").trim(), report.commit);
        // Only the version value changed: comments, quotes and the dependency's version are intact.
        assert.equal(
            gitIn(origin, "show", "main:chart/Chart.yaml"),
            CHART_YAML.replace('"0.0.0"', '"0.1.1"'),
        );

        assert.deepEqual(await registry.listTags(repository), ["0.1.1"]);
        const manifest = (await registry.getManifest(repository, "0.1.1")) as {
            config: { mediaType: string; digest: string };
            layers: { mediaType: string; digest: string }[];
        };
        assert.equal(manifest.config.mediaType, HELM_CONFIG_MEDIA_TYPE);
        assert.equal(manifest.layers[0].mediaType, HELM_CHART_LAYER_MEDIA_TYPE);
        const config = JSON.parse(
            Buffer.from(await registry.getBlob(repository, manifest.config.digest)).toString(),
        );
        assert.equal(config.name, "mychart");
        assert.equal(config.version, "0.1.1");
        const tar = gunzipSync(await registry.getBlob(repository, manifest.layers[0].digest)).toString(
            "latin1",
        );
        assert.match(tar, /mychart\/Chart\.yaml/);
        assert.match(tar, /mychart\/templates\/deployment\.yaml/);
        assert.match(tar, /version: "0\.1\.1" # keep the quotes/);

        const again = await runCli([...args, "--push"], work.dir);
        assert.equal(again.code, 0, again.stderr);
        assert.match(
            again.stdout,
            /nothing to release: mychart 0.1.1 covers HEAD \(no commit since it touches/,
        );
        assert.deepEqual(await registry.listTags(repository), ["0.1.1"]);
    });

    it("without --push it only says what it would do", async () => {
        const { origin, clone, registry, args, repository } = setup();
        const work = clone("work");
        work.commit("feat: add hpa", ["chart/templates/hpa.yaml"]);
        work.git("push", "--quiet", "origin", "HEAD:main");
        const before = gitIn(origin, "rev-parse", "main");
        const result = await runCli(args, work.dir);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /would release mychart 0.2.0 \(minor\) covering 1 commit\(s\); dry run/);
        assert.equal(gitIn(origin, "rev-parse", "main"), before);
        assert.deepEqual(await registry.listTags(repository), []);
    });

    it("refuses, changing nothing, when the registry already holds the version", async () => {
        const { origin, clone, registry, args, repository } = setup();
        const work = clone("work");
        work.commit("fix: a", ["chart/values.yaml"]);
        work.git("push", "--quiet", "origin", "HEAD:main");
        const chart = { apiVersion: "v2", name: "mychart", version: "0.1.1" };
        await registry.pushArtifact(
            repository,
            "0.1.1",
            buildHelmArtifact(chart, gunzipSafe(), "2026-01-01T00:00:00Z"),
        );
        const before = gitIn(origin, "rev-parse", "main");
        const localBefore = work.head();

        const result = await runCli([...args, "--push"], work.dir);
        assert.equal(result.code, EXIT.versionExists);
        assert.match(
            result.stderr,
            new RegExp(`mychart 0.1.1 already exists in ${address}/${repository}; refusing`),
        );
        assert.equal(gitIn(origin, "rev-parse", "main"), before);
        assert.equal(work.head(), localBefore);
        assert.equal(gitIn(origin, "tag", "--list"), "");
    });

    it("gives up after --max-attempts when main never stops moving, leaving no trace", async () => {
        const { dir, origin, clone, registry, args, repository } = setup();
        // Fetches come from a frozen copy while pushes go to the real origin, which has moved on:
        // every push is a genuine non-fast-forward that fetching cannot resolve.
        const frozen = path.join(dir, "frozen.git");
        execFileSync("git", ["clone", "--quiet", "--bare", origin, frozen]);
        const other = clone("other");
        other.commit("docs: someone else's merge", ["README.md"]);
        other.git("push", "--quiet", "origin", "HEAD:main");
        const movedMain = gitIn(origin, "rev-parse", "main");

        const work = clone("work");
        work.git("reset", "--quiet", "--hard", "HEAD~1");
        work.git("remote", "set-url", "origin", frozen);
        work.git("remote", "set-url", "--push", "origin", origin);
        work.commit("fix: a", ["chart/values.yaml"]);
        work.git("push", "--quiet", frozen, "HEAD:main");
        const localBefore = work.head();

        // The effect, not the log: a `git` first on PATH records every push the CLI really makes.
        const bin = path.join(dir, "bin");
        const pushes = path.join(dir, "pushes.log");
        mkdirSync(bin);
        const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
        writeFileSync(
            path.join(bin, "git"),
            `#!/bin/sh\nfor a in "$@"; do [ "$a" = push ] && echo push >> "${pushes}" && break; done\nexec "${realGit}" "$@"\n`,
            { mode: 0o755 },
        );
        const result = await runCli([...args, "--push", "--max-attempts", "3"], work.dir, {
            PATH: `${bin}:${process.env.PATH ?? ""}`,
        });
        assert.equal(result.code, EXIT.pushRejected, result.stderr);
        assert.equal(readFileSync(pushes, "utf8").trim().split("\n").length, 3, "exactly 3 pushes were made");
        assert.match(result.stderr, /attempt 1\/3: main moved; retrying in \d+ ms/);
        assert.match(result.stderr, /attempt 2\/3: main moved/);
        assert.match(result.stderr, /gave up after 3 attempt\(s\): every push to origin main was rejected/);
        assert.match(result.stderr, /Nothing was published/);
        assert.equal(gitIn(origin, "rev-parse", "main"), movedMain);
        assert.equal(gitIn(origin, "tag", "--list"), "");
        assert.equal(work.head(), localBefore, "the local release commit is dropped, the merged fix is kept");
        assert.equal(work.git("tag", "--list"), "");
        assert.deepEqual(await registry.listTags(repository), []);
    });

    it("stops with exit 3 on a malformed Chart.yaml", async () => {
        const { origin, clone, registry, args, repository } = setup();
        const work = clone("work");
        writeFileSync(
            path.join(work.dir, "chart/Chart.yaml"),
            CHART_YAML.replace("name: mychart", "name: [mychart"),
        );
        work.commitAll("fix: break the chart");
        work.git("push", "--quiet", "origin", "HEAD:main");
        const before = gitIn(origin, "rev-parse", "main");
        const result = await runCli([...args, "--push"], work.dir);
        assert.equal(result.code, EXIT.invalidInput);
        assert.match(result.stderr, /chart\/Chart.yaml: malformed YAML/);
        assert.equal(gitIn(origin, "rev-parse", "main"), before);
        assert.deepEqual(await registry.listTags(repository), []);
    });

    it("publishes nothing for a history without conventional commits, and says so", async () => {
        const { origin, clone, registry, args, repository } = setup("2.3.4");
        const work = clone("work");
        work.commit("Update deployment.yaml", ["chart/templates/deployment.yaml"]);
        work.commit("Fixed the ingress bug", ["chart/values.yaml"]);
        work.git("push", "--quiet", "origin", "HEAD:main");
        const before = gitIn(origin, "rev-parse", "main");
        const result = await runCli([...args, "--push"], work.dir);
        assert.equal(result.code, 0, result.stderr);
        assert.match(
            result.stdout,
            /nothing to release: mychart 2.3.4 covers HEAD \(2 commit\(s\) since it touch the chart's paths, none calls for a release\)/,
        );
        assert.equal(gitIn(origin, "rev-parse", "main"), before);
        assert.deepEqual(await registry.listTags(repository), []);
    });

    it("exit 7 when the chart push fails after the git push; --resume publishes that version from its tag", async () => {
        const { origin, clone, registry, repository } = setup();
        const work = clone("work");
        work.commit("feat: add pdb", ["chart/templates/pdb.yaml"]);
        work.git("push", "--quiet", "origin", "HEAD:main");
        // Every check before the git push passes; then the registry fails the manifest, as in an outage.
        const proxy = await startRefusingProxy(
            address,
            (method, url) => method === "PUT" && url.includes("/manifests/"),
        );
        const namespace = repository.split("/")[0];
        let failed;
        try {
            failed = await runCli(
                ["release", "--registry", `oci://${proxy.address}/${namespace}`, "--plain-http", "--push"],
                work.dir,
            );
        } finally {
            await proxy.stop();
        }
        assert.equal(failed.code, EXIT.publishAfterCommit, failed.stderr);
        assert.match(
            failed.stderr,
            /mychart 0.2.0 is committed \([0-9a-f]{12}\) and tagged mychart-0.2.0 on origin\/main/,
        );
        assert.match(failed.stderr, /registry push failed: .*HTTP 503/);
        assert.match(gitIn(origin, "log", "-1", "--format=%s", "main"), /^chore\(release\): mychart 0.2.0/);
        assert.deepEqual(await registry.listTags(repository), []);

        // A plain run afterwards (no --resume) must not say "nothing to release": it says what is missing and
        // how to finish, exit 7 again, dry run or not.
        for (const push of [[], ["--push"]]) {
            const plain = await runCli(
                ["release", "--registry", `oci://${address}/${namespace}`, "--plain-http", ...push],
                clone(`plain-${push.length}`).dir,
            );
            assert.equal(plain.code, EXIT.publishAfterCommit, plain.stderr);
            assert.doesNotMatch(plain.stdout, /nothing to release/);
            assert.match(
                plain.stderr,
                /mychart 0.2.0 is released on origin\/main \(commit [0-9a-f]{12}, tag mychart-0.2.0\) but missing from .*: its publish failed after the push. Finish it: re-run with --resume/,
            );
        }

        // The next merge's job runs with --resume against the healthy registry (same storage).
        const later = clone("later");
        later.commit("docs: notes", ["chart/README.md"]);
        later.git("push", "--quiet", "origin", "HEAD:main");
        const args = [
            "release",
            "--registry",
            `oci://${address}/${namespace}`,
            "--plain-http",
            "--push",
            "--resume",
        ];
        const resumed = await runCli(args, later.dir);
        assert.equal(resumed.code, 0, resumed.stderr);
        assert.match(resumed.stderr, /resume: published mychart 0.2.0 from tag mychart-0.2.0/);
        assert.match(resumed.stdout, /nothing to release: mychart 0.2.0 covers HEAD/);
        assert.deepEqual(await registry.listTags(repository), ["0.2.0"]);
        const again = await runCli(args, later.dir);
        assert.match(again.stderr, /resume: mychart 0.2.0 is already in the registry; nothing to resume/);
    });

    it("answers a registry's Basic auth challenge with the CHART_RELEASE_REGISTRY_* credentials", async () => {
        const { dir, origin, clone } = setup();
        const work = clone("work");
        work.commit("fix: a", ["chart/values.yaml"]);
        work.git("push", "--quiet", "origin", "HEAD:main");
        const before = gitIn(origin, "rev-parse", "main");
        const auth = await startAuthRegistry(dir);
        try {
            const args = ["release", "--registry", `oci://${auth.address}/charts`, "--plain-http", "--push"];
            const anonymous = await runCli(args, work.dir, {
                CHART_RELEASE_REGISTRY_USERNAME: "",
                CHART_RELEASE_REGISTRY_PASSWORD: "",
            });
            assert.equal(anonymous.code, EXIT.registry);
            assert.match(
                anonymous.stderr,
                /check that it is an OCI registry: 401: the registry wants credentials and none are set; set CHART_RELEASE_REGISTRY_USERNAME and CHART_RELEASE_REGISTRY_PASSWORD/,
            );
            assert.equal(gitIn(origin, "rev-parse", "main"), before);

            const wrong = await runCli(args, work.dir, {
                CHART_RELEASE_REGISTRY_USERNAME: TEST_CREDENTIALS.username,
                CHART_RELEASE_REGISTRY_PASSWORD: "wrong",
            });
            assert.equal(wrong.code, EXIT.registry);
            assert.match(wrong.stderr, /check that it is an OCI registry: GET \/v2\/ answered HTTP 401/);

            const released = await runCli(args, work.dir, {
                CHART_RELEASE_REGISTRY_USERNAME: TEST_CREDENTIALS.username,
                CHART_RELEASE_REGISTRY_PASSWORD: TEST_CREDENTIALS.password,
            });
            assert.equal(released.code, 0, released.stderr);
            assert.match(released.stdout, /released mychart 0.1.1/);
            const client = new RegistryClient(
                { host: auth.address, namespace: "charts" },
                true,
                TEST_CREDENTIALS,
            );
            assert.deepEqual(await client.listTags("charts/mychart"), ["0.1.1"]);
        } finally {
            auth.stop();
        }
    });

    it("answers a Bearer challenge with a token from the registry's token server, as ghcr.io wants", async () => {
        const { dir, clone } = setup();
        const work = clone("work");
        work.commit("feat: a", ["chart/templates/a.yaml"]);
        work.git("push", "--quiet", "origin", "HEAD:main");
        const tokens = await startTokenServer(dir, TEST_CREDENTIALS);
        const registry = await startTokenRegistry(dir, tokens);
        try {
            const args = [
                "release",
                "--registry",
                `oci://${registry.address}/charts`,
                "--plain-http",
                "--push",
            ];
            const wrong = await runCli(args, work.dir, {
                CHART_RELEASE_REGISTRY_USERNAME: TEST_CREDENTIALS.username,
                CHART_RELEASE_REGISTRY_PASSWORD: "wrong",
            });
            assert.equal(wrong.code, EXIT.registry);
            assert.match(
                wrong.stderr,
                /check that it is an OCI registry: token request to http:\/\/127.0.0.1:\d+ answered 401/,
            );

            const released = await runCli(args, work.dir, {
                CHART_RELEASE_REGISTRY_USERNAME: TEST_CREDENTIALS.username,
                CHART_RELEASE_REGISTRY_PASSWORD: TEST_CREDENTIALS.password,
            });
            assert.equal(released.code, 0, released.stderr);
            assert.match(released.stdout, /released mychart 0.2.0/);
            assert.ok(tokens.issued.includes("repository:charts/mychart:pull"), tokens.issued.join(" | "));
            assert.ok(tokens.issued.some((scope) => /repository:charts\/mychart:.*push/.test(scope)));
        } finally {
            registry.stop();
            await tokens.close();
        }
    });

    it("fails with exit 6 before committing when the registry cannot be reached", async () => {
        const { origin, clone } = setup();
        const work = clone("work");
        work.commit("fix: a", ["chart/values.yaml"]);
        work.git("push", "--quiet", "origin", "HEAD:main");
        const before = gitIn(origin, "rev-parse", "main");
        const result = await runCli(
            ["release", "--registry", "oci://127.0.0.1:9/charts", "--plain-http", "--push"],
            work.dir,
        );
        assert.equal(result.code, EXIT.registry);
        assert.match(result.stderr, /registry 127.0.0.1:9: check that it is an OCI registry: cannot reach/);
        assert.equal(gitIn(origin, "rev-parse", "main"), before);
    });
});

/** A small valid gzip stream to stand in for a chart archive that someone else pushed. */
function gunzipSafe(): Uint8Array {
    return new Uint8Array(execFileSync("gzip", ["-c"], { input: "not a chart\n" }));
}
