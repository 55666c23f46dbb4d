/**
 * Issue 20, item 10: GitHub ignores a `with:` key an action does not declare (a misspelt `policyPacks` passes
 * actionlint and silently does nothing), and a reusable workflow call is only checked when it runs. Every
 * action step is checked against the reviewed list of its pinned inputs (.github/pinned-actions.yml), and every
 * reusable workflow call (this repository's own, and the example caller's) against the called workflow's
 * `workflow_call` inputs and secrets.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import {
    ALL_WORKFLOWS,
    PINNED_ACTIONS,
    WORKFLOWS,
    allSteps,
    workflowCall,
    type Job,
    type Workflow,
} from "./support/workflows";

/** One action as reviewed: its pin and the inputs its action.yml declares there. */
interface ReviewedAction {
    readonly pin: string;
    readonly version: string;
    readonly required: readonly string[];
    readonly deprecated: readonly string[];
    readonly inputs: readonly string[];
}

const reviewed = parse(readFileSync(PINNED_ACTIONS, "utf8")) as Record<string, ReviewedAction>;

/** An action step as the check reads it: `owner/name@ref`, the version comment, its `with:` keys. */
interface ActionUse {
    readonly where: string;
    readonly uses: string;
    readonly comment: string;
    readonly with: readonly string[];
}

/** Problems of one action step against the reviewed list; [] when it is fine. */
export function checkActionUse(use: ActionUse, list: Record<string, ReviewedAction>): string[] {
    const [action, ref = ""] = use.uses.split("@");
    const entry = list[action];
    if (!entry)
        return [`${use.where}: ${action} is not in .github/pinned-actions.yml; review its action.yml`];
    const problems: string[] = [];
    if (ref !== entry.pin || use.comment !== `# ${entry.version}`)
        problems.push(
            `${use.where}: ${action}@${ref} ${use.comment} but .github/pinned-actions.yml reviewed ${entry.pin} # ${entry.version}: read action.yml at the new pin and update the entry`,
        );
    for (const key of use.with) {
        if (!entry.inputs.includes(key))
            problems.push(
                `${use.where}: ${action} has no input ${JSON.stringify(key)}; its inputs: ${entry.inputs.join(", ")}`,
            );
        if (entry.deprecated.includes(key))
            problems.push(`${use.where}: ${action} input ${JSON.stringify(key)} is deprecated`);
    }
    for (const key of entry.required) {
        if (!use.with.includes(key))
            problems.push(`${use.where}: ${action} requires input ${JSON.stringify(key)}`);
    }
    return problems;
}

/** Every action step in the workflows, with the version comment on its `uses:` line. */
function actionUses(): ActionUse[] {
    return ALL_WORKFLOWS.flatMap((file) => {
        const lines = file.text.split("\n");
        const comments = new Map<string, string>();
        for (const line of lines) {
            const m = /^\s*(?:-\s+)?uses:\s*([^\s#]+)\s*(#.*)?$/.exec(line);
            if (m) comments.set(m[1], (m[2] ?? "").trim());
        }
        return allSteps(file)
            .filter(({ step }) => step.uses !== undefined && !step.uses.startsWith("./"))
            .map(({ job, index, step }) => ({
                where: `${file.path} jobs.${job}.steps[${index}]`,
                uses: String(step.uses),
                comment: comments.get(String(step.uses)) ?? "",
                with: Object.keys(step.with ?? {}),
            }));
    });
}

/** Problems of one reusable workflow call (`jobs.<id>.uses`) against the called workflow's declaration. */
export function checkWorkflowCall(where: string, job: Job, callee: Workflow): string[] {
    const { inputs, secrets } = workflowCall(callee);
    const problems: string[] = [];
    if (!("workflow_call" in callee.on))
        return [`${where}: the called workflow has no workflow_call trigger`];
    const given = Object.keys(job.with ?? {});
    for (const key of given) {
        if (!(key in inputs))
            problems.push(
                `${where}: no input ${JSON.stringify(key)}; the workflow takes ${Object.keys(inputs).join(", ")}`,
            );
    }
    for (const [key, input] of Object.entries(inputs)) {
        if (input.required && !given.includes(key))
            problems.push(`${where}: the required input ${JSON.stringify(key)} is missing`);
    }
    if (job.secrets === "inherit") return problems;
    const passed = Object.keys(job.secrets ?? {});
    for (const key of passed) {
        if (!(key in secrets))
            problems.push(
                `${where}: no secret ${JSON.stringify(key)}; the workflow takes ${Object.keys(secrets).join(", ") || "none"}`,
            );
    }
    for (const [key, secret] of Object.entries(secrets)) {
        if (secret.required && !passed.includes(key))
            problems.push(`${where}: the required secret ${JSON.stringify(key)} is missing`);
    }
    return problems;
}

/** The file of this repository a `jobs.<id>.uses` names: `./.github/workflows/x.yml` or `o/r/.github/workflows/x.yml@ref`. */
function calledFile(uses: string): string | undefined {
    const m = /^(?:\.\/|[\w.-]+\/[\w.-]+\/)(\.github\/workflows\/[\w.-]+\.ya?ml)(?:@.+)?$/.exec(uses);
    return m?.[1];
}

describe("workflow inputs: every with: is an input the action or called workflow declares", () => {
    describe("the reviewed list", () => {
        for (const [action, entry] of Object.entries(reviewed)) {
            it(`${action}: a full commit SHA, a vX.Y.Z version, inputs that include its required and deprecated ones`, () => {
                assert.match(entry.pin, /^[0-9a-f]{40}$/);
                assert.match(entry.version, /^v\d+\.\d+\.\d+$/);
                assert.ok(entry.inputs.length > 0);
                for (const key of [...entry.required, ...entry.deprecated])
                    assert.ok(entry.inputs.includes(key), key);
            });
        }

        it("lists no action the workflows no longer use", () => {
            const used = new Set(actionUses().map((u) => u.uses.split("@")[0]));
            assert.deepEqual(
                Object.keys(reviewed).filter((a) => !used.has(a)),
                [],
            );
        });
    });

    describe("the action check itself", () => {
        const pulumi = reviewed["pulumi/actions"];
        const ok = { where: "x", uses: `pulumi/actions@${pulumi.pin}`, comment: `# ${pulumi.version}` };
        const cases: { name: string; use: ActionUse; problems: RegExp[] }[] = [
            { name: "declared inputs", use: { ...ok, with: ["command", "policyPacks"] }, problems: [] },
            {
                name: "a misspelt input",
                use: { ...ok, with: ["command", "policyPack"] },
                problems: [/pulumi\/actions has no input "policyPack"; its inputs: command, /],
            },
            {
                name: "an input of another action",
                use: { ...ok, with: ["fetch-depth"] },
                problems: [/has no input "fetch-depth"/],
            },
            {
                name: "another pin than the reviewed one",
                use: { ...ok, uses: `pulumi/actions@${"1".repeat(40)}`, with: [] },
                problems: [/reviewed 8e5e406f4007fca908480587cb9893c07090f58d # v7\.0\.0: read action\.yml/],
            },
            {
                name: "the right pin with another version comment",
                use: { ...ok, comment: "# v7.0.1", with: [] },
                problems: [/but \.github\/pinned-actions\.yml reviewed/],
            },
            {
                name: "an action nobody reviewed",
                use: { where: "x", uses: `acme/deploy@${"2".repeat(40)}`, comment: "# v1.0.0", with: [] },
                problems: [/acme\/deploy is not in \.github\/pinned-actions\.yml/],
            },
            {
                name: "a required input missing",
                use: {
                    where: "x",
                    uses: `actions/create-github-app-token@${reviewed["actions/create-github-app-token"].pin}`,
                    comment: `# ${reviewed["actions/create-github-app-token"].version}`,
                    with: ["client-id"],
                },
                problems: [/requires input "private-key"/],
            },
            {
                name: "a deprecated input",
                use: {
                    where: "x",
                    uses: `actions/create-github-app-token@${reviewed["actions/create-github-app-token"].pin}`,
                    comment: `# ${reviewed["actions/create-github-app-token"].version}`,
                    with: ["app-id", "private-key"],
                },
                problems: [/input "app-id" is deprecated/],
            },
        ];
        for (const c of cases) {
            it(c.name, () => {
                const problems = checkActionUse(c.use, reviewed);
                assert.equal(problems.length, c.problems.length, problems.join("\n"));
                c.problems.forEach((re, i) => assert.match(problems[i], re));
            });
        }
    });

    it("every action step in the workflows and the example caller", () => {
        const uses = actionUses();
        assert.ok(uses.length > 10);
        assert.deepEqual(
            uses.flatMap((u) => checkActionUse(u, reviewed)),
            [],
        );
    });

    describe("the reusable workflow call check itself", () => {
        const callee = parse(
            "on:\n  workflow_call:\n    inputs:\n      a: {type: string, required: true}\n      b: {type: string, default: x}\n" +
                "    secrets:\n      S: {required: true}\n      T: {required: false}\njobs: {}\n",
        ) as Workflow;
        const cases: { name: string; job: Job; problems: RegExp[] }[] = [
            { name: "required given", job: { with: { a: "1" }, secrets: { S: "s" } }, problems: [] },
            {
                name: "secrets inherited",
                job: { with: { a: "1", b: "2" }, secrets: "inherit" },
                problems: [],
            },
            {
                name: "a misspelt input",
                job: { with: { a: "1", bb: "2" }, secrets: { S: "s" } },
                problems: [/no input "bb"; the workflow takes a, b/],
            },
            {
                name: "a required input missing",
                job: { with: { b: "2" }, secrets: { S: "s" } },
                problems: [/required input "a"/],
            },
            {
                name: "a required secret missing",
                job: { with: { a: "1" } },
                problems: [/required secret "S"/],
            },
            {
                name: "a secret it does not take",
                job: { with: { a: "1" }, secrets: { S: "s", U: "u" } },
                problems: [/no secret "U"/],
            },
        ];
        for (const c of cases) {
            it(c.name, () => {
                const problems = checkWorkflowCall("x", c.job, callee);
                assert.equal(problems.length, c.problems.length, problems.join("\n"));
                c.problems.forEach((re, i) => assert.match(problems[i], re));
            });
        }
        it("a workflow without workflow_call", () =>
            assert.deepEqual(checkWorkflowCall("x", {}, { on: { push: null }, jobs: {} }), [
                "x: the called workflow has no workflow_call trigger",
            ]));
    });

    it("every reusable workflow call names a workflow of this repository and passes what it declares", () => {
        const calls = ALL_WORKFLOWS.flatMap((file) =>
            Object.entries(file.workflow.jobs)
                .filter(([, job]) => job.uses !== undefined)
                .map(([id, job]) => ({ where: `${file.path} jobs.${id}`, job })),
        );
        assert.ok(calls.length >= 3, "pulumi-up's calls and the example caller's two");
        const problems = calls.flatMap(({ where, job }) => {
            const target = calledFile(String(job.uses));
            const callee = WORKFLOWS.find((f) => f.path === target);
            return callee
                ? checkWorkflowCall(where, job, callee.workflow)
                : [`${where}: ${job.uses} is not a workflow here`];
        });
        assert.deepEqual(problems, []);
    });
});
