/**
 * Evaluates one expression (the text between `${{` and `}}`) with expr-lang's semantics, on the AST that
 * jsep (a maintained, dependency-free JavaScript expression parser) produces.
 *
 * Why jsep plus a small evaluator rather than an evaluating library: Kargo's evaluator is expr-lang, and the
 * behaviour that matters here is its nil handling — a missing map key is nil, but fetching a field from nil
 * (`chartFrom("x").Version` when the Freight carries no chart x) is an error (expr-lang vm/runtime
 * runtime.go Fetch/FetchField: "cannot fetch … from …"). JavaScript evaluators (jexl, expression-eval)
 * answer `undefined` there, and CEL errors on a missing map key; either would pass or fail the wrong
 * promotions. So the grammar is jsep's, the semantics are expr-lang's, and every node, operator, name and
 * function outside that small, stated subset is refused with UnsupportedExpressionError.
 */
import jsep from "jsep";
import {
    describeType,
    ExpressionError,
    isMap,
    isStruct,
    UnsupportedExpressionError,
    type Value,
    type ValueMap,
} from "./values";

export type ExprFunction = (args: readonly Value[]) => Value;

export interface ExprScope {
    /** The environment map (`ctx`, `vars`, `outputs`, `task`, …), as in pkg/promotion/evaluator.go. */
    readonly env: ValueMap;
    /** Functions bound for this evaluation (expr.Function options in Kargo). */
    readonly functions: ReadonlyMap<string, ExprFunction>;
    /** Functions Kargo has but the rehearsal refuses to call, with the reason (e.g. secrets). */
    readonly refused?: ReadonlyMap<string, string>;
}

type Node = jsep.Expression;

/** Evaluates `expression` or throws ExpressionError (Kargo errors too) / UnsupportedExpressionError. */
export function evaluateExpression(expression: string, scope: ExprScope): Value {
    let ast: Node;
    try {
        ast = jsep(expression);
    } catch (err) {
        throw new UnsupportedExpressionError(expression, `does not parse: ${(err as Error).message}`);
    }
    return evaluateNode(ast, { expression, scope });
}

interface Run {
    readonly expression: string;
    readonly scope: ExprScope;
}

function refuse(run: Run, reason: string): never {
    throw new UnsupportedExpressionError(run.expression, reason);
}

function fail(run: Run, reason: string): never {
    throw new ExpressionError(run.expression, reason);
}

function evaluateNode(node: Node, run: Run): Value {
    switch (node.type) {
        case "Literal":
            return evaluateLiteral(node as jsep.Literal, run);
        case "Identifier":
            return resolveName((node as jsep.Identifier).name, run);
        case "MemberExpression":
            return evaluateMember(node as jsep.MemberExpression, run);
        case "CallExpression":
            return evaluateCall(node as jsep.CallExpression, run);
        case "UnaryExpression":
            return evaluateUnary(node as jsep.UnaryExpression, run);
        case "BinaryExpression":
            return evaluateBinary(node as jsep.BinaryExpression, run);
        case "ConditionalExpression":
            return evaluateConditional(node as jsep.ConditionalExpression, run);
        case "Compound":
            return refuse(
                run,
                "more than one expression side by side; expr-lang's keyword operators (and, or, not, in, matches) " +
                    "are not supported here: write &&, || and !",
            );
        default:
            return refuse(run, `${node.type} is not part of the subset the rehearsal evaluates`);
    }
}

function evaluateLiteral(node: jsep.Literal, run: Run): Value {
    const v = node.value;
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
    return refuse(run, `literal ${node.raw} is not an expr-lang literal`);
}

function resolveName(name: string, run: Run): Value {
    if (name === "nil") return null;
    if (Object.hasOwn(run.scope.env, name)) return run.scope.env[name];
    if (run.scope.functions.has(name)) return refuse(run, `${name} is a function; call it as ${name}(…)`);
    // Kargo compiles without a typed Env, so an unknown name is nil at run time; a typo would then pass
    // silently (or fail later), so the rehearsal refuses it instead.
    return refuse(
        run,
        `unknown name "${name}" (known: ${Object.keys(run.scope.env).join(", ")}); Kargo would read it as nil`,
    );
}

/** Field/key access: expr-lang's runtime.Fetch (maps: nil for a missing key) and FetchField (structs). */
function fetch(from: Value, key: Value, run: Run, optional: boolean): Value {
    if (from === null) {
        if (optional) return null;
        return fail(run, `cannot fetch ${String(key)} from nil`);
    }
    if (isStruct(from)) {
        if (typeof key === "string" && Object.hasOwn(from.fields, key)) return from.fields[key];
        return fail(
            run,
            `type ${from.typeName} has no field ${String(key)} (fields: ${Object.keys(from.fields).join(", ")})`,
        );
    }
    if (Array.isArray(from)) {
        if (typeof key !== "number" || !Number.isInteger(key))
            return fail(run, `cannot fetch ${String(key)} from []`);
        const index = key < 0 ? from.length + key : key;
        if (index < 0 || index >= from.length) {
            return fail(run, `index out of range: ${index} (array length is ${from.length})`);
        }
        return from[index];
    }
    if (isMap(from)) {
        if (typeof key !== "string")
            return fail(run, `cannot fetch ${String(key)} from ${describeType(from)}`);
        return Object.hasOwn(from, key) ? from[key] : null;
    }
    return fail(run, `cannot fetch ${String(key)} from ${describeType(from)}`);
}

function evaluateMember(node: jsep.MemberExpression, run: Run): Value {
    const object = evaluateNode(node.object, run);
    const optional = node.optional === true;
    if (!node.computed) {
        const property = node.property as jsep.Identifier;
        return fetch(object, property.name, run, optional);
    }
    return fetch(object, evaluateNode(node.property, run), run, optional);
}

function evaluateCall(node: jsep.CallExpression, run: Run): Value {
    if (node.callee.type !== "Identifier") return refuse(run, "only calls of named functions are supported");
    const name = (node.callee as jsep.Identifier).name;
    const refusal = run.scope.refused?.get(name);
    if (refusal) return refuse(run, `${name}() is not rehearsed: ${refusal}`);
    const fn = run.scope.functions.get(name);
    if (!fn) {
        return refuse(
            run,
            `unknown function ${name}() (bound here: ${[...run.scope.functions.keys()].sort().join(", ")})`,
        );
    }
    const args = node.arguments.map((a) => evaluateNode(a, run));
    try {
        return fn(args);
    } catch (err) {
        if (err instanceof ExpressionError || err instanceof UnsupportedExpressionError) throw err;
        return fail(run, `${name}(): ${(err as Error).message}`);
    }
}

function requireBool(v: Value, op: string, run: Run): boolean {
    if (typeof v !== "boolean")
        return fail(run, `invalid operation: ${op} (mismatched type ${describeType(v)})`);
    return v;
}

function evaluateUnary(node: jsep.UnaryExpression, run: Run): Value {
    const v = evaluateNode(node.argument, run);
    if (node.operator === "!") return !requireBool(v, "!", run);
    if (node.operator === "-" && typeof v === "number") return -v;
    return refuse(run, `unary operator ${node.operator} is not supported`);
}

/** expr-lang's runtime.Equal: values of different types are unequal, never an error. */
function equal(a: Value, b: Value): boolean {
    if (a === null || b === null) return a === b;
    if (typeof a !== "object" || typeof b !== "object") return a === b;
    return JSON.stringify(a) === JSON.stringify(b);
}

const BINARY_OPERATORS = new Set(["==", "!=", "+", "<", "<=", ">", ">="]);

function evaluateBinary(node: jsep.BinaryExpression, run: Run): Value {
    const op = node.operator;
    if (op === "&&" || op === "||") {
        // Short-circuits as expr-lang does: the right side is not evaluated when the left decides.
        const left = requireBool(evaluateNode(node.left, run), op, run);
        if (op === "&&" ? !left : left) return left;
        return requireBool(evaluateNode(node.right, run), op, run);
    }
    if (op === "??") {
        const left = evaluateNode(node.left, run);
        return left !== null ? left : evaluateNode(node.right, run);
    }
    // Refuse an unsupported operator before evaluating anything, so the message names the real cause.
    if (!BINARY_OPERATORS.has(op)) {
        return refuse(
            run,
            `operator ${op} is not supported (expr-lang pipes and bitwise operators are not rehearsed)`,
        );
    }
    if (op === "==" || op === "!=") checkComparable(node, run);
    const left = evaluateNode(node.left, run);
    const right = evaluateNode(node.right, run);
    switch (op) {
        case "==":
            return equal(left, right);
        case "!=":
            return !equal(left, right);
        case "+":
            if (typeof left === "string" && typeof right === "string") return left + right;
            if (typeof left === "number" && typeof right === "number") return left + right;
            return fail(
                run,
                `invalid operation: + (mismatched types ${describeType(left)} and ${describeType(right)})`,
            );
        case "<":
        case "<=":
        case ">":
        case ">=":
            return compare(op, left, right, run);
        default:
            return refuse(
                run,
                `operator ${op} is not supported (expr-lang pipes and bitwise operators are not rehearsed)`,
            );
    }
}

/**
 * expr-lang's type of a literal, as its checker names it; undefined where the type is only known at run
 * time (anything read from the environment is `interface{}` to the checker, an unknown nature).
 */
function literalType(node: Node): string | undefined {
    if (node.type !== "Literal") return undefined;
    const { value, raw } = node as jsep.Literal;
    if (typeof value === "string") return "string";
    if (typeof value === "boolean") return "bool";
    if (typeof value === "number") return /[.eE]/.test(String(raw)) ? "float64" : "int";
    return value === null ? "nil" : undefined;
}

/**
 * expr-lang v1.17.8 (Kargo v1.11.2's) checks `==`/`!=` when compiling: two operands of known, incomparable
 * types fail the whole expression (checker/checker.go binaryNode → nature.go ComparableTo: unknown, nil,
 * both numbers, or the same type). `1 == "1"` is therefore an error, while `vars.n == "1"` compares at run
 * time (runtime.Equal) and is simply false. Found by the conformance oracle (offline/conformance).
 */
function checkComparable(node: jsep.BinaryExpression, run: Run): void {
    const l = literalType(node.left);
    const r = literalType(node.right);
    if (l === undefined || r === undefined || l === "nil" || r === "nil" || l === r) return;
    const numeric = new Set(["int", "float64"]);
    if (numeric.has(l) && numeric.has(r)) return;
    fail(run, `invalid operation: ${node.operator} (mismatched types ${l} and ${r})`);
}

function compare(op: string, left: Value, right: Value, run: Run): boolean {
    const comparable =
        (typeof left === "number" && typeof right === "number") ||
        (typeof left === "string" && typeof right === "string");
    if (!comparable) {
        return fail(
            run,
            `invalid operation: ${op} (mismatched types ${describeType(left)} and ${describeType(right)})`,
        );
    }
    const l = left as number | string;
    const r = right as number | string;
    return op === "<" ? l < r : op === "<=" ? l <= r : op === ">" ? l > r : l >= r;
}

function evaluateConditional(node: jsep.ConditionalExpression, run: Run): Value {
    const test = requireBool(evaluateNode(node.test, run), "?:", run);
    return evaluateNode(test ? node.consequent : node.alternate, run);
}
