/**
 * What keeps the clone (and everything else in the dev namespace) away from prod: the namespace itself,
 * an egress NetworkPolicy that cannot reach prod's namespaces, and the refresher's narrow RBAC. Prod's
 * Secrets are never readable from here: no Role this stack grants lists `secrets` in a prod namespace.
 */
import type { StackConfig } from "../config";
import { cidrFamily, type IpFamily } from "../config/checks/cidr";
import type {
    ClusterRole,
    ClusterRoleBinding,
    Namespace,
    NetworkPolicy,
    Role,
    RoleBinding,
    ServiceAccount,
} from "../core/builtins";
import { MANAGED_BY } from "../core/objects";
import { COMPONENT_LABEL, cloneNamespace, refresherName } from "./names";

const RBAC_API = "rbac.authorization.k8s.io/v1";
const CNPG_GROUP = "postgresql.cnpg.io";
const SNAPSHOT_GROUP = "snapshot.storage.k8s.io";

/**
 * Every namespace the dev namespace must not reach: each chart's prod namespace, prod's DB, Argo CD (the
 * app-of-apps deploy into it, and its repo-server and API hold every repository and cluster credential),
 * extras.
 */
export function selectProdNamespaces(cfg: StackConfig): string[] {
    const names = [
        ...cfg.charts.map((c) => c.namespace),
        cfg.devData.prod.namespace,
        cfg.argocd.namespace,
        ...cfg.devData.isolation.denyEgressToNamespaces,
    ];
    return [...new Set(names)].filter((n) => n !== cloneNamespace(cfg)).sort();
}

/** The configured pod CIDRs of one address family. */
export function selectPodCidrs(cfg: StackConfig, family: IpFamily): string[] {
    return cfg.devData.isolation.podCidrs.filter((c) => cidrFamily(c) === family);
}

/**
 * What the "anywhere" rule of a family leaves out: the pod CIDRs (pods are reached through the namespace
 * rule, which excludes prod) and the addresses prod is reachable at without a pod IP (its ingress and load
 * balancers, `isolation.denyEgressToCidrs`): a NetworkPolicy judges the packet's address, so without them a
 * dev pod reaches prod through its public entry point.
 */
export function selectDeniedCidrs(cfg: StackConfig, family: IpFamily): string[] {
    const extra = cfg.devData.isolation.denyEgressToCidrs.filter((c) => cidrFamily(c) === family);
    return [...new Set([...selectPodCidrs(cfg, family), ...extra])];
}

/** Created by the stack (not Argo CD's CreateNamespace) so the policy and RBAC exist before any pod. */
export function buildDevNamespace(cfg: StackConfig): Namespace {
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
            name: cloneNamespace(cfg),
            labels: { ...MANAGED_BY, ...COMPONENT_LABEL, "release-pipeline.acme.dev/stage": "dev" },
        },
    };
}

/**
 * Egress from every pod in the dev namespace: any pod in a namespace that is not prod's, and anything
 * outside the pod CIDRs (the API server, DNS upstreams, third parties), per address family. A prod pod
 * matches no rule, so the clone, the refresher and the dev workloads cannot open a connection to prod's
 * database or apps.
 */
export function buildDenyProdEgressPolicy(cfg: StackConfig): NetworkPolicy {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: {
            name: "deny-egress-to-prod",
            namespace: cloneNamespace(cfg),
            labels: { ...MANAGED_BY, ...COMPONENT_LABEL },
        },
        spec: {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [
                        {
                            namespaceSelector: {
                                matchExpressions: [
                                    {
                                        key: "kubernetes.io/metadata.name",
                                        operator: "NotIn",
                                        values: selectProdNamespaces(cfg),
                                    },
                                ],
                            },
                        },
                    ],
                },
                { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: selectDeniedCidrs(cfg, "ipv4") } }] },
                // An except must lie inside its block: IPv6 addresses get an "anywhere" rule of their own.
                ...(selectDeniedCidrs(cfg, "ipv6").length > 0
                    ? [{ to: [{ ipBlock: { cidr: "::/0", except: selectDeniedCidrs(cfg, "ipv6") } }] }]
                    : []),
            ],
        },
    };
}

function meta(cfg: StackConfig, namespace?: string) {
    return {
        name: refresherName(cfg),
        ...(namespace ? { namespace } : {}),
        labels: { ...MANAGED_BY, ...COMPONENT_LABEL },
    };
}

function subject(cfg: StackConfig) {
    return [{ kind: "ServiceAccount", name: refresherName(cfg), namespace: cloneNamespace(cfg) }];
}

/**
 * The refresher's identity and rights. In prod's namespace: read prod's Cluster (by name: the standby
 * check), snapshot Backups and their VolumeSnapshots only (no Secrets, no PVCs, no pods); the admission
 * policy beside it (./admission.ts) narrows create and delete to the objects the refresher owns, which RBAC
 * cannot express. Cluster-wide: VolumeSnapshotContents, which are cluster-scoped (binding a snapshot into
 * another namespace is impossible without them). In the dev namespace: the clone (`patch` too: it is
 * recreated with server-side apply), its snapshot, its PVCs (to wait for deletion), exec into its pod (to
 * clear prod's password verifiers) and Secrets (its own app password). No `deletecollection` anywhere:
 * `kubectl delete -l` lists, then deletes one object at a time, each seen by the admission policy.
 */
export type RefresherRbacObject = ServiceAccount | Role | RoleBinding | ClusterRole | ClusterRoleBinding;

export function buildRefresherRbac(cfg: StackConfig): RefresherRbacObject[] {
    const dev = cloneNamespace(cfg);
    const prod = cfg.devData.prod.namespace;
    const roleRef = (kind: "Role" | "ClusterRole") => ({
        apiGroup: "rbac.authorization.k8s.io",
        kind,
        name: refresherName(cfg),
    });
    return [
        {
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: meta(cfg, dev),
            automountServiceAccountToken: true,
        },
        {
            apiVersion: RBAC_API,
            kind: "Role",
            metadata: meta(cfg, prod),
            rules: [
                {
                    apiGroups: [CNPG_GROUP],
                    resources: ["clusters"],
                    resourceNames: [cfg.devData.prod.clusterName],
                    verbs: ["get"],
                },
                {
                    apiGroups: [CNPG_GROUP],
                    resources: ["backups"],
                    verbs: ["get", "list", "watch", "create", "delete"],
                },
                {
                    apiGroups: [SNAPSHOT_GROUP],
                    resources: ["volumesnapshots"],
                    verbs: ["get", "list", "delete"],
                },
            ],
        },
        {
            apiVersion: RBAC_API,
            kind: "RoleBinding",
            metadata: meta(cfg, prod),
            roleRef: roleRef("Role"),
            subjects: subject(cfg),
        },
        {
            apiVersion: RBAC_API,
            kind: "Role",
            metadata: meta(cfg, dev),
            rules: [
                {
                    apiGroups: [CNPG_GROUP],
                    resources: ["clusters"],
                    verbs: ["get", "list", "watch", "create", "patch", "delete"],
                },
                {
                    apiGroups: [SNAPSHOT_GROUP],
                    resources: ["volumesnapshots"],
                    verbs: ["get", "list", "watch", "create", "delete"],
                },
                {
                    apiGroups: [""],
                    resources: ["persistentvolumeclaims", "pods"],
                    verbs: ["get", "list", "watch"],
                },
                // psql in the clone's own pod, to clear the password verifiers that came with prod's catalog.
                { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
                { apiGroups: [""], resources: ["secrets"], verbs: ["get", "create"] },
            ],
        },
        {
            apiVersion: RBAC_API,
            kind: "RoleBinding",
            metadata: meta(cfg, dev),
            roleRef: roleRef("Role"),
            subjects: subject(cfg),
        },
        {
            apiVersion: RBAC_API,
            kind: "ClusterRole",
            metadata: meta(cfg),
            rules: [
                {
                    apiGroups: [SNAPSHOT_GROUP],
                    resources: ["volumesnapshotcontents"],
                    verbs: ["get", "list", "watch", "create", "delete"],
                },
            ],
        },
        {
            apiVersion: RBAC_API,
            kind: "ClusterRoleBinding",
            metadata: { ...meta(cfg), name: `${refresherName(cfg)}-${dev}` },
            roleRef: roleRef("ClusterRole"),
            subjects: subject(cfg),
        },
    ];
}
