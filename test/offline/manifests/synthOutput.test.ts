/**
 * `npm run validate` accepts what the synth writes: both stacks' manifests.yaml (redacted Secrets included)
 * and deploy-files.yaml, judged together as the cluster, exactly as a user would run it on `out/<stack>/`.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateManifestFiles } from "../../../offline/manifests/validateManifests";
import { REDACTED } from "../../../offline/runtime/redacted";
import { renderArtifacts } from "../../../offline/runtime/synth";
import { STACKS, synthesizeStack } from "../../support/stacks";

describe("npm run validate on the synth's own output", function () {
    let dir: string;
    before(function () {
        if (!process.env.CRD_DIR) this.skip();
        dir = mkdtempSync(join(tmpdir(), "synth-validate-"));
    });
    after(() => dir && rmSync(dir, { recursive: true, force: true }));

    for (const stack of STACKS) {
        it(`${stack}: manifests.yaml and deploy-files.yaml have no problem`, async () => {
            const artifacts = renderArtifacts(stack, await synthesizeStack(stack));
            const files = ["manifests.yaml", "deploy-files.yaml"].map((name) => {
                const file = join(dir, `${stack}-${name}`);
                writeFileSync(file, artifacts[name]);
                return file;
            });
            // The case issue 18 names: a Secret whose whole stringData the program marked secret.
            if (stack === "dev") assert.match(artifacts["manifests.yaml"], /^stringData: "\[secret\]"$/m);
            const report = await validateManifestFiles(files, { cluster: true });
            assert.deepEqual(report.problems, []);
            assert.ok(report.checked > 0);
        });
    }

    it("still judges a Secret's other fields beside a redacted payload", async () => {
        const file = join(dir, "secret.yaml");
        writeFileSync(
            file,
            `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\ntype: 7\nstringData: "${REDACTED}"\n`,
        );
        const report = await validateManifestFiles([file], { cluster: false });
        assert.deepEqual(report.problems, [`${file}: Secret a/s: /type: must be string`]);
    });
});
