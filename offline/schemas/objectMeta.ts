/**
 * The part of `metadata` the API server judges on every object, built-in or custom: label and annotation
 * maps of strings, label keys and annotation keys that are qualified names, label values of the label
 * grammar, and at most 256 KiB of annotations. A CRD's schema leaves `metadata` open (`type: object`), so
 * without this a custom resource with `labels: {team: 7}` passes here and fails `pulumi up`.
 *
 * Upstream (Kubernetes v1.34.3): the API server decodes `metadata` into ObjectMeta, whose labels and
 * annotations are `map[string]string` (server-side apply refuses another type: "expected string"), then
 * runs `ValidateObjectMetaAccessor` (k8s.io/apimachinery pkg/api/validation/objectmeta.go) for built-in
 * kinds and for custom resources alike (apiextensions-apiserver pkg/registry/customresource/validator.go,
 * `customResourceValidator.Validate`).
 */
import { describeNameProblem } from "../../components/config/checks/kubernetesNames";

export interface MetaIssue {
    /** JSON pointer inside the object. */
    readonly path: string;
    readonly message: string;
}

/** `TotalAnnotationSizeLimitB` (apimachinery pkg/api/validation/objectmeta.go). */
export const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;
/** `qualifiedNameMaxLength` (apimachinery pkg/util/validation/validation.go). */
const NAME_PART_MAX = 63;

function escapePointer(segment: string): string {
    return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Why `key` is not a qualified name (`[prefix/]name`), or [] when it is: `IsQualifiedName`
 * (apimachinery pkg/util/validation/validation.go). The name part is at most 63 letters, digits, '-', '_'
 * and '.', starting and ending alphanumeric; the optional prefix is a DNS-1123 subdomain.
 */
export function describeQualifiedNameProblems(key: string): string[] {
    const parts = key.split("/");
    if (parts.length > 2)
        return [
            "has more than one '/' (a qualified name is an optional DNS subdomain prefix, '/', and a name)",
        ];
    const problems: string[] = [];
    const name = parts[parts.length - 1];
    if (parts.length === 2) {
        const prefix = parts[0];
        if (prefix === "") problems.push("prefix part must be non-empty");
        else {
            const problem = describeNameProblem(prefix, "subdomain");
            if (problem) problems.push(`prefix part "${prefix}": ${problem}`);
        }
    }
    if (name === "") problems.push("name part must be non-empty");
    else if (name.length > NAME_PART_MAX)
        problems.push(`name part is ${name.length} characters; at most ${NAME_PART_MAX}`);
    else {
        // The name part's grammar is the label value's, minus the empty string (handled above).
        const problem = describeNameProblem(name, "labelValue");
        if (problem)
            problems.push(
                `name part "${name}": letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
            );
    }
    return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A map of strings, as ObjectMeta decodes it; [] when absent. */
function checkStringMap(
    map: unknown,
    path: string,
    eachKey: (key: string, value: string, at: string) => MetaIssue[],
): MetaIssue[] {
    if (map === undefined || map === null) return [];
    if (!isPlainObject(map)) return [{ path, message: "must be object" }];
    const issues: MetaIssue[] = [];
    for (const [key, value] of Object.entries(map)) {
        const at = `${path}/${escapePointer(key)}`;
        if (typeof value !== "string") issues.push({ path: at, message: "must be string" });
        else issues.push(...eachKey(key, value, at));
    }
    return issues;
}

/** `ValidateLabels` (apimachinery pkg/apis/meta/v1/validation/validation.go): key and value grammars. */
function checkLabel(key: string, value: string, at: string): MetaIssue[] {
    const issues = describeQualifiedNameProblems(key).map((p) => ({
        path: at,
        message: `label key "${key}" is not a qualified name: ${p}`,
    }));
    const problem = describeNameProblem(value, "labelValue");
    if (problem)
        issues.push({
            path: at,
            message: `label value "${value}" is not valid: ${problem} (empty, or starting and ending with a letter or digit)`,
        });
    return issues;
}

/** `ValidateAnnotations`: the key is a qualified name once lower-cased; the value is free text. */
function checkAnnotation(key: string, _value: string, at: string): MetaIssue[] {
    return describeQualifiedNameProblems(key.toLowerCase()).map((p) => ({
        path: at,
        message: `annotation key "${key}" is not a qualified name: ${p}`,
    }));
}

/** `ValidateAnnotationsSize`: keys and values together, in bytes. */
function checkAnnotationsSize(annotations: unknown, path: string): MetaIssue[] {
    if (!isPlainObject(annotations)) return [];
    let size = 0;
    for (const [key, value] of Object.entries(annotations))
        if (typeof value === "string") size += Buffer.byteLength(key) + Buffer.byteLength(value);
    if (size <= ANNOTATIONS_SIZE_LIMIT) return [];
    return [
        {
            path,
            message: `annotations total ${size} bytes (keys and values); at most ${ANNOTATIONS_SIZE_LIMIT}`,
        },
    ];
}

/**
 * The labels and annotations problems of the metadata `meta` found at `at` (an object's, or a pod
 * template's, which `ValidatePodTemplateSpec` judges the same way); [] when there are none.
 */
export function validateMetadata(meta: unknown, at: string): MetaIssue[] {
    if (!isPlainObject(meta)) return [];
    return [
        ...checkStringMap(meta.labels, `${at}/labels`, checkLabel),
        ...checkStringMap(meta.annotations, `${at}/annotations`, checkAnnotation),
        ...checkAnnotationsSize(meta.annotations, `${at}/annotations`),
    ];
}

/** The labels and annotations problems of any object; [] when there are none. */
export function validateObjectMeta(obj: Readonly<Record<string, unknown>>): MetaIssue[] {
    return validateMetadata(obj.metadata, "/metadata");
}
