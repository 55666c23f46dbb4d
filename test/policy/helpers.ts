/**
 * Shared test plumbing for the policy pack: one analyzer session per test file (the real pack process,
 * started once), the compliant baseline stack, and edits that derive each violating case from it.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import {
    startPolicySession,
    type PackAnalysis,
    type PackConfig,
    type PolicySession,
    type ResourceRecord,
} from "../../offline/policy/policyRunner";

export const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const fixtures = path.resolve(__dirname, "..", "fixtures", "policy");

export function loadFixture(name: string): ResourceRecord[] {
    return JSON.parse(readFileSync(path.join(fixtures, name), "utf8")) as ResourceRecord[];
}

/** A fresh copy of the compliant stack every case starts from. */
export function loadBaseline(): ResourceRecord[] {
    return loadFixture("baseline.resources.json");
}

type Json = Record<string, unknown>;

/** Applies `edit` to the inputs of the resource registered as `name`; throws when there is none. */
export function editResource(
    resources: ResourceRecord[],
    name: string,
    edit: (inputs: Json) => void,
): ResourceRecord[] {
    const resource = resources.find((r) => r.name === name);
    if (!resource) throw new Error(`fixture has no resource named ${name}`);
    edit(resource.inputs);
    return resources;
}

/**
 * Applies `edit` to the Application inside the deploy file registered as `name` (a RepositoryFile whose
 * content is YAML), writing the edited object back as the file's content.
 */
export function editDeployFile(
    resources: ResourceRecord[],
    name: string,
    edit: (app: Json) => void,
): ResourceRecord[] {
    return editResource(resources, name, (inputs) => {
        const app = parseYaml(String(inputs.content)) as Json;
        edit(app);
        inputs.content = stringifyYaml(app, { lineWidth: 0 });
    });
}

/** Reads or creates nested objects along a dotted path (numeric parts index arrays). */
export function at(value: Json, dotted: string): Json {
    let current: Json = value;
    for (const key of dotted.split(".")) current = current[key] as Json;
    return current;
}

export function removeResources(resources: ResourceRecord[], ...names: string[]): ResourceRecord[] {
    for (const name of names) {
        if (!resources.some((r) => r.name === name)) throw new Error(`fixture has no resource named ${name}`);
    }
    return resources.filter((r) => !names.includes(r.name));
}

export function addResource(
    resources: ResourceRecord[],
    type: string,
    name: string,
    inputs: Json,
): ResourceRecord[] {
    return [...resources, { urn: `urn:pulumi:test::release-pipeline::${type}::${name}`, type, name, inputs }];
}

/** A violation as tests compare it: resource name instead of the full URN. */
export interface Seen {
    policy: string;
    resource?: string;
    message: string;
    level: string;
}

export function summarize(analysis: PackAnalysis): Seen[] {
    return analysis.violations.map((v) => ({
        policy: v.policy,
        ...(v.urn ? { resource: v.urn.split("::").pop() } : {}),
        message: v.message,
        level: v.enforcementLevel,
    }));
}

let shared: Promise<PolicySession> | undefined;

/**
 * The real pack, started once for the whole run (one process serves every file; each analysis sends
 * its own Configure first) and stopped by a root-level hook so mocha can exit.
 */
export function usePolicySession(): {
    analyze(resources: ResourceRecord[], config?: PackConfig): Promise<PackAnalysis>;
    session(): Promise<PolicySession>;
} {
    before(async function () {
        this.timeout(120_000);
        shared ??= startPolicySession();
        await shared;
    });
    return {
        analyze: async (resources, config) => {
            if (!shared) throw new Error("policy session not started");
            return (await shared).analyze(resources, config);
        },
        session: () => {
            if (!shared) throw new Error("policy session not started");
            return shared;
        },
    };
}

after(async () => (await shared)?.close());

export interface Case {
    name: string;
    build: () => ResourceRecord[];
    config?: PackConfig;
    expected: Seen[];
}

/** One test per case: the whole list of violations the pack reports for it, asserted exactly. */
export function itReportsExactly(pack: ReturnType<typeof usePolicySession>, cases: readonly Case[]): void {
    for (const c of cases) {
        it(c.name, async () => {
            assert.deepEqual(summarize(await pack.analyze(c.build(), c.config)), c.expected);
        });
    }
}
