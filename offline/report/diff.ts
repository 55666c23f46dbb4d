/**
 * `npm run synth -- --diff BASE_DIR`: two synths compared resource by resource (keyed by URN, as the engine
 * keys its state), with the changed fields by path — a `pulumi preview --diff` summary that needs no
 * cluster, no cloud account and no Pulumi state. Everything here is pure; reading the files is the caller's.
 */

/** One row of a synth's `resources.json` (the fields the diff reads). */
export interface SynthRow {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    /** Resource options recorded by the synth (protect, provider, …); compared like inputs when present. */
    readonly options?: Readonly<Record<string, unknown>>;
}

/** One field that differs, by its path in the inputs (`spec.steps[as=clone].config`), or under
 * `(options)` for a resource option. */
export interface FieldChange {
    readonly kind: "added" | "removed" | "changed";
    readonly path: string;
    readonly before?: unknown;
    readonly after?: unknown;
    /**
     * The head declares the field under `ignoreChanges`: `pulumi up` keeps the live value, so the change is
     * a silent no-op (a Renovate bump of such a value, for instance) and the diff says so.
     */
    readonly ignored?: true;
}

export type ResourceOp = "create" | "update" | "delete";

export interface ResourceDiff {
    readonly op: ResourceOp;
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** The changed fields of an update; empty for create and delete. */
    readonly changes: readonly FieldChange[];
}

export interface SynthDiff {
    /** Creates and updates in the head's registration order, then deletes in the base's order. */
    readonly resources: readonly ResourceDiff[];
    readonly unchanged: number;
}

type Obj = Readonly<Record<string, unknown>>;

function isObj(value: unknown): value is Obj {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

function keyPath(path: string, key: string): string {
    if (IDENTIFIER.test(key)) return path === "" ? key : `${path}.${key}`;
    return `${path}[${JSON.stringify(key)}]`;
}

/**
 * The key that identifies an array's elements, when there is one: every element an object with a unique
 * string `name` (containers, vars, args) or `as` (promotion steps). Keyed arrays are compared element by
 * element whatever their order, so inserting a step shows one added step, not every later one changed.
 */
function findElementKey(a: readonly unknown[], b: readonly unknown[]): string | undefined {
    for (const key of ["name", "as"]) {
        const ok = (arr: readonly unknown[]) => {
            const ids = arr.map((e) => (isObj(e) && typeof e[key] === "string" ? e[key] : undefined));
            return ids.every((id) => id !== undefined) && new Set(ids).size === ids.length;
        };
        if (a.length + b.length > 0 && ok(a) && ok(b)) return key;
    }
    return undefined;
}

function diffArrays(before: readonly unknown[], after: readonly unknown[], path: string): FieldChange[] {
    const key = findElementKey(before, after);
    if (key === undefined) {
        const changes: FieldChange[] = [];
        for (let i = 0; i < Math.max(before.length, after.length); i++) {
            const at = `${path}[${i}]`;
            if (i >= before.length) changes.push({ kind: "added", path: at, after: after[i] });
            else if (i >= after.length) changes.push({ kind: "removed", path: at, before: before[i] });
            else changes.push(...diffValues(before[i], after[i], at));
        }
        return changes;
    }
    const byId = (arr: readonly unknown[]) => new Map(arr.map((e) => [String((e as Obj)[key]), e]));
    const [old, now] = [byId(before), byId(after)];
    const changes: FieldChange[] = [];
    for (const [id, element] of now) {
        const at = `${path}[${key}=${id}]`;
        if (!old.has(id)) changes.push({ kind: "added", path: at, after: element });
        else changes.push(...diffValues(old.get(id), element, at));
    }
    for (const [id, element] of old) {
        if (!now.has(id)) changes.push({ kind: "removed", path: `${path}[${key}=${id}]`, before: element });
    }
    return changes;
}

/** Every leaf-level difference between two JSON values, by path; `[]` when they are equal. */
export function diffValues(before: unknown, after: unknown, path = ""): FieldChange[] {
    if (Array.isArray(before) && Array.isArray(after)) return diffArrays(before, after, path);
    if (isObj(before) && isObj(after)) {
        const changes: FieldChange[] = [];
        for (const [key, value] of Object.entries(after)) {
            const at = keyPath(path, key);
            if (!(key in before)) changes.push({ kind: "added", path: at, after: value });
            else changes.push(...diffValues(before[key], value, at));
        }
        for (const [key, value] of Object.entries(before)) {
            if (!(key in after)) changes.push({ kind: "removed", path: keyPath(path, key), before: value });
        }
        return changes;
    }
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    return [{ kind: "changed", path, before, after }];
}

/** Whether an `ignoreChanges` entry (a property path such as `spec.source.targetRevision`) covers `path`. */
export function isIgnoredPath(path: string, ignoreChanges: readonly string[]): boolean {
    return ignoreChanges.some((i) => path === i || path.startsWith(i + ".") || path.startsWith(i + "["));
}

function diffRow(base: SynthRow, head: SynthRow): FieldChange[] {
    const ignoreChanges = (head.options?.ignoreChanges ?? []) as readonly string[];
    return [
        ...diffValues(base.inputs, head.inputs).map((c) =>
            isIgnoredPath(c.path, ignoreChanges) ? { ...c, ignored: true as const } : c,
        ),
        ...diffValues(base.options ?? {}, head.options ?? {}, "(options)"),
    ];
}

/** Compares two synths' resources by URN (a changed name, type or parent is a delete plus a create). */
export function diffSynths(base: readonly SynthRow[], head: readonly SynthRow[]): SynthDiff {
    const baseByUrn = new Map(base.map((r) => [r.urn, r]));
    const headUrns = new Set(head.map((r) => r.urn));
    const resources: ResourceDiff[] = [];
    let unchanged = 0;
    for (const row of head) {
        const old = baseByUrn.get(row.urn);
        const id = { urn: row.urn, type: row.type, name: row.name };
        if (!old) {
            resources.push({ op: "create", ...id, changes: [] });
            continue;
        }
        const changes = diffRow(old, row);
        if (changes.length === 0) unchanged++;
        else resources.push({ op: "update", ...id, changes });
    }
    for (const row of base) {
        if (!headUrns.has(row.urn))
            resources.push({ op: "delete", urn: row.urn, type: row.type, name: row.name, changes: [] });
    }
    return { resources, unchanged };
}

export function countOps(diff: SynthDiff): Record<ResourceOp, number> {
    const count = (op: ResourceOp) => diff.resources.filter((r) => r.op === op).length;
    return { create: count("create"), update: count("update"), delete: count("delete") };
}

/** `2 to create, 1 to update, 0 to delete, 57 unchanged`, or `no changes (59 unchanged)`. */
export function renderDiffCounts(diff: SynthDiff): string {
    const n = countOps(diff);
    if (n.create + n.update + n.delete === 0) return `no changes (${diff.unchanged} unchanged)`;
    return `${n.create} to create, ${n.update} to update, ${n.delete} to delete, ${diff.unchanged} unchanged`;
}

const VALUE_WIDTH = 100;

/** A value on one line: JSON, shortened with `…` past {@link VALUE_WIDTH} characters. */
export function renderValue(value: unknown): string {
    const text = value === undefined ? "undefined" : JSON.stringify(value);
    return text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text;
}

const MARK: Record<ResourceOp, string> = { create: "+", update: "~", delete: "-" };

/**
 * The diff as lines a reviewer reads like `pulumi preview --diff`: `+`/`~`/`-` then type and name per
 * resource; under an update, a changed field as a `-` line (before) and a `+` line (after). Inside a
 * ```diff block GitHub colours them.
 */
export function renderDiffLines(diff: SynthDiff): string[] {
    const lines: string[] = [];
    for (const r of diff.resources) {
        lines.push(`${MARK[r.op]} ${r.type} ${r.name}`);
        for (const c of r.changes) {
            if (c.kind !== "added") lines.push(`-     ${c.path}: ${renderValue(c.before)}`);
            const note = c.ignored ? "   (ignoreChanges: pulumi up keeps the live value)" : "";
            if (c.kind !== "removed") lines.push(`+     ${c.path}: ${renderValue(c.after)}${note}`);
        }
    }
    return lines;
}

/** The terminal form: the counts, then the lines. */
export function renderDiffText(stack: string, base: string, diff: SynthDiff): string {
    return [`  diff of stack ${stack} against ${base}: ${renderDiffCounts(diff)}`, ...renderDiffLines(diff)]
        .map((l, i) => (i === 0 ? l : `    ${l}`))
        .join("\n");
}

/** The Markdown form for a job summary or PR comment. */
export function renderDiffMarkdown(base: string, diff: SynthDiff): string {
    const lines = renderDiffLines(diff);
    const head = `Against \`${base}\`: **${renderDiffCounts(diff)}**.`;
    return lines.length === 0 ? head : [head, "", "```diff", ...lines, "```"].join("\n");
}
