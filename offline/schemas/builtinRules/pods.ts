/**
 * What the API server refuses in a workload's pod template beyond the OpenAPI schema (where a container's
 * image, a Job's restartPolicy and a configMap volume's name are all optional), Kubernetes v1.34.3:
 * - pkg/apis/core/validation/validation.go: `validateContainerCommon` (image required), `ValidateVolumes`
 *   with `validateConfigMapVolumeSource` / `validateSecretVolumeSource` (a volume's source names its
 *   object; a volume with an error is left out of the pod's volumes), `ValidateVolumeMounts` (a mount names
 *   one of those volumes), `validateResourceRequirements` (a request at most its limit; equal for
 *   resources that cannot be overcommitted, `helper.IsOvercommitAllowed`);
 * - `ValidatePodTemplateSpec`: the template's labels and annotations, as an object's (../objectMeta.ts);
 * - pkg/apis/batch/validation/validation.go `validateJobSpec`: a Job's pods restart OnFailure or Never
 *   (an empty restartPolicy is defaulted to Always first, pkg/apis/core/v1/defaults.go
 *   `SetDefaults_PodSpec`, so a missing one is refused too).
 */
import { compareQuantities, parseQuantity, type Quantity } from "../../admission/quantity";
import { validateMetadata } from "../objectMeta";
import { child, isObj, list, str, type Obj, type RuleIssue } from "./common";

/** Where each workload kind keeps its pod spec, and whether it is a Job's (restart rules). */
const POD_SPECS: Readonly<Record<string, { readonly path: readonly string[]; readonly job: boolean }>> = {
    "batch/v1:Job": { path: ["spec", "template", "spec"], job: true },
    "batch/v1:CronJob": { path: ["spec", "jobTemplate", "spec", "template", "spec"], job: true },
    "apps/v1:Deployment": { path: ["spec", "template", "spec"], job: false },
    "apps/v1:StatefulSet": { path: ["spec", "template", "spec"], job: false },
    "apps/v1:DaemonSet": { path: ["spec", "template", "spec"], job: false },
};

const JOB_RESTART_POLICIES = ["OnFailure", "Never"];

/** A quantity as the API decodes it: a string, or a JSON number for int-or-string. */
function quantityOf(value: unknown): Quantity | undefined {
    if (typeof value === "number") return parseQuantity(String(value));
    return typeof value === "string" ? parseQuantity(value) : undefined;
}

/** `helper.IsOvercommitAllowed`: native resources (no '/', or kubernetes.io/…) other than hugepages. */
function overcommitAllowed(resource: string): boolean {
    const native = !resource.includes("/") || resource.includes("kubernetes.io/");
    return native && !resource.startsWith("hugepages-");
}

/** `validateResourceRequirements`: each request against the limit of the same resource. */
function checkResources(container: Obj, at: string): RuleIssue[] {
    const resources = child(container, "resources");
    const limits = child(resources, "limits") ?? {};
    const requests = child(resources, "requests") ?? {};
    const issues: RuleIssue[] = [];
    for (const [name, raw] of Object.entries(requests)) {
        const request = quantityOf(raw);
        const path = `${at}/resources/requests/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        if (!(name in limits)) {
            if (!overcommitAllowed(name))
                issues.push({ path, message: `${name} cannot be overcommitted: its limit must be set` });
            continue;
        }
        const limit = quantityOf(limits[name]);
        if (!request || !limit) continue; // not a quantity: the schema's format check reports it
        const cmp = compareQuantities(request, limit);
        if (cmp !== 0 && !overcommitAllowed(name))
            issues.push({
                path,
                message: `${name} request ${String(raw)} must equal its limit ${String(limits[name])}`,
            });
        else if (cmp > 0)
            issues.push({
                path,
                message: `${name} request ${String(raw)} must be less than or equal to its limit ${String(limits[name])}`,
            });
    }
    return issues;
}

/** `ValidateVolumes` for the sources that name an object; returns the names of the valid volumes. */
function checkVolumes(spec: Obj, at: string): { issues: RuleIssue[]; names: Set<string> } {
    const issues: RuleIssue[] = [];
    const names = new Set<string>();
    (list(spec, "volumes") ?? []).forEach((volume, i) => {
        if (!isObj(volume)) return;
        const here: RuleIssue[] = [];
        const name = str(volume, "name");
        if (name === "")
            here.push({ path: `${at}/volumes/${i}/name`, message: "a volume's name is required" });
        else if (name !== undefined && names.has(name))
            here.push({ path: `${at}/volumes/${i}/name`, message: `duplicate volume name "${name}"` });
        if (child(volume, "configMap") && str(child(volume, "configMap"), "name") === "")
            here.push({
                path: `${at}/volumes/${i}/configMap/name`,
                message: "a configMap volume names its ConfigMap (name is required)",
            });
        if (child(volume, "secret") && str(child(volume, "secret"), "secretName") === "")
            here.push({
                path: `${at}/volumes/${i}/secret/secretName`,
                message: "a secret volume names its Secret (secretName is required)",
            });
        if (here.length === 0 && name) names.add(name);
        issues.push(...here);
    });
    return { issues, names };
}

/** `validateContainerCommon` (image), `ValidateVolumeMounts` (names) and the resources of each container. */
function checkContainers(spec: Obj, at: string, volumes: ReadonlySet<string>): RuleIssue[] {
    const issues: RuleIssue[] = [];
    for (const key of ["initContainers", "containers"]) {
        (list(spec, key) ?? []).forEach((container, i) => {
            if (!isObj(container)) return;
            const here = `${at}/${key}/${i}`;
            if (str(container, "image") === "")
                issues.push({ path: `${here}/image`, message: "a container's image is required" });
            (list(container, "volumeMounts") ?? []).forEach((mount, j) => {
                const name = str(mount, "name");
                if (name !== undefined && name !== "" && !volumes.has(name))
                    issues.push({
                        path: `${here}/volumeMounts/${j}/name`,
                        message: `mounts volume "${name}", which the pod does not declare (or declares invalid)`,
                    });
            });
            issues.push(...checkResources(container, here));
        });
    }
    return issues;
}

/** `validateJobSpec`: restartPolicy OnFailure or Never (absent means Always). */
function checkJobRestartPolicy(spec: Obj, at: string): RuleIssue[] {
    const policy = str(spec, "restartPolicy");
    if (policy === undefined || JOB_RESTART_POLICIES.includes(policy)) return [];
    return [
        {
            path: `${at}/restartPolicy`,
            message: `a Job's pods need restartPolicy ${JOB_RESTART_POLICIES.join(" or ")} (got ${policy ? `"${policy}"` : "none, which defaults to Always"})`,
        },
    ];
}

/** The pod template rules of a workload object; [] for other kinds or when it has no pod spec. */
export function validatePodTemplate(obj: Obj): RuleIssue[] {
    const where = POD_SPECS[`${String(obj.apiVersion)}:${String(obj.kind)}`];
    if (!where) return [];
    let spec: Obj | undefined = obj;
    for (const key of where.path) spec = child(spec, key);
    if (!spec) return [];
    const at = `/${where.path.join("/")}`;
    const volumes = checkVolumes(spec, at);
    const template = where.path.slice(0, -1);
    let templateMeta: Obj | undefined = obj;
    for (const key of [...template, "metadata"]) templateMeta = child(templateMeta, key);
    return [
        ...validateMetadata(templateMeta, `/${template.join("/")}/metadata`),
        ...volumes.issues,
        ...checkContainers(spec, at, volumes.names),
        ...(where.job ? checkJobRestartPolicy(spec, at) : []),
    ];
}
