import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const fixture = (name: string) => `test/fixtures/manifests/${name}`;

function validate(args: string[]) {
    return spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts/validate.ts"), ...args], {
        cwd: root,
        encoding: "utf8",
        env: process.env,
        timeout: 120_000,
    });
}

/** stdout as its problem lines. */
function lines(stdout: string): string[] {
    return stdout.split("\n").filter((l) => l !== "");
}

describe("npm run validate", function () {
    before(function () {
        // The pinned CRDs come from CRD_DIR (CI: ../shared/crds); without it the check would download them.
        if (!process.env.CRD_DIR) this.skip();
    });

    it("exits 0 with no output on stdout for a clean hand-written Kargo project", () => {
        const r = validate([fixture("clean.yaml")]);
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /6 object\(s\) checked in 1 file\(s\): 0 problem\(s\)/);
    });

    it("rejects issue 9 defect #1 (a Stage step with task: and if:) with one line", () => {
        const r = validate([fixture("stage-task-if.yaml")]);
        assert.equal(r.status, 1, r.stderr);
        assert.deepEqual(lines(r.stdout), [
            `${fixture("stage-task-if.yaml")}: Stage shop/prod: /spec/promotionTemplate/spec/steps/0/if: PromotionTemplate step referencing a task cannot have an 'if' condition`,
        ]);
    });

    it("rejects issue 9 defect #2 (argocd-update on a native oci:// source), which every webhook admits", () => {
        const r = validate([fixture("argocd-update-oci.yaml")]);
        assert.equal(r.status, 1, r.stderr);
        const found = lines(r.stdout);
        assert.equal(found.length, 2, r.stdout);
        assert.match(
            found[0],
            /argocd-update-oci\.yaml: Stage shop\/prod: \/spec\/promotionTemplate\/spec\/steps\/0\/config\/apps\/0\/sources\/0\/desiredRevision: desiredRevision .* never converges on the native OCI source oci:\/\/ghcr\.io\/acme\/charts\/shop/,
        );
        assert.match(
            found[1],
            /argocd-update-oci\.yaml: Application argocd\/shop: \/spec\/source\/repoURL: native OCI source .* on an Application Kargo promotes/,
        );
    });

    it("rejects issue 9 defect #3 (an ingress-nginx backend on a TLS port, plain HTTP to it)", () => {
        const r = validate([fixture("ingress-tls-backend.yaml")]);
        assert.equal(r.status, 1, r.stderr);
        assert.deepEqual(lines(r.stdout), [
            `${fixture("ingress-tls-backend.yaml")}: Ingress kargo/kargo-api: /spec/rules/0/http/paths/0/backend: service kargo-api on its TLS port, but ingress-nginx speaks plain HTTP to backends unless nginx.ingress.kubernetes.io/backend-protocol is HTTPS (got none): every request would answer 400 (akuity/kargo#3198); set the annotation to "HTTPS", or point at the plain-HTTP port`,
        ]);
    });

    it("reports Warehouse webhook rules in a JSON file, and the missing project namespace", () => {
        const r = validate([fixture("warehouse-oci-name.json")]);
        assert.equal(r.status, 1, r.stderr);
        const prefix = `${fixture("warehouse-oci-name.json")}: Warehouse shop/shop: `;
        assert.deepEqual(lines(r.stdout), [
            `${prefix}/metadata/namespace: Namespace "shop" not found`,
            `${prefix}/spec/subscriptions/0/chart/name: must be empty if repoURL starts with oci://`,
            `${prefix}/spec/subscriptions/0/chart/semverConstraint: Invalid value: "latest" (improper constraint: latest)`,
        ]);
    });

    it("judges the files together as the cluster: a Project in another file provides the namespace", () => {
        const r = validate([fixture("clean.yaml"), fixture("warehouse-oci-name.json")]);
        assert.equal(r.status, 1);
        assert.ok(!r.stdout.includes("not found"), r.stdout);
    });

    it("skips cluster-state rules with --no-cluster", () => {
        const r = validate(["--no-cluster", fixture("warehouse-oci-name.json")]);
        assert.equal(r.status, 1);
        assert.equal(lines(r.stdout).length, 2, r.stdout);
    });

    it("reports CRD, step-schema and Kubernetes-schema errors", () => {
        const r = validate([fixture("schema-errors.yaml"), fixture("clean.yaml")]);
        assert.equal(r.status, 1, r.stderr);
        const file = fixture("schema-errors.yaml");
        assert.deepEqual(lines(r.stdout), [
            `${file}: Stage shop/dev: /spec/promotionTemplate/spec/steps/0: unknown field "retries" (the API server would drop it)`,
            `${file}: Stage shop/dev: /spec/promotionTemplate/spec/steps/0/config: must have required property 'repoURL'`,
            `${file}: Stage shop/dev: /spec/promotionTemplate/spec/steps/0/config: must have required property 'checkout'`,
            `${file}: Role shop/reader: /rules/0/verbs: must be array`,
        ]);
    });

    it("rejects a Project adopting an unlabelled workload namespace and a five-field backup schedule", () => {
        const r = validate([fixture("workload-namespace.yaml")]);
        assert.equal(r.status, 1, r.stderr);
        const out = lines(r.stdout);
        assert.equal(out.length, 2, r.stdout);
        assert.match(
            out[0],
            /Project monolith: \/metadata\/name: failed to initialize Project "monolith" because namespace "monolith" already exists/,
        );
        assert.match(
            out[1],
            /ScheduledBackup monolith\/nightly: \/spec\/schedule: Schedule parameter may not have the right number of arguments/,
        );
    });

    const usage = [
        { args: [], stderr: /^no FILE given\nusage: npm run validate -- \[--no-cluster\] FILE\.\.\./ },
        { args: ["--bogus", fixture("clean.yaml")], stderr: /Unknown option '--bogus'/ },
        { args: [fixture("missing.yaml")], stderr: /missing\.yaml: cannot read: ENOENT/ },
        { args: [fixture("broken.yaml")], stderr: /broken\.yaml: not valid YAML: / },
    ];
    for (const c of usage) {
        it(`exits 2 for [${c.args.join(" ")}]`, () => {
            const r = validate(c.args);
            assert.equal(r.status, 2, r.stdout + r.stderr);
            assert.match(r.stderr, c.stderr);
            assert.equal(r.stdout, "");
        });
    }
});
