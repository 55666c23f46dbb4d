/** Table-driven rule tests: every case names an object a rule rejects and a close one it accepts. */
import { strict as assert } from "node:assert";
import type { AdmissionContext } from "../../../offline/admission/cluster";
import type { RuleIssue } from "../../../offline/admission/objects";

export type Rule = (obj: unknown, ctx?: AdmissionContext) => RuleIssue[];

export interface RuleCase {
    readonly name: string;
    /** An object the rule refuses… */
    readonly rejects: unknown;
    /** …with exactly this issue among those it reports… */
    readonly path: string;
    readonly message: string | RegExp;
    /** …and a close variant it admits (no issue at all). */
    readonly accepts: unknown;
    readonly ctx?: AdmissionContext;
}

function matches(issue: RuleIssue, c: RuleCase): boolean {
    const messageOk =
        typeof c.message === "string" ? issue.message === c.message : c.message.test(issue.message);
    return issue.path === c.path && messageOk;
}

/** One `describe` per rule, two `it`s per case. */
export function describeRule(title: string, rule: Rule, cases: readonly RuleCase[]): void {
    describe(title, () => {
        for (const c of cases) {
            it(`rejects ${c.name}`, () => {
                const issues = rule(c.rejects, c.ctx);
                assert.ok(
                    issues.some((i) => matches(i, c)),
                    `expected ${c.path}: ${String(c.message)}; got ${JSON.stringify(issues, null, 1)}`,
                );
            });
            it(`accepts the variant of ${c.name}`, () => {
                assert.deepEqual(rule(c.accepts, c.ctx), []);
            });
        }
    });
}

type Spec = Record<string, unknown>;

export function kargo(
    kind: string,
    name: string,
    namespace: string,
    spec: Spec = {},
    metadata: Spec = {},
): Spec {
    const meta: Spec = { name, ...metadata };
    if (namespace !== "") meta.namespace = namespace;
    return { apiVersion: "kargo.akuity.io/v1alpha1", kind, metadata: meta, spec };
}

export function cnpg(kind: string, name: string, spec: Spec, metadata: Spec = {}): Spec {
    return {
        apiVersion: "postgresql.cnpg.io/v1",
        kind,
        metadata: { name, namespace: "db", ...metadata },
        spec,
    };
}

export function namespace(name: string, labels: Record<string, string> = {}): Spec {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } };
}

/** A cluster holding project namespace `p` (created by its Project). */
export const PROJECT_P: AdmissionContext = { objects: [kargo("Project", "p", "")] };
