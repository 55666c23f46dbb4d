/**
 * Item 13 of issue 18, on the API server's own field manager: Pulumi creates the clone, a refresh deletes
 * and recreates it, and Pulumi's next change to the clone must apply without a server-side-apply conflict.
 *
 * Pulumi's side is what pulumi-kubernetes sends in SSA mode, read from the object's annotations: its field
 * manager is `pulumi.com/patchFieldManager` or else a generated `pulumi-kubernetes-<random>`
 * (provider/pkg/provider/provider.go, `fieldManagerName`), and it forces conflicts only with
 * `pulumi.com/patchForce: "true"` (provider/pkg/await/await.go, `patchForce`). The refresher's side is the
 * command refresh.sh runs on cluster.json, with the hook Job's environment.
 */
import { strict as assert } from "node:assert";
import type { StackConfig } from "../../../components/config";
import { buildCloneCluster } from "../../../components/devData/clone";
import { buildRefreshHookJob, readRefreshScript } from "../../../components/devData/refresher";
import { hasGo, replayWrites, type SsaResult, type SsaStep } from "../../support/ssa";
import { configOf } from "./helpers";

/** Pulumi's write of `obj`: manager and force as pulumi-kubernetes derives them from the annotations. */
function pulumiApplies(obj: { metadata: { annotations?: Record<string, string> } }): SsaStep {
    const a = obj.metadata.annotations ?? {};
    return {
        op: "apply",
        manager: a["pulumi.com/patchFieldManager"] ?? "pulumi-kubernetes-4f2a9c1e",
        force: a["pulumi.com/patchForce"] === "true",
        object: obj,
    };
}

/** The refresher's (re)creation of the clone, as the script writes it. */
function refresherWrites(script: string, cfg: StackConfig, obj: object): SsaStep {
    const line = script.split("\n").find((l) => /^\s*kubectl .*"\$MANIFESTS\/cluster\.json"/.test(l));
    assert.ok(line, "refresh.sh no longer writes cluster.json with kubectl: update this test");
    const env = new Map(
        buildRefreshHookJob(cfg).spec?.template.spec?.containers[0].env?.map((e) => [e.name, e.value ?? ""]),
    );
    if (/kubectl apply --server-side --field-manager="\$FIELD_MANAGER" -f/.test(line))
        return { op: "apply", manager: env.get("FIELD_MANAGER") ?? "", force: false, object: obj };
    if (/kubectl create -f/.test(line)) return { op: "update", manager: "kubectl-create", object: obj };
    throw new Error(`unmodelled write of the clone: ${line.trim()}`);
}

const withoutPulumiAnnotations = <T extends { metadata: { annotations?: Record<string, string> } }>(
    o: T,
): T => ({
    ...o,
    metadata: {
        ...o.metadata,
        annotations: Object.fromEntries(
            Object.entries(o.metadata.annotations ?? {}).filter(([k]) => !k.startsWith("pulumi.com/")),
        ),
    },
});

describe("the clone across a refresh, on the API server's field manager (server-side apply)", function () {
    this.timeout(600_000);
    before(function () {
        if (hasGo()) return;
        if (process.env.CI === "true") throw new Error("Go is required in CI for test/support/ssa");
        console.log("      skipped: Go is not installed");
        this.skip();
    });

    const cfg = configOf("dev");
    const changed = configOf("dev", {
        devData: {
            clone: {
                resources: { requests: { memory: "320Mi" }, limits: { memory: "320Mi" } },
                postgresParameters: { shared_buffers: "64MB", max_connections: "30", work_mem: undefined },
            },
        },
    });
    const v1 = buildCloneCluster(cfg);
    const v2 = buildCloneCluster(changed);
    const script = readRefreshScript();

    /** create by Pulumi → refresh (delete + the refresher's write) → [hand edit] → Pulumi's next change. */
    function lifecycle(
        first: typeof v1,
        next: typeof v2,
        refresher: SsaStep,
        handEdit?: SsaStep,
    ): SsaResult[] {
        return replayWrites(v1.apiVersion, v1.kind, [
            pulumiApplies(first),
            { op: "reset" },
            refresher,
            ...(handEdit ? [handEdit] : []),
            pulumiApplies(next),
        ]);
    }

    it("as shipped: Pulumi's next change applies, owns every field, and removes a field it dropped", () => {
        const results = lifecycle(v1, v2, refresherWrites(script, cfg, v1));
        const last = results[results.length - 1];
        assert.equal(last.error, null);
        assert.deepEqual(last.managers, ["release-pipeline-dev-clone/Apply"]);
        const spec = last.live.spec as typeof v2.spec;
        assert.equal(spec.resources?.limits?.memory, "320Mi");
        assert.deepEqual(spec.postgresql?.parameters, { shared_buffers: "64MB", max_connections: "30" });
    });

    it("as shipped: a field Pulumi sets that was changed by hand (kubectl edit) is taken back, not a conflict", () => {
        const parameters = { ...v1.spec.postgresql?.parameters, shared_buffers: "256MB" };
        const edited = { ...v1, spec: { ...v1.spec, postgresql: { parameters } } };
        const results = lifecycle(v1, v2, refresherWrites(script, cfg, v1), {
            op: "update",
            manager: "kubectl-edit",
            object: edited,
        });
        assert.equal(results[3].error, null, "the edit itself");
        const last = results[results.length - 1];
        assert.equal(last.error, null);
        assert.equal((last.live.spec as typeof v2.spec).postgresql?.parameters?.shared_buffers, "64MB");
    });

    // The same lifecycle with what the stack did before: each fails, so the tests above can.
    const previous: { name: string; steps: () => SsaResult[]; conflict: RegExp }[] = [
        {
            name: "kubectl create in the refresher and no Pulumi annotations (the defect)",
            steps: () =>
                lifecycle(
                    withoutPulumiAnnotations(v1),
                    withoutPulumiAnnotations(v2),
                    refresherWrites('    kubectl create -f "$MANIFESTS/cluster.json"', cfg, v1),
                ),
            conflict: /^Apply failed with \d+ conflicts?: conflicts? with "kubectl-create"/,
        },
        {
            name: "kubectl create in the refresher even with Pulumi's field manager, but no patchForce",
            steps: () => {
                const drop = <T extends typeof v1>(o: T): T => ({
                    ...o,
                    metadata: {
                        ...o.metadata,
                        annotations: { ...o.metadata.annotations, "pulumi.com/patchForce": "false" },
                    },
                });
                return lifecycle(
                    drop(v1),
                    drop(v2),
                    refresherWrites('    kubectl create -f "$MANIFESTS/cluster.json"', cfg, v1),
                );
            },
            conflict:
                /conflicts? with "kubectl-create" using postgresql\.cnpg\.io\/v1:[\s\S]*\.spec\.resources\.limits\.memory/,
        },
    ];
    for (const b of previous) {
        it(`conflicts with ${b.name}`, () => {
            const results = b.steps();
            assert.match(results[results.length - 1].error ?? "", b.conflict);
        });
    }
});
