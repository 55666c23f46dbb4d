/**
 * Built-in Kubernetes kinds validated against the OpenAPI schema of a pinned Kubernetes release, through the
 * ajv validators kubernetes-models generates per kind (types, required fields, enums, formats such as
 * quantities and int-or-string). kubernetes-models 5.1.0 is generated from the Kubernetes v1.36.0 OpenAPI
 * spec (its scripts/generate.ts, merged with older specs only for APIs removed since).
 *
 * On top of the schema, as the API server judges a create by server-side apply: fields the kind does not
 * declare (./declaredFields.ts), the labels and annotations of every object (./objectMeta.ts), and the
 * kinds' own validation rules beyond the schema (./builtinRules/).
 *
 * The schema is one minor release ahead of the API server the conformance run starts (v1.34.3): a field
 * added in 1.35 or 1.36 passes here and is refused there.
 */
import { describeObject, type ObjectRef } from "../../components/core/objects";
import { validateBuiltinRules } from "./builtinRules";
import { findUndeclaredFields } from "./declaredFields";
import { validateObjectMeta } from "./objectMeta";
import type { ValidationIssue } from "./validate";

/** The Kubernetes release whose OpenAPI schema the validators come from (kubernetes-models 5.1.0). */
export const KUBERNETES_SCHEMA_VERSION = "1.36.0";

/** `apiVersion:kind` → kubernetes-models schema module, for every built-in kind the stacks may declare. */
const SCHEMA_MODULES: Readonly<Record<string, string>> = {
    "v1:Namespace": "IoK8sApiCoreV1Namespace",
    "v1:ConfigMap": "IoK8sApiCoreV1ConfigMap",
    "v1:Secret": "IoK8sApiCoreV1Secret",
    "v1:ServiceAccount": "IoK8sApiCoreV1ServiceAccount",
    "v1:Service": "IoK8sApiCoreV1Service",
    "v1:PersistentVolumeClaim": "IoK8sApiCoreV1PersistentVolumeClaim",
    "rbac.authorization.k8s.io/v1:Role": "IoK8sApiRbacV1Role",
    "rbac.authorization.k8s.io/v1:RoleBinding": "IoK8sApiRbacV1RoleBinding",
    "rbac.authorization.k8s.io/v1:ClusterRole": "IoK8sApiRbacV1ClusterRole",
    "rbac.authorization.k8s.io/v1:ClusterRoleBinding": "IoK8sApiRbacV1ClusterRoleBinding",
    "networking.k8s.io/v1:NetworkPolicy": "IoK8sApiNetworkingV1NetworkPolicy",
    "networking.k8s.io/v1:Ingress": "IoK8sApiNetworkingV1Ingress",
    "batch/v1:Job": "IoK8sApiBatchV1Job",
    "batch/v1:CronJob": "IoK8sApiBatchV1CronJob",
    "admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy":
        "IoK8sApiAdmissionregistrationV1ValidatingAdmissionPolicy",
    "admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding":
        "IoK8sApiAdmissionregistrationV1ValidatingAdmissionPolicyBinding",
    "apps/v1:Deployment": "IoK8sApiAppsV1Deployment",
    "apps/v1:StatefulSet": "IoK8sApiAppsV1StatefulSet",
    "apps/v1:DaemonSet": "IoK8sApiAppsV1DaemonSet",
};

/** What a generated validator reports (ajv's ErrorObject, the part used here). */
interface SchemaError {
    readonly instancePath: string;
    readonly keyword: string;
    readonly params: Readonly<Record<string, unknown>>;
    readonly message?: string;
}

interface Validator {
    (data: unknown): boolean;
    errors?: readonly SchemaError[] | null;
}

/** The kinds validated here, as `apiVersion:kind`. */
export function builtinKinds(): string[] {
    return Object.keys(SCHEMA_MODULES).sort();
}

/** kubernetes-models ships ES modules only: they are loaded with import(), once per kind. */
async function importValidator(module: string): Promise<Validator> {
    const loaded = (await import(`kubernetes-models/_schemas/${module}`)) as { validate: Validator };
    return loaded.validate;
}

/** An ajv error in the words the CRD validation uses. */
function formatSchemaError(e: SchemaError): string {
    if (e.keyword === "required") return `missing required field "${String(e.params.missingProperty)}"`;
    if (e.keyword === "type") return `must be ${String(e.params.type)}`;
    if (e.keyword === "enum") return `must be one of ${JSON.stringify(e.params.allowedValues)}`;
    if (e.keyword === "format") return `must match format "${String(e.params.format)}"`;
    return e.message ?? e.keyword;
}

function valueAtPointer(root: unknown, pointer: string): unknown {
    let current = root;
    for (const segment of pointer.split("/").slice(1)) {
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<string, unknown>)[segment.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    return current;
}

export class BuiltinSchemas {
    private constructor(private readonly validators: ReadonlyMap<string, Validator>) {}

    /** Loads the validator of every listed kind. */
    static async load(): Promise<BuiltinSchemas> {
        const entries = await Promise.all(
            Object.entries(SCHEMA_MODULES).map(
                async ([key, module]) => [key, await importValidator(module)] as const,
            ),
        );
        return new BuiltinSchemas(new Map(entries));
    }

    hasKind(apiVersion: string, kind: string): boolean {
        return this.validators.has(`${apiVersion}:${kind}`);
    }

    /**
     * Every schema problem of a built-in object; [] when valid or when its kind is not listed. Values equal
     * to one of `opaque` (the synth's placeholder for a secret it cannot see) are not judged.
     */
    validateObject(
        obj: Readonly<Record<string, unknown>>,
        opaque: readonly string[] = [],
    ): ValidationIssue[] {
        const validate = this.validators.get(`${String(obj.apiVersion)}:${String(obj.kind)}`);
        if (!validate) return [];
        const object = describeObject(obj as unknown as ObjectRef);
        const issues = new Map<string, ValidationIssue>();
        const add = (path: string, message: string): void => {
            const value = valueAtPointer(obj, path);
            if (typeof value === "string" && opaque.includes(value)) return;
            issues.set(`${path} ${message}`, { object, path: path || "/", message });
        };
        // ajv reports the same failure once per branch it tried (anyOf, int-or-string): keep one.
        if (!validate(obj)) for (const e of validate.errors ?? []) add(e.instancePath, formatSchemaError(e));
        for (const path of findUndeclaredFields(obj, validate)) {
            const field = (path.split("/").pop() as string).replace(/~1/g, "/").replace(/~0/g, "~");
            add(
                path,
                `unknown field "${field}" (not in the ${String(obj.kind)} schema; server-side apply refuses it)`,
            );
        }
        for (const i of validateObjectMeta(obj)) add(i.path, i.message);
        for (const i of validateBuiltinRules(obj)) add(i.path, i.message);
        return [...issues.values()];
    }
}
