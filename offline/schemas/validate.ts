/**
 * Validates declared Kubernetes objects the way the API server and Kargo would: each custom resource against
 * its pinned CRD's openAPIV3Schema (unknown fields are errors here, because the API server would silently
 * prune them) and its CEL rules, each Warehouse subscription against Kargo's subscription schema, and each
 * promotion step's `config` against Kargo's step schema, allowing for `${{ }}` expressions.
 */
import { evaluate } from "@marcbachmann/cel-js";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { parse as parseYaml } from "yaml";
import { describeObject } from "../../components/core/objects";
import { CRD_SOURCES } from "./crdSources";
import { applyStructuralDefaults } from "./defaults";
import { readSource } from "./crds";
import { validateObjectMeta } from "./objectMeta";

export interface ObjectRef {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

export interface ValidationIssue {
    /** `Kind namespace/name` of the object. */
    readonly object: string;
    /** JSON pointer inside the object. */
    readonly path: string;
    readonly message: string;
}

type JsonSchema = Record<string, unknown>;
interface CelRule {
    readonly path: string;
    readonly rule: string;
    readonly message: string;
}

/** A value made entirely of one Kargo expression: its type is only known after evaluation. */
const WHOLE_EXPRESSION = /^\s*(\$\{\{[\s\S]*\}\}|\$\{%[\s\S]*%\})\s*$/;
const HAS_EXPRESSION = /\$\{\{|\$\{%/;
/** Keywords that cannot be judged before an expression is evaluated. */
const TYPE_DEPENDENT = new Set([
    "type",
    "enum",
    "const",
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "oneOf",
    "anyOf",
]);
const TEXT_DEPENDENT = new Set(["enum", "const", "pattern", "format", "minLength", "maxLength"]);

/**
 * Rewrites a structural schema so unknown fields are errors: every object schema that lists `properties`
 * and does not preserve unknown fields gets `additionalProperties: false`. Also collects the CEL rules.
 */
export function strictifySchema(schema: JsonSchema, rules: CelRule[] = [], path = ""): JsonSchema {
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(schema)) {
        if (key === "x-kubernetes-validations" && Array.isArray(value)) {
            for (const v of value as { rule: string; message?: string }[]) {
                rules.push({ path, rule: v.rule, message: v.message ?? `failed rule: ${v.rule}` });
            }
            continue;
        }
        if (key === "properties" && value && typeof value === "object") {
            out.properties = Object.fromEntries(
                Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [
                    k,
                    strictifySchema(v, rules, `${path}/${k}`),
                ]),
            );
        } else if (key === "items" && value && typeof value === "object") {
            out.items = strictifySchema(value as JsonSchema, rules, `${path}/*`);
        } else if (key === "additionalProperties" && value && typeof value === "object") {
            out.additionalProperties = strictifySchema(value as JsonSchema, rules, `${path}/*`);
        } else {
            out[key] = value;
        }
    }
    if (
        out.properties &&
        out.additionalProperties === undefined &&
        !out["x-kubernetes-preserve-unknown-fields"]
    ) {
        out.additionalProperties = false;
    }
    return out;
}

/** Values at a path pattern (`*` = every array item or map value). */
function valuesAt(root: unknown, path: string): { pointer: string; value: unknown }[] {
    let current: { pointer: string; value: unknown }[] = [{ pointer: "", value: root }];
    for (const seg of path.split("/").filter(Boolean)) {
        const next: { pointer: string; value: unknown }[] = [];
        for (const { pointer, value } of current) {
            if (value === null || typeof value !== "object") continue;
            if (seg === "*") {
                for (const [k, v] of Object.entries(value))
                    next.push({ pointer: `${pointer}/${k}`, value: v });
            } else if (seg in (value as object)) {
                next.push({ pointer: `${pointer}/${seg}`, value: (value as Record<string, unknown>)[seg] });
            }
        }
        current = next;
    }
    return current;
}

/** Evaluates CEL rules the way the API server does on create (transition rules need an old object: skipped). */
export function checkCelRules(obj: unknown, rules: readonly CelRule[]): { path: string; message: string }[] {
    const issues: { path: string; message: string }[] = [];
    for (const rule of rules) {
        if (/\boldSelf\b/.test(rule.rule)) continue;
        for (const { pointer, value } of valuesAt(obj, rule.path)) {
            let ok: unknown;
            try {
                ok = evaluate(rule.rule, { self: value as never });
            } catch (err) {
                ok = false;
                issues.push({
                    path: pointer || "/",
                    message: `${rule.message} (rule could not be evaluated: ${(err as Error).message})`,
                });
                continue;
            }
            if (ok !== true) issues.push({ path: pointer || "/", message: rule.message });
        }
    }
    return issues;
}

function valueAtPointer(root: unknown, pointer: string): unknown {
    let cur = root;
    for (const seg of pointer.split("/").filter(Boolean)) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    return cur;
}

/** Drops schema errors that only an evaluated expression could settle. */
export function filterExpressionErrors(errors: readonly ErrorObject[], data: unknown): ErrorObject[] {
    return errors.filter((e) => {
        const value = valueAtPointer(data, e.instancePath);
        if (typeof value !== "string") return true;
        if (WHOLE_EXPRESSION.test(value)) return !TYPE_DEPENDENT.has(e.keyword);
        if (HAS_EXPRESSION.test(value)) return !TEXT_DEPENDENT.has(e.keyword);
        return true;
    });
}

function formatAjvError(e: ErrorObject): string {
    if (e.keyword === "additionalProperties") {
        return `unknown field "${(e.params as { additionalProperty: string }).additionalProperty}" (the API server would drop it)`;
    }
    if (e.keyword === "enum")
        return `${e.message}: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    return e.message ?? e.keyword;
}

interface CrdEntry {
    /** The served version's openAPIV3Schema, whose `default`s the API server applies before validating. */
    readonly schema: JsonSchema;
    /** Compiled on first use: the CNPG Cluster schema alone takes a second to compile. */
    readonly validate: () => ValidateFunction;
    readonly rules: readonly CelRule[];
}

export class SchemaRegistry {
    private constructor(
        private readonly crds: Map<string, CrdEntry>,
        private readonly steps: Map<string, ValidateFunction>,
        private readonly subscriptions: Map<string, ValidateFunction>,
    ) {}

    /** Loads every pinned CRD and Kargo schema from a resolved CRD directory. */
    static load(dir: string): SchemaRegistry {
        const ajv = new Ajv({ strict: false, allErrors: true, logger: false, unicodeRegExp: false });
        addFormats(ajv);
        // Kubernetes "duration" is Go's (5m0s), not ISO 8601.
        ajv.addFormat("duration", /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/);
        const crds = new Map<string, CrdEntry>();
        for (const source of CRD_SOURCES.filter((s) => s.path.endsWith(".yaml"))) {
            const crd = parseYaml(readSource(dir, source.path));
            const { group, names } = crd.spec;
            for (const version of crd.spec.versions) {
                if (!version.served) continue;
                const rules: CelRule[] = [];
                const schema = strictifySchema(version.schema.openAPIV3Schema, rules);
                let compiled: ValidateFunction | undefined;
                const validate = () => (compiled ??= ajv.compile(schema));
                crds.set(`${group}/${version.name}:${names.kind}`, {
                    schema: version.schema.openAPIV3Schema,
                    validate,
                    rules,
                });
            }
        }
        const kargo = new Ajv2020({ strict: false, allErrors: true, logger: false, unicodeRegExp: false });
        addFormats(kargo);
        const steps = new Map<string, ValidateFunction>();
        const subscriptions = new Map<string, ValidateFunction>();
        const jsonSources = CRD_SOURCES.filter((s) => s.path.endsWith(".json"));
        for (const source of jsonSources) {
            const file = source.path.split("/").pop() as string;
            const schema = JSON.parse(readSource(dir, source.path));
            delete schema.$schema;
            kargo.addSchema({ ...schema, $id: `https://schemas.kargo.local/${file}` });
        }
        for (const source of jsonSources) {
            const file = source.path.split("/").pop() as string;
            const validate = kargo.getSchema(`https://schemas.kargo.local/${file}`) as ValidateFunction;
            if (source.path.includes("/promotion-steps/") && file.endsWith("-config.json")) {
                steps.set(file.replace(/-config\.json$/, ""), validate);
            } else if (source.path.includes("/subscriptions/")) {
                subscriptions.set(file.replace(/\.json$/, ""), validate);
            }
        }
        return new SchemaRegistry(crds, steps, subscriptions);
    }

    hasKind(apiVersion: string, kind: string): boolean {
        return this.crds.has(`${apiVersion}:${kind}`);
    }

    /** Whether a pinned CRD serves this API group (so an unknown kind or version in it is a mistake). */
    hasGroup(apiVersion: string): boolean {
        const group = apiVersion.split("/")[0];
        return apiVersion.includes("/") && [...this.crds.keys()].some((key) => key.startsWith(`${group}/`));
    }

    /** Names of the promotion steps Kargo 1.11.2 knows. */
    stepNames(): string[] {
        return [...this.steps.keys()].sort();
    }

    /** Validates one promotion step's config; `where` prefixes the reported path. */
    validateStep(uses: string, config: unknown, where: string): { path: string; message: string }[] {
        const validate = this.steps.get(uses);
        if (!validate) return [{ path: where, message: `unknown promotion step "${uses}"` }];
        if (validate(config ?? {})) return [];
        return filterExpressionErrors(validate.errors ?? [], config).map((e) => ({
            path: `${where}/config${e.instancePath}`,
            message: formatAjvError(e),
        }));
    }

    /**
     * `obj` as the API server stores it: its CRD's structural defaults applied (they are applied before any
     * validation, so a field the schema both requires and defaults may be left out). Undefined for a kind
     * no pinned CRD defines.
     */
    applyDefaults<T extends ObjectRef>(obj: T): T | undefined {
        const entry = this.crds.get(`${obj.apiVersion}:${obj.kind}`);
        return entry ? (applyStructuralDefaults(obj, entry.schema) as T) : undefined;
    }

    /** Every problem with `obj` once defaulted; an empty list means the object is valid. */
    validateObject(given: ObjectRef & Record<string, unknown>): ValidationIssue[] {
        const object = describeObject(given);
        const entry = this.crds.get(`${given.apiVersion}:${given.kind}`);
        if (!entry) {
            return [
                { object, path: "/", message: `no pinned CRD defines ${given.apiVersion} ${given.kind}` },
            ];
        }
        const obj = applyStructuralDefaults(given, entry.schema) as ObjectRef & Record<string, unknown>;
        const issues: ValidationIssue[] = [];
        const validate = entry.validate();
        if (!validate(obj)) {
            for (const e of validate.errors ?? []) {
                issues.push({ object, path: e.instancePath || "/", message: formatAjvError(e) });
            }
        }
        for (const i of checkCelRules(obj, entry.rules)) issues.push({ object, ...i });
        // The CRD schema leaves metadata open; the API server still decodes and validates it as ObjectMeta.
        for (const i of validateObjectMeta(obj)) issues.push({ object, ...i });
        for (const i of this.validateEmbedded(obj)) issues.push({ object, ...i });
        return issues;
    }

    /** Parts the CRD leaves free-form but Kargo validates: step configs and Warehouse subscriptions. */
    private validateEmbedded(obj: ObjectRef & Record<string, unknown>): { path: string; message: string }[] {
        const issues: { path: string; message: string }[] = [];
        const spec = (obj.spec ?? {}) as Record<string, unknown>;
        const checkSteps = (steps: unknown, base: string) => {
            if (!Array.isArray(steps)) return;
            steps.forEach((step: Record<string, unknown>, i) => {
                if (typeof step.uses === "string")
                    issues.push(...this.validateStep(step.uses, step.config, `${base}/${i}`));
            });
        };
        if (obj.apiVersion === "kargo.akuity.io/v1alpha1") {
            if (obj.kind === "PromotionTask" || obj.kind === "ClusterPromotionTask")
                checkSteps(spec.steps, "/spec/steps");
            if (obj.kind === "Stage") {
                const template = (spec.promotionTemplate as { spec?: { steps?: unknown } } | undefined)?.spec;
                checkSteps(template?.steps, "/spec/promotionTemplate/spec/steps");
            }
            if (obj.kind === "Warehouse" && Array.isArray(spec.subscriptions)) {
                spec.subscriptions.forEach((sub: Record<string, unknown>, i) => {
                    const kinds = Object.keys(sub);
                    if (kinds.length !== 1) {
                        issues.push({
                            path: `/spec/subscriptions/${i}`,
                            message: "a subscription has exactly one of chart, git, image",
                        });
                        return;
                    }
                    const validate = this.subscriptions.get(kinds[0]);
                    if (!validate) {
                        issues.push({
                            path: `/spec/subscriptions/${i}`,
                            message: `unknown subscription kind "${kinds[0]}"`,
                        });
                    } else if (!validate(sub[kinds[0]])) {
                        for (const e of validate.errors ?? []) {
                            issues.push({
                                path: `/spec/subscriptions/${i}/${kinds[0]}${e.instancePath}`,
                                message: formatAjvError(e),
                            });
                        }
                    }
                });
            }
        }
        return issues;
    }
}
