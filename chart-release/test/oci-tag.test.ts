import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { EXIT } from "../src/errors";
import { runCli } from "./helpers/cli";
import { makeTempDir, type GitFixture } from "./helpers/git-fixture";
import { gitIn } from "./helpers/origin";
import { ensureRegistry, startRefusingProxy } from "./helpers/registry";
import { countManifestsEverTagged, setupReleaseCase, type ReleaseCase } from "./helpers/release-setup";

/** A stack file as Pulumi.dev.yaml declares the mode: versionSource oci-tag, the chart's registry path. */
function stackFile(registry: string, extra = ""): string {
    return [
        "config:",
        "  release-pipeline:pipeline:",
        "    mode: full",
        "    versionSource: oci-tag",
        extra,
        "  release-pipeline:charts:",
        "    - name: mychart",
        `      repoURL: oci://${registry}/mychart`,
        "",
    ]
        .filter((line) => line !== "")
        .join("\n");
}

/** The Chart.yaml inside the published archive of `version`. */
async function readPublishedChartYaml(s: ReleaseCase, version: string): Promise<string> {
    const manifest = (await s.registry.getManifest(s.repository, version)) as {
        layers: { digest: string }[];
    };
    const tar = gunzipSync(await s.registry.getBlob(s.repository, manifest.layers[0].digest)).toString(
        "latin1",
    );
    const start = tar.indexOf("apiVersion: v2");
    return tar.slice(tar.lastIndexOf("#", start), tar.indexOf("\0", start));
}

describe("versionSource oci-tag: the version is a tag and an OCI tag only, nothing committed (issue 19 item 12)", function () {
    this.timeout(180_000);
    let root: string;
    let address: string;
    before(async () => {
        address = await ensureRegistry();
        root = makeTempDir("oci-tag");
    });
    after(() => rmSync(root, { recursive: true, force: true }));
    let counter = 0;
    function prepare(extra = "") {
        const s = setupReleaseCase(root, `oci-tag-${++counter}`, address);
        const work = s.clone("work");
        const namespace = s.repository.split("/")[0];
        work.write("Pulumi.dev.yaml", stackFile(`${address}/${namespace}`, extra));
        work.commitAll("chore: the dev stack file");
        work.git("push", "--quiet", "origin", "HEAD:main");
        // The registry comes from the stack file's charts: no --registry.
        const args = [
            "release",
            "--stack-config",
            "Pulumi.dev.yaml",
            "--plain-http",
            "--retry-delay-ms",
            "10",
        ];
        return { ...s, work, args, namespace };
    }
    const merge = (work: GitFixture, message: string, file: string) => {
        work.commit(message, [file]);
        work.git("push", "--quiet", "origin", "HEAD:main");
    };

    it("releases the first version as in Chart.yaml, then bumps from the tags; main never gets a commit", async () => {
        const s = prepare();
        const tip = gitIn(s.origin, "rev-parse", "main").trim();
        const first = await runCli([...s.args, "--push"], s.work.dir);
        assert.equal(first.code, 0, first.stderr);
        assert.match(
            first.stdout,
            /released mychart 0.1.0 \(first version, as in Chart.yaml\): tag mychart-0.1.0 on [0-9a-f]{12}, .*nothing committed \(versionSource oci-tag\)/,
        );
        assert.equal(gitIn(s.origin, "rev-parse", "main").trim(), tip, "nothing committed to main");
        assert.equal(gitIn(s.origin, "rev-parse", "mychart-0.1.0^{commit}").trim(), tip);
        assert.deepEqual(await s.registry.listTags(s.repository), ["0.1.0"]);

        merge(s.work, "feat: a probe", "chart/templates/probe.yaml");
        merge(s.work, "fix: a value", "chart/values.yaml");
        const next = await runCli(["next", "--stack-config", "Pulumi.dev.yaml"], s.work.dir);
        assert.equal(next.stdout, "0.2.0\n", next.stderr);
        // Without the stack file, next reads Chart.yaml's version (0.1.0) as chart-yaml mode does.
        const second = await runCli([...s.args, "--push"], s.work.dir);
        assert.equal(second.code, 0, second.stderr);
        assert.match(second.stdout, /released mychart 0.2.0 \(minor\): tag mychart-0.2.0/);
        assert.doesNotMatch(gitIn(s.origin, "log", "--format=%B", "main"), /Chart-Release:/);
        assert.equal(gitIn(s.origin, "show", "main:chart/Chart.yaml").includes('version: "0.1.0"'), true);
        // The published chart carries its version, as helm package --version writes it; nothing else changed.
        const published = await readPublishedChartYaml(s, "0.2.0");
        assert.match(published, /^version: "0.2.0" # keep the quotes$/m);
        assert.equal(
            published.replace('"0.2.0"', '"0.1.0"'),
            gitIn(s.origin, "show", "main:chart/Chart.yaml"),
        );
        const manifest = (await s.registry.getManifest(s.repository, "0.2.0")) as {
            annotations: Record<string, string>;
        };
        assert.equal(manifest.annotations["org.opencontainers.image.version"], "0.2.0");

        const again = await runCli([...s.args, "--push"], s.work.dir);
        assert.equal(again.code, 0, again.stderr);
        assert.match(again.stdout, /nothing to release: mychart 0.2.0 covers HEAD/);
        assert.equal((await runCli(["next", "--stack-config", "Pulumi.dev.yaml"], s.work.dir)).stdout, "");
        assert.deepEqual((await s.registry.listTags(s.repository)).sort(), ["0.1.0", "0.2.0"]);
    });

    it("a fresh clone (tags fetched by the release itself) continues from the newest tag", async () => {
        const s = prepare();
        assert.equal((await runCli([...s.args, "--push"], s.work.dir)).code, 0);
        merge(s.work, "fix: one", "chart/values.yaml");
        const fresh = s.clone("fresh");
        fresh.git("tag", "-d", "mychart-0.1.0"); // as if cloned without tags
        const result = await runCli([...s.args, "--push"], fresh.dir);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /released mychart 0.1.1 \(patch\)/);
    });

    it("exit 7, then a plain run says the chart is missing, then --resume publishes the stamped chart once", async () => {
        const s = prepare();
        const proxy = await startRefusingProxy(
            address,
            (method, url) => method === "PUT" && url.includes("/manifests/"),
        );
        let failed;
        try {
            failed = await runCli(
                [...s.args, "--registry", `oci://${proxy.address}/${s.namespace}`, "--push"],
                s.work.dir,
            );
        } finally {
            await proxy.stop();
        }
        // An explicit --registry (a proxy in front of the same registry here) wins over the stack's path, with
        // a note; the proxy fails the manifest after every check passed.
        assert.match(
            failed.stderr,
            /note: --registry oci:\/\/127.0.0.1:\d+\/\S+ overrides --stack-config Pulumi.dev.yaml, which declares chart mychart at oci:\/\/\S+\/mychart \(release-pipeline:charts\), where its Warehouse watches/,
        );
        assert.equal(failed.code, EXIT.publishAfterCommit, failed.stderr);
        assert.match(
            failed.stderr,
            /mychart 0.1.0 is tagged mychart-0.1.0 \(at [0-9a-f]{12}\) on origin\/main, but the registry push failed/,
        );

        const plain = await runCli([...s.args, "--push"], s.clone("plain").dir);
        assert.equal(plain.code, EXIT.publishAfterCommit, plain.stderr);
        assert.match(plain.stderr, /mychart 0.1.0 is released on origin\/main .* but missing from/);
        const resumed = await runCli([...s.args, "--push", "--resume"], s.clone("resume").dir);
        assert.equal(resumed.code, 0, resumed.stderr);
        assert.match(resumed.stderr, /resume: published mychart 0.1.0 from tag mychart-0.1.0/);
        assert.deepEqual(await s.registry.listTags(s.repository), ["0.1.0"]);
        assert.equal(countManifestsEverTagged(s.repository, "0.1.0"), 1);
    });

    const refusals: { name: string; extra?: string; argv: string[]; message: RegExp }[] = [
        {
            name: "oci-tag with mode bump-only (its deploy files need a commit)",
            extra: "    mode: bump-only",
            argv: ["--deploy-file", "chart/values.yaml"],
            message: /versionSource` to "oci-tag" \(nothing is committed\) with mode "bump-only"/,
        },
        {
            name: "--deploy-file with oci-tag",
            argv: ["--deploy-file", "chart/values.yaml"],
            message:
                /versionSource` to "oci-tag" \(nothing is committed\), so no release commit can write targetRevision/,
        },
    ];
    for (const row of refusals) {
        it(`refuses ${row.name}: exit 2, nothing tagged`, async () => {
            const s = prepare();
            if (row.extra !== undefined) {
                s.work.write(
                    "Pulumi.dev.yaml",
                    stackFile(`${address}/${s.namespace}`).replace("    mode: full\n", `${row.extra}\n`),
                );
                s.work.commitAll("chore: stack");
                s.work.git("push", "--quiet", "origin", "HEAD:main");
            }
            const result = await runCli([...s.args, "--push", ...row.argv], s.work.dir);
            assert.equal(result.code, EXIT.usage, result.stderr);
            assert.match(result.stderr, row.message);
            assert.equal(gitIn(s.origin, "tag", "--list"), "");
        });
    }
});
