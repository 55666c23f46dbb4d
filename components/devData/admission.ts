/**
 * What RBAC cannot say about the refresher's rights in prod's namespace: `create` cannot be limited by
 * name or label, and `delete` only by exact names, which the refresher's timestamped Backups do not have.
 * A ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, Kubernetes 1.30+) bound to prod's
 * namespace and matched to the refresher's ServiceAccount alone narrows them to the objects it owns:
 * - create a Backup only as the stack's template makes it: its own label and name prefix, prod's Cluster,
 *   `method: volumeSnapshot`, `online: false`, `target: prefer-standby`;
 * - delete only Backups carrying its label, and only VolumeSnapshots CloudNativePG made for such a Backup
 *   (`cnpg.io/backupName` with the refresher's prefix: CNPG does not copy the Backup's labels to them).
 * Everyone else (CNPG, people) is untouched: the policy matches the refresher's username only.
 */
import type { StackConfig } from "../config";
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from "../core/builtins";
import { MANAGED_BY } from "../core/objects";
import {
    COMPONENT_LABEL,
    REFRESH_BACKUP_LABEL,
    cloneNamespace,
    ownerLabelValue,
    refreshBackupPrefix,
    refresherName,
} from "./names";

const ADMISSION_API = "admissionregistration.k8s.io/v1";

/** A CEL string literal (single-quoted); every value quoted here is a DNS name or a label. */
function lit(value: string): string {
    if (!/^[A-Za-z0-9._/:-]*$/.test(value)) throw new Error(`cannot quote ${JSON.stringify(value)} in CEL`);
    return `'${value}'`;
}

/** CEL: `obj` carries the label `key` with `value`. */
function hasLabel(obj: string, key: string, value: string): string {
    return `has(${obj}.metadata.labels) && ${lit(key)} in ${obj}.metadata.labels && ${obj}.metadata.labels[${lit(key)}] == ${lit(value)}`;
}

/** The Kubernetes username of the refresher's ServiceAccount. */
export function refresherUsername(cfg: StackConfig): string {
    return `system:serviceaccount:${cloneNamespace(cfg)}:${refresherName(cfg)}`;
}

/** Cluster-scoped, so named after the dev namespace too (like the ClusterRoleBinding). */
function policyName(cfg: StackConfig): string {
    return `${refresherName(cfg)}-${cloneNamespace(cfg)}`;
}

export function buildRefresherAdmissionPolicy(cfg: StackConfig): ValidatingAdmissionPolicy {
    const prod = cfg.devData.prod;
    const owner = ownerLabelValue(cfg);
    const prefix = `${refreshBackupPrefix(cfg)}-`;
    const isBackups = "request.resource.resource == 'backups'";
    return {
        apiVersion: ADMISSION_API,
        kind: "ValidatingAdmissionPolicy",
        metadata: { name: policyName(cfg), labels: { ...MANAGED_BY, ...COMPONENT_LABEL } },
        spec: {
            failurePolicy: "Fail",
            matchConstraints: {
                resourceRules: [
                    {
                        apiGroups: ["postgresql.cnpg.io"],
                        apiVersions: ["*"],
                        resources: ["backups"],
                        operations: ["CREATE", "DELETE"],
                    },
                    {
                        apiGroups: ["snapshot.storage.k8s.io"],
                        apiVersions: ["*"],
                        resources: ["volumesnapshots"],
                        operations: ["DELETE"],
                    },
                ],
            },
            matchConditions: [
                {
                    name: "the-dev-refresher",
                    expression: `request.userInfo.username == ${lit(refresherUsername(cfg))}`,
                },
            ],
            validations: [
                {
                    expression: [
                        `!(${isBackups} && request.operation == 'CREATE') || (`,
                        hasLabel("object", REFRESH_BACKUP_LABEL, owner),
                        ` && object.metadata.name.startsWith(${lit(prefix)})`,
                        ` && object.spec.cluster.name == ${lit(prod.clusterName)}`,
                        " && has(object.spec.method) && object.spec.method == 'volumeSnapshot'",
                        " && has(object.spec.online) && object.spec.online == false",
                        " && has(object.spec.target) && object.spec.target == 'prefer-standby')",
                    ].join(""),
                    message: `the dev refresher may create only cold volumeSnapshot Backups of ${prod.namespace}/${prod.clusterName} targeting prefer-standby, named ${prefix}<timestamp> and labelled ${REFRESH_BACKUP_LABEL}=${owner}`,
                    reason: "Forbidden",
                },
                {
                    expression: `!(${isBackups} && request.operation == 'DELETE') || (${hasLabel("oldObject", REFRESH_BACKUP_LABEL, owner)})`,
                    message: `the dev refresher may delete only Backups labelled ${REFRESH_BACKUP_LABEL}=${owner}`,
                    reason: "Forbidden",
                },
                {
                    expression: [
                        "request.resource.resource != 'volumesnapshots' || (",
                        "has(oldObject.metadata.labels) && 'cnpg.io/backupName' in oldObject.metadata.labels",
                        ` && oldObject.metadata.labels['cnpg.io/backupName'].startsWith(${lit(prefix)}))`,
                    ].join(""),
                    message: `the dev refresher may delete only VolumeSnapshots of its own Backups (cnpg.io/backupName ${prefix}<timestamp>)`,
                    reason: "Forbidden",
                },
            ],
        },
    };
}

/** Binds the policy to prod's namespace only: the refresher's rights elsewhere are RBAC's alone. */
export function buildRefresherAdmissionBinding(cfg: StackConfig): ValidatingAdmissionPolicyBinding {
    return {
        apiVersion: ADMISSION_API,
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name: policyName(cfg), labels: { ...MANAGED_BY, ...COMPONENT_LABEL } },
        spec: {
            policyName: policyName(cfg),
            validationActions: ["Deny"],
            matchResources: {
                namespaceSelector: {
                    matchLabels: { "kubernetes.io/metadata.name": cfg.devData.prod.namespace },
                },
            },
        },
    };
}
