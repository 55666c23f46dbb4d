import { strict as assert } from "node:assert";
import { hasAdmissionModel, validateAdmission, validateAdmissionAll } from "../../../offline/admission";
import { cnpg, kargo, namespace } from "./helpers";

const IF_ON_TASK = "PromotionTemplate step referencing a task cannot have an 'if' condition";

describe("admission model: dispatch and cluster context", () => {
    it("models the nine webhooks and nothing else", () => {
        for (const kind of [
            "Project",
            "ProjectConfig",
            "Warehouse",
            "Stage",
            "PromotionTask",
            "ClusterPromotionTask",
        ]) {
            assert.ok(hasAdmissionModel(kargo(kind, "x", "p")), kind);
        }
        for (const kind of ["Cluster", "Backup", "ScheduledBackup"])
            assert.ok(hasAdmissionModel(cnpg(kind, "x", {})), kind);
        assert.ok(!hasAdmissionModel(kargo("Freight", "x", "p")));
        assert.ok(!hasAdmissionModel({ apiVersion: "v1", kind: "ConfigMap" }));
        assert.deepEqual(validateAdmission({ apiVersion: "v1", kind: "ConfigMap" }), []);
    });

    it("reports issue 9 defect #1 against the Stage, as the synth prints it", () => {
        const stage = kargo("Stage", "prod", "monolith", {
            promotionTemplate: {
                spec: {
                    steps: [
                        {
                            as: "promote_monolith",
                            if: '${{ ctx.targetFreight.origin.name == "monolith" }}',
                            task: { name: "promote" },
                        },
                    ],
                },
            },
        });
        assert.deepEqual(validateAdmission(stage), [
            {
                object: "Stage monolith/prod",
                path: "/spec/promotionTemplate/spec/steps/0/if",
                message: IF_ON_TASK,
            },
        ]);
    });

    it("admits a project declared together with its objects, and refuses one adopting a workload namespace", () => {
        const objects = [
            kargo("Project", "kargo-monolith", ""),
            kargo("ProjectConfig", "kargo-monolith", "kargo-monolith"),
            kargo("Stage", "dev", "kargo-monolith"),
        ];
        assert.deepEqual(validateAdmissionAll(objects), []);
        const adopting = [
            namespace("monolith"),
            kargo("Project", "monolith", ""),
            kargo("Stage", "dev", "monolith"),
        ];
        assert.deepEqual(
            validateAdmissionAll(adopting).map((i) => `${i.object} ${i.path}`),
            ["Project monolith /metadata/name", "Stage monolith/dev /metadata/namespace"],
        );
    });

    it("passes the VolumeSnapshot CRD capability through to the CNPG rules", () => {
        const backup = cnpg("Backup", "b", { cluster: { name: "db" }, method: "volumeSnapshot" });
        assert.deepEqual(validateAdmissionAll([backup]), []);
        assert.equal(validateAdmissionAll([backup], { volumeSnapshotCrd: false }).length, 1);
    });
});
