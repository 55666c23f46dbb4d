/**
 * Issue 9, defect 8: the Argo CD application controller's version is read from the cluster and compared
 * with the floor Kargo 1.11.2 states (components/kargo/prerequisites.ts); a preview against an older
 * Argo CD fails with a message naming the found and the required version.
 */
import { strict as assert } from "node:assert";
import {
    ARGOCD_FLOOR,
    checkVersionFloor,
    readImageTag,
    readWorkloadVersion,
} from "../../../components/kargo/prerequisites";
import { OFFLINE_CLUSTER_STATES } from "../../../offline/runtime/cluster";
import { loadStackFile, runStack } from "../../../offline/runtime/synth";

const where = "StatefulSet argocd/argocd-application-controller";
const need =
    "this stack needs Argo CD >= 2.11.0 (Kargo 1.11.2's argocd-update honours sync windows only from Argo CD 2.11.0 (argocd-update.md))";
const image = (tag: string) => ({ version: tag, from: `image quay.io/argoproj/argocd:${tag}` });

describe("prerequisite version floors", () => {
    const cases: [string, string, string | undefined][] = [
        ["v3.5.1", "the pinned release", undefined],
        ["3.5.1", "no v prefix", undefined],
        ["v2.11.0", "exactly the floor", undefined],
        ["v3.0.0-rc1", "a pre-release above the floor", undefined],
        ["v2.11.0+build.7", "build metadata", undefined],
        [
            "v2.10.9",
            "one patch line below",
            `${where}: runs Argo CD v2.10.9 (image quay.io/argoproj/argocd:v2.10.9); ${need}`,
        ],
        [
            "v2.11.0-rc3",
            "a pre-release of the floor itself",
            `${where}: runs Argo CD v2.11.0-rc3 (image quay.io/argoproj/argocd:v2.11.0-rc3); ${need}`,
        ],
        [
            "1.8.7",
            "an old major",
            `${where}: runs Argo CD 1.8.7 (image quay.io/argoproj/argocd:1.8.7); ${need}`,
        ],
        [
            "latest",
            "a floating tag",
            `${where}: Argo CD version "latest" (image quay.io/argoproj/argocd:latest) is not a semantic version; ${need}`,
        ],
        [
            "v3.5",
            "a partial version",
            `${where}: Argo CD version "v3.5" (image quay.io/argoproj/argocd:v3.5) is not a semantic version; ${need}`,
        ],
    ];
    for (const [tag, name, expected] of cases) {
        it(`${tag} (${name}): ${expected ? "refused" : "accepted"}`, () =>
            assert.equal(checkVersionFloor(image(tag), ARGOCD_FLOOR, where), expected));
    }

    it("refuses a version it cannot read, saying where it looked", () =>
        assert.equal(
            checkVersionFloor(undefined, ARGOCD_FLOOR, where),
            `${where}: cannot read the Argo CD version (no app.kubernetes.io/version label and no tagged argocd-application-controller image); ${need}`,
        ));

    it("reads the version label first (the Argo CD Helm chart), else the controller image's tag", () => {
        const containers = [
            { name: "sidecar", image: "busybox:1.36" },
            { name: "argocd-application-controller", image: "quay.io/argoproj/argocd:v3.4.2" },
        ];
        const spec = { template: { spec: { containers } } };
        assert.deepEqual(
            readWorkloadVersion(
                { metadata: { labels: { "app.kubernetes.io/version": "v3.5.1" } }, spec },
                "argocd-application-controller",
            ),
            { version: "v3.5.1", from: "label app.kubernetes.io/version" },
        );
        assert.deepEqual(readWorkloadVersion({ spec }, "argocd-application-controller"), {
            version: "v3.4.2",
            from: "image quay.io/argoproj/argocd:v3.4.2",
        });
        assert.equal(readWorkloadVersion({}, "argocd-application-controller"), undefined);
    });

    const tags: [string, string | undefined][] = [
        ["quay.io/argoproj/argocd:v3.5.1", "v3.5.1"],
        ["registry.local:5000/argoproj/argocd:v3.5.1@sha256:" + "a".repeat(64), "v3.5.1"],
        ["registry.local:5000/argoproj/argocd@sha256:" + "a".repeat(64), undefined],
        ["argocd", undefined],
    ];
    for (const [ref, tag] of tags) it(`reads the tag of ${ref}`, () => assert.equal(readImageTag(ref), tag));

    it("fails the run (as `pulumi preview` would) against an Argo CD below the floor", async function () {
        this.timeout(120_000);
        const old = {
            ...OFFLINE_CLUSTER_STATES,
            "kubernetes:apps/v1:StatefulSet": () => ({
                metadata: { labels: { "app.kubernetes.io/version": "v2.10.4" } },
            }),
        };
        await assert.rejects(runStack("prod", loadStackFile("prod"), false, old), (err: Error) =>
            err.message.includes(`${where}: runs Argo CD v2.10.4 (label app.kubernetes.io/version); ${need}`),
        );
    });
});
