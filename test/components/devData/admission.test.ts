/**
 * The refresher's admission policy, evaluated as the API server's ValidatingAdmissionPolicy plugin does:
 * the matchConditions decide whether the policy applies to a request, then every validation must be true,
 * with `object` null on DELETE and `oldObject` null on CREATE. CEL runs in @marcbachmann/cel-js.
 */
import { strict as assert } from "node:assert";
import { evaluate } from "@marcbachmann/cel-js";
import {
    buildRefresherAdmissionBinding,
    buildRefresherAdmissionPolicy,
    refresherUsername,
} from "../../../components/devData/admission";
import { buildSnapshotBackup } from "../../../components/devData/clone";
import { loadBuiltins } from "../../support/registry";
import { configOf } from "./helpers";

const cfg = configOf("dev");
const policy = buildRefresherAdmissionPolicy(cfg);
const REFRESHER = refresherUsername(cfg);

interface Request {
    readonly user: string;
    readonly operation: "CREATE" | "DELETE";
    readonly resource: "backups" | "volumesnapshots";
    readonly object?: unknown;
    readonly oldObject?: unknown;
}

/** undefined when admitted, else the message of the first failing validation. */
function admit(r: Request): string | undefined {
    const vars = {
        request: {
            operation: r.operation,
            userInfo: { username: r.user },
            resource: { resource: r.resource },
        },
        object: r.object ?? null,
        oldObject: r.oldObject ?? null,
    };
    const rules = policy.spec?.matchConstraints?.resourceRules ?? [];
    const matched = rules.some(
        (rule) => rule.resources?.includes(r.resource) && rule.operations?.includes(r.operation),
    );
    if (!matched) return undefined;
    for (const c of policy.spec?.matchConditions ?? [])
        if (evaluate(c.expression, vars) !== true) return undefined;
    for (const v of policy.spec?.validations ?? [])
        if (evaluate(v.expression, vars) !== true) return v.message;
    return undefined;
}

const stamped = "monolith-db-dev-clone-20261206221530";
const template = buildSnapshotBackup(cfg, stamped);
const withSpec = (patch: Record<string, unknown>) => ({ ...template, spec: { ...template.spec, ...patch } });
const snapshot = (labels?: Record<string, string>) => ({
    apiVersion: "snapshot.storage.k8s.io/v1",
    kind: "VolumeSnapshot",
    metadata: { name: "x", namespace: "monolith", ...(labels ? { labels } : {}) },
});
const CREATE_MSG =
    "the dev refresher may create only cold volumeSnapshot Backups of monolith/monolith-db targeting prefer-standby, named monolith-db-dev-clone-<timestamp> and labelled release-pipeline.acme.dev/dev-clone-source=monolith-dev.monolith-db-dev";
const DELETE_MSG =
    "the dev refresher may delete only Backups labelled release-pipeline.acme.dev/dev-clone-source=monolith-dev.monolith-db-dev";
const SNAPSHOT_MSG =
    "the dev refresher may delete only VolumeSnapshots of its own Backups (cnpg.io/backupName monolith-db-dev-clone-<timestamp>)";

const cases: { name: string; request: Request; denied?: string }[] = [
    {
        name: "the refresher creating the stack's template Backup",
        request: { user: REFRESHER, operation: "CREATE", resource: "backups", object: template },
    },
    {
        name: "the refresher creating a hot (online) snapshot",
        request: {
            user: REFRESHER,
            operation: "CREATE",
            resource: "backups",
            object: withSpec({ online: true }),
        },
        denied: CREATE_MSG,
    },
    {
        name: "the refresher creating a Backup targeting the primary",
        request: {
            user: REFRESHER,
            operation: "CREATE",
            resource: "backups",
            object: withSpec({ target: "primary" }),
        },
        denied: CREATE_MSG,
    },
    {
        name: "the refresher creating a Backup with the target left to the Cluster's default",
        request: {
            user: REFRESHER,
            operation: "CREATE",
            resource: "backups",
            object: withSpec({ target: undefined }),
        },
        denied: CREATE_MSG,
    },
    {
        name: "the refresher creating a Backup of another Cluster",
        request: {
            user: REFRESHER,
            operation: "CREATE",
            resource: "backups",
            object: withSpec({ cluster: { name: "billing-db" } }),
        },
        denied: CREATE_MSG,
    },
    {
        name: "the refresher creating a barmanObjectStore Backup",
        request: {
            user: REFRESHER,
            operation: "CREATE",
            resource: "backups",
            object: withSpec({ method: "barmanObjectStore" }),
        },
        denied: CREATE_MSG,
    },
    {
        name: "the refresher creating an unlabelled Backup",
        request: {
            user: REFRESHER,
            operation: "CREATE",
            resource: "backups",
            object: { ...template, metadata: { ...template.metadata, labels: {} } },
        },
        denied: CREATE_MSG,
    },
    {
        name: "the refresher creating a Backup under another name",
        request: {
            user: REFRESHER,
            operation: "CREATE",
            resource: "backups",
            object: { ...template, metadata: { ...template.metadata, name: "monolith-db-nightly" } },
        },
        denied: CREATE_MSG,
    },
    {
        name: "the refresher deleting its own Backup",
        request: { user: REFRESHER, operation: "DELETE", resource: "backups", oldObject: template },
    },
    {
        name: "the refresher deleting prod's own nightly Backup",
        request: {
            user: REFRESHER,
            operation: "DELETE",
            resource: "backups",
            oldObject: { ...template, metadata: { name: "monolith-db-nightly", namespace: "monolith" } },
        },
        denied: DELETE_MSG,
    },
    {
        name: "the refresher deleting a Backup another clone owns",
        request: {
            user: REFRESHER,
            operation: "DELETE",
            resource: "backups",
            oldObject: {
                ...template,
                metadata: {
                    ...template.metadata,
                    labels: { "release-pipeline.acme.dev/dev-clone-source": "other-dev.other-db" },
                },
            },
        },
        denied: DELETE_MSG,
    },
    {
        name: "the refresher deleting the VolumeSnapshot of its own Backup",
        request: {
            user: REFRESHER,
            operation: "DELETE",
            resource: "volumesnapshots",
            oldObject: snapshot({ "cnpg.io/backupName": stamped }),
        },
    },
    {
        name: "the refresher deleting the VolumeSnapshot of prod's nightly Backup",
        request: {
            user: REFRESHER,
            operation: "DELETE",
            resource: "volumesnapshots",
            oldObject: snapshot({ "cnpg.io/backupName": "monolith-db-nightly-20261206" }),
        },
        denied: SNAPSHOT_MSG,
    },
    {
        name: "the refresher deleting an unlabelled VolumeSnapshot",
        request: { user: REFRESHER, operation: "DELETE", resource: "volumesnapshots", oldObject: snapshot() },
        denied: SNAPSHOT_MSG,
    },
    {
        name: "CloudNativePG's operator deleting prod's nightly Backup (not the refresher: not matched)",
        request: {
            user: "system:serviceaccount:cnpg-system:cnpg-manager",
            operation: "DELETE",
            resource: "backups",
            oldObject: { ...template, metadata: { name: "monolith-db-nightly", namespace: "monolith" } },
        },
    },
    {
        name: "a person creating a hot Backup (not matched)",
        request: {
            user: "alice@acme.dev",
            operation: "CREATE",
            resource: "backups",
            object: withSpec({ online: true }),
        },
    },
];

describe("the refresher's admission policy in prod's namespace", () => {
    for (const c of cases) {
        it(`${c.denied ? "denies" : "admits"} ${c.name}`, () => {
            assert.equal(admit(c.request), c.denied);
        });
    }

    it("names the Backups refresh.sh creates: `<prefix>-$(date -u +%Y%m%d%H%M%S)`", async () => {
        const { readRefreshScript } = await import("../../../components/devData/refresher");
        assert.match(readRefreshScript(), /BACKUP="\$BACKUP_PREFIX-\$\(date -u \+%Y%m%d%H%M%S\)"/);
    });

    it("is bound to prod's namespace only, denying", () => {
        const binding = buildRefresherAdmissionBinding(cfg);
        assert.equal(binding.spec?.policyName, policy.metadata.name);
        assert.deepEqual(binding.spec?.validationActions, ["Deny"]);
        assert.deepEqual(binding.spec?.matchResources?.namespaceSelector, {
            matchLabels: { "kubernetes.io/metadata.name": "monolith" },
        });
        assert.equal(policy.spec?.failurePolicy, "Fail");
    });

    it("is valid against the Kubernetes schema", async () => {
        const registry = await loadBuiltins();
        assert.ok(registry.hasKind("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"));
        assert.deepEqual(registry.validateObject(policy as never), []);
        assert.deepEqual(registry.validateObject(buildRefresherAdmissionBinding(cfg) as never), []);
    });
});
