/**
 * Policy 7. The dev stage must stay small and private (ADR 009 "dev data isolation", "dev exposure"): its
 * CNPG clone is capped at one instance with limits, its namespace has an egress NetworkPolicy for every pod
 * and no egress rule there reaches a prod namespace, every dev hostname sits behind a Cloudflare Access
 * application, and no Access rule lets everyone in. Not applicable until a CNPG Cluster or an Access
 * resource exists; each part applies once the resources it guards are declared.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { readConfig } from "../lib/config";
import { matchesStageName } from "../lib/kargo";
import { findEgressHoles, restrictsEgress, selectsEveryPod } from "../lib/networkPolicy";
import {
    buildStackView,
    cloudflareTypes,
    describeObject,
    groups,
    type KubeObject,
    type StackView,
} from "../lib/resources";
import { isRecord, isUnknown, readList, readPath, readString } from "../lib/values";

interface Config {
    devHostnames: string[];
    devStages: string[];
    devNamespacePattern: string;
    maxInstances: number;
    prodNamespaces: string[];
}

const configSchema: PolicyConfigSchema = {
    properties: {
        devHostnames: {
            type: "array",
            items: { type: "string" },
            description:
                "Dev hostnames that must be behind Access, in addition to those found in dev Stage verification args and dev Ingresses.",
            default: [],
        },
        devStages: {
            type: "array",
            items: { type: "string" },
            description:
                "Names of the dev Stage(s) (exact, regex: or glob:), whose verification URLs are dev hostnames.",
            default: ["dev"],
        },
        devNamespacePattern: {
            type: "string",
            description: "Regular expression for dev namespaces: CNPG Clusters and Ingresses there are dev.",
            default: "(^|-)dev($|-)",
        },
        maxInstances: {
            type: "integer",
            minimum: 1,
            description: "Instances allowed for a dev CNPG Cluster.",
            default: 1,
        },
        prodNamespaces: {
            type: "array",
            items: { type: "string" },
            description:
                "Prod namespaces a dev clone's namespace may not reach, in addition to every Application destination namespace that is not a dev one.",
            default: [],
        },
    },
};

/** Prod namespaces: configured, and every Argo CD Application destination outside the dev pattern. */
export function findProdNamespaces(view: StackView, config: Config): string[] {
    const devNamespace = new RegExp(config.devNamespacePattern);
    const destinations = view
        .findKube(groups.argo, "Application")
        .map((app) => readString(readPath(app.spec, "destination.namespace")))
        .filter((ns): ns is string => ns !== undefined && !devNamespace.test(ns));
    return [...new Set([...config.prodNamespaces, ...destinations])].sort();
}

/** Whether anything inside `value` is still unknown (preview). */
function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    return isRecord(value) && Object.values(value).some(containsUnknown);
}

/** Whether the fields that decide which pods a NetworkPolicy restricts are still unknown (preview). */
function hasUnknownEgressShape(policy: KubeObject): boolean {
    return (
        isUnknown(policy.spec) ||
        containsUnknown(readPath(policy.spec, "policyTypes")) ||
        containsUnknown(readPath(policy.spec, "podSelector"))
    );
}

/** What lets the pods of dev namespace `ns` reach prod: a missing egress policy, or a hole in one. */
export function findEgressProblems(view: StackView, ns: string, prodNamespaces: string[]): string[] {
    const all = view.findKube("networking.k8s.io", "NetworkPolicy");
    // During preview a policy whose namespace or egress shape is not known yet may be the one that
    // isolates `ns`: say nothing rather than report a gap that the real values may close.
    if (all.some((p) => isUnknown(p.namespace) || hasUnknownEgressShape(p))) return [];
    const policies = all.filter((p) => p.namespace === ns && restrictsEgress(p));
    if (!policies.some(selectsEveryPod)) {
        return [
            `dev namespace ${ns} has no egress NetworkPolicy selecting every pod, so its pods can reach prod`,
        ];
    }
    return policies.flatMap((policy) =>
        readList(readPath(policy.spec, "egress")).flatMap((rule, i) =>
            findEgressHoles(rule, prodNamespaces).map(
                (hole) => `${describeObject(policy)} egress[${i}] ${hole}`,
            ),
        ),
    );
}

/** Host part of a hostname, URL or Access domain ("dev.example.com/path" → "dev.example.com"). */
export function findHost(value: string): string {
    return value
        .replace(/^[a-z]+:\/\//i, "")
        .split(/[/:?#]/)[0]
        .toLowerCase();
}

/** Dev hostnames: configured, from dev Stage verification args that are URLs, and from dev Ingress rules. */
export function findDevHostnames(view: StackView, config: Config): Set<string> {
    const devNamespace = new RegExp(config.devNamespacePattern);
    const hosts = new Set(config.devHostnames.map(findHost));
    const devStages = view
        .findKube(groups.kargo, "Stage")
        .filter((s) => config.devStages.some((selector) => matchesStageName(selector, s.objectName)));
    for (const stage of devStages) {
        for (const arg of readList(readPath(stage.spec, "verification.args"))) {
            const value = readString(readPath(arg, "value"));
            if (value && /^https?:\/\/[^$\s{]+$/.test(value)) hosts.add(findHost(value));
        }
    }
    for (const ingress of view.findKube("networking.k8s.io", "Ingress")) {
        if (!ingress.namespace || !devNamespace.test(ingress.namespace)) continue;
        for (const rule of readList(readPath(ingress.spec, "rules"))) {
            const host = readString(readPath(rule, "host"));
            if (host) hosts.add(findHost(host));
        }
    }
    return hosts;
}

/** Hosts an Access application protects; undefined when any of them is unknown during preview. */
export function findProtectedHosts(props: Record<string, unknown>): string[] | undefined {
    const values = [
        props.domain,
        ...readList(props.selfHostedDomains),
        ...readList(props.destinations).flatMap((d) => [readPath(d, "uri"), readPath(d, "hostname")]),
    ];
    if (values.some(isUnknown) || isUnknown(props.destinations)) return undefined;
    return values.filter((v): v is string => typeof v === "string" && v !== "").map(findHost);
}

export function coversHost(pattern: string, host: string): boolean {
    return pattern === host || (pattern.startsWith("*.") && host.endsWith(pattern.slice(1)));
}

function findClusterProblems(cluster: KubeObject, config: Config): string[] {
    const problems: string[] = [];
    const instances = readPath(cluster.spec, "instances");
    if (
        !isUnknown(instances) &&
        !(typeof instances === "number" && instances >= 1 && instances <= config.maxInstances)
    ) {
        problems.push(
            `has instances ${JSON.stringify(instances)}; a dev clone runs at most ${config.maxInstances}`,
        );
    }
    const limit = readPath(cluster.spec, "resources.limits.memory");
    if (limit === undefined) problems.push("has no resources.limits.memory");
    return problems.map((p) => `dev CNPG ${describeObject(cluster)} ${p}`);
}

function findEveryone(rules: unknown): boolean {
    return readList(rules).some((rule) => isRecord(rule) && "everyone" in rule);
}

export const devIsolation: StackValidationPolicy = {
    name: "dev-isolation",
    description:
        "The dev CNPG clone has one instance and limits and an egress NetworkPolicy that keeps it out of prod's namespaces, every dev hostname has a Cloudflare Access application, and no Access rule includes everyone.",
    remediationSteps:
        "Set the dev Cluster's spec.instances to 1 and spec.resources.limits.memory; give its namespace a NetworkPolicy (podSelector {}, policyTypes [Egress]) whose namespaceSelector excludes every prod namespace (NotIn on kubernetes.io/metadata.name) and whose ipBlocks except the pod CIDRs; declare a ZeroTrustAccessApplication (type self_hosted, domain = the dev hostname) with policies that include specific emails, groups or the CI service token, never `everyone`.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema,
    validateStack: (args, reportViolation) => {
        const config = readConfig<Config>(args, configSchema);
        const view = buildStackView(args.resources);
        const devNamespace = new RegExp(config.devNamespacePattern);
        const devClusters = view
            .findKube(groups.cnpg, "Cluster")
            .filter(
                (c) =>
                    readPath(c.spec, "bootstrap.recovery") !== undefined ||
                    (c.namespace !== undefined && devNamespace.test(c.namespace)),
            );
        const apps = view.findByType(cloudflareTypes.accessApplication);
        const accessPolicies = view.findByType(cloudflareTypes.accessPolicy);
        if (devClusters.length === 0 && apps.length === 0 && accessPolicies.length === 0) {
            args.notApplicable(
                "not applicable yet: no dev CNPG Cluster and no Cloudflare Access application or policy",
            );
        }
        for (const cluster of devClusters) {
            for (const problem of findClusterProblems(cluster, config)) reportViolation(problem, cluster.urn);
        }
        const prodNamespaces = findProdNamespaces(view, config);
        for (const ns of new Set(devClusters.flatMap((c) => (c.namespace ? [c.namespace] : [])))) {
            for (const problem of findEgressProblems(view, ns, prodNamespaces)) reportViolation(problem);
        }
        if (apps.length === 0 && accessPolicies.length === 0) return;
        const protectedHosts = apps
            .filter(
                (app) =>
                    app.props.type === undefined ||
                    app.props.type === "self_hosted" ||
                    isUnknown(app.props.type),
            )
            .map((app) => findProtectedHosts(app.props));
        if (!protectedHosts.some((hosts) => hosts === undefined)) {
            for (const host of findDevHostnames(view, config)) {
                if (!protectedHosts.some((hosts) => hosts?.some((p) => coversHost(p, host)))) {
                    reportViolation(`dev hostname ${host} has no self_hosted Cloudflare Access application`);
                }
            }
        }
        for (const policy of accessPolicies) {
            if (findEveryone(policy.props.includes)) {
                reportViolation(`Access policy ${policy.name} includes everyone`, policy.urn);
            }
        }
        for (const app of apps) {
            readList(app.props.policies).forEach((inline, i) => {
                if (isRecord(inline) && findEveryone(inline.includes)) {
                    reportViolation(
                        `Access application ${app.name} policies[${i}] includes everyone`,
                        app.urn,
                    );
                }
            });
        }
    },
};
