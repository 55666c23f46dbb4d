import assert from "node:assert/strict";
import { chmodSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { RegistryClient } from "../../src/oci";
import { createOrigin, gitIn, type OriginSetup } from "./origin";
import { readRegistryStorage, uniqueNamespace } from "./registry";

export interface ReleaseCase extends OriginSetup {
    dir: string;
    registry: RegistryClient;
    /** `release --registry … --plain-http --retry-delay-ms 10` against this case's own namespace. */
    args: string[];
    repository: string;
}

/** A bare origin at `version` and a registry namespace of its own, for one test. */
export function setupReleaseCase(
    root: string,
    name: string,
    address: string,
    version = "0.1.0",
): ReleaseCase {
    const dir = path.join(root, name);
    const namespace = uniqueNamespace(name.replace(/[^a-z0-9-]/g, "-").slice(0, 40));
    const origin = createOrigin(dir, version);
    const registry = new RegistryClient({ host: address, namespace }, true);
    const args = [
        "release",
        "--registry",
        `oci://${address}/${namespace}`,
        "--plain-http",
        "--retry-delay-ms",
        "10",
    ];
    return { ...origin, dir, registry, args, repository: `${namespace}/mychart` };
}

/** Install an executable git hook in a clone. */
export function installHook(repoDir: string, hook: string, script: string): void {
    const file = path.join(repoDir, ".git", "hooks", hook);
    writeFileSync(file, script);
    chmodSync(file, 0o755);
}

/** Release tags `mychart-X` on the bare origin, as versions. */
export function listRemoteVersions(origin: string): string[] {
    return gitIn(origin, "tag", "--list", "mychart-*")
        .split("\n")
        .filter((t) => t !== "")
        .map((t) => t.slice("mychart-".length));
}

/**
 * How many different manifests were ever stored under `tag`: the registry keeps one index entry per manifest
 * digest a tag has pointed at, so more than one means the version was published twice with other content.
 */
export function countManifestsEverTagged(repository: string, tag: string): number {
    const index = path.join(
        readRegistryStorage(),
        "docker/registry/v2/repositories",
        repository,
        "_manifests/tags",
        tag,
        "index/sha256",
    );
    return existsSync(index) ? readdirSync(index).length : 0;
}

/**
 * The release invariants of issue 10, asserted on the remote and the registry themselves:
 * every published chart's commit is on the remote branch and its archive is that commit's chart; every pushed
 * release tag has its chart (once --resume has run); each version was published at most once; `mustKeep`
 * commits (merged work) are on the remote branch.
 */
export async function assertReleaseInvariants(
    setup: ReleaseCase,
    mustKeep: readonly string[],
    opts: { resumed: boolean },
): Promise<void> {
    const { origin, registry, repository } = setup;
    const published = await registry.listTags(repository);
    const tagged = listRemoteVersions(origin);
    for (const version of published) {
        assert.ok(tagged.includes(version), `published ${version} has a release tag on origin`);
        const commit = gitIn(origin, "rev-parse", `mychart-${version}^{commit}`).trim();
        gitIn(origin, "merge-base", "--is-ancestor", commit, "main"); // throws when not on main
        const manifest = (await registry.getManifest(repository, version)) as {
            layers: { digest: string }[];
        };
        const tar = gunzipSync(await registry.getBlob(repository, manifest.layers[0].digest)).toString(
            "latin1",
        );
        const committed = gitIn(origin, "show", `${commit}:chart/Chart.yaml`);
        assert.ok(tar.includes(committed), `the archive of ${version} holds the Chart.yaml of its commit`);
        assert.equal(countManifestsEverTagged(repository, version), 1, `${version} published once`);
    }
    for (const version of tagged) {
        const commit = gitIn(origin, "rev-parse", `mychart-${version}^{commit}`).trim();
        gitIn(origin, "merge-base", "--is-ancestor", commit, "main");
        if (opts.resumed)
            assert.ok(published.includes(version), `pushed tag mychart-${version} has its chart`);
    }
    for (const sha of mustKeep) gitIn(origin, "merge-base", "--is-ancestor", sha, "main");
}

/** An Argo CD Application deploy file, as in deploy/prod/, with the comments a format-preserving edit keeps. */
export const APPLICATION = `# Prod: Argo CD syncs this; in mode bump-only the release commit writes targetRevision.
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: monolith # the chart's name
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ghcr.io/acme/charts
    chart: mychart
    targetRevision: "0.1.0" # written on main only (ADR 009)
    helm:
      releaseName: monolith
  destination:
    server: https://kubernetes.default.svc
    namespace: monolith
`;
