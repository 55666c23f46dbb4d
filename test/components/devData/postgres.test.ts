/**
 * The SQL the stack ships, run on a real PostgreSQL (scripts/start-postgres.sh; .ci/run starts it) against a
 * catalog seeded like a restored prod one. The refresh script's statement is not copied here: the test cuts
 * the script's own `kubectl exec … psql …` command out of refresh.sh and runs it with sh, kubectl replaced by
 * a function that runs the command after `--` locally, so the quoting and expansion are the script's.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..", "..");
const SCRIPT = join(ROOT, "components", "devData", "refresh.sh");
const OWNER = "app";

/** The one psql invocation of refresh.sh, from `kubectl … exec` to its `|| fail …`. */
export function extractPsqlCommand(script: string): string {
    const start = script.search(/^ *kubectl [^\n]* exec [^\n]*-- psql /m);
    assert.notEqual(start, -1, "refresh.sh no longer runs psql through kubectl exec: update this test");
    const end = script.indexOf("|| fail", start);
    const command = script.slice(start, script.indexOf("\n", end));
    assert.equal(
        script.indexOf("-- psql", start + 1 + command.length),
        -1,
        "a second psql command: test it too",
    );
    return command;
}

interface Server {
    readonly host: string;
    readonly port: string;
}

function startServer(): Server | string {
    const r = spawnSync("bash", [join(ROOT, "scripts", "start-postgres.sh")], { encoding: "utf8" });
    if (r.status !== 0) return r.stderr.trim() || `exit ${r.status}`;
    const [host, port] = r.stdout.trim().split(" ");
    return { host, port };
}

/** Runs `sql` as the superuser, statement by statement (stdin, not -c, so each is its own transaction). */
function psql(server: Server, sql: string, db = "postgres"): string {
    const args = [
        "-X",
        "-v",
        "ON_ERROR_STOP=1",
        "-qAt",
        "-h",
        server.host,
        "-p",
        server.port,
        "-U",
        "postgres",
    ];
    const r = spawnSync("psql", [...args, "-d", db, "-f", "-"], { input: sql, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
}

/** Roles a restored prod catalog holds, each with a password verifier, beside the owner's. */
const SEED = `
DROP DATABASE IF EXISTS app;
DO $$DECLARE r record; BEGIN
  FOR r IN SELECT rolname FROM pg_roles WHERE rolname <> 'postgres' AND rolname NOT LIKE 'pg\\_%' LOOP
    EXECUTE format('DROP ROLE %I', r.rolname);
  END LOOP; END$$;
ALTER ROLE postgres PASSWORD 'prod-postgres';
CREATE ROLE app LOGIN PASSWORD 'prod-owner';
CREATE ROLE readonly LOGIN PASSWORD 'prod-readonly';
CREATE ROLE metabase LOGIN PASSWORD 'prod-metabase' CONNECTION LIMIT 5 VALID UNTIL '2099-01-01';
CREATE ROLE signoz LOGIN PASSWORD 'md5-era' CREATEDB;
CREATE ROLE dba SUPERUSER LOGIN PASSWORD 'prod-dba';
CREATE ROLE "Report Writer" LOGIN PASSWORD 'spaces';
CREATE ROLE "o'brien" LOGIN PASSWORD 'quote';
CREATE ROLE "semi;colon""quote" LOGIN PASSWORD 'semicolon';
CREATE ROLE "APP" LOGIN PASSWORD 'upper-case twin of the owner';
CREATE ROLE writers NOLOGIN PASSWORD 'a group with a verifier';
CREATE ROLE auditors NOLOGIN;
GRANT readonly TO metabase;
GRANT writers TO app, "Report Writer";
CREATE DATABASE app OWNER app;
`;

/** Everything about every role and membership but the verifier, and which roles have one. */
const CATALOG = `
SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls,
       rolconnlimit, rolvaliduntil
FROM pg_authid ORDER BY rolname;
SELECT r.rolname || ' in ' || g.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
  JOIN pg_roles g ON g.oid = m.roleid ORDER BY 1;
SELECT datname || ' owned by ' || pg_get_userbyid(datdba) FROM pg_database ORDER BY 1;`;

const VERIFIERS =
    "SELECT rolname || '=' || rolpassword FROM pg_authid WHERE rolpassword IS NOT NULL ORDER BY 1;";

function runRefreshSql(server: Server, command: string): void {
    const sh = [
        "set -eu",
        'fail() { echo "refresh FAILED: $*" >&2; exit 1; }',
        // kubectl -n NS exec POD -c C -- cmd...: run cmd here, against the test server.
        'kubectl() { while [ "$1" != "--" ]; do shift; done; shift; "$@"; }',
        command,
    ].join("\n");
    const r = spawnSync("sh", ["-c", sh], {
        encoding: "utf8",
        env: {
            ...process.env,
            DEV_NS: "monolith-dev",
            primary: "pod/monolith-db-dev-1",
            OWNER,
            PGHOST: server.host,
            PGPORT: server.port,
            PGUSER: "postgres",
        },
    });
    assert.equal(r.status, 0, r.stderr);
}

describe("dev data SQL on a real PostgreSQL", function () {
    this.timeout(120_000);
    let server: Server;

    before(function () {
        const started = startServer();
        if (typeof started === "string") {
            if (process.env.CI === "true")
                throw new Error(`PostgreSQL could not be started in CI: ${started}`);
            console.log(
                `      skipped: PostgreSQL could not be started (${started}); run scripts/start-postgres.sh`,
            );
            this.skip();
        }
        server = started;
    });

    it("refresh.sh's psql command is the only SQL the stack ships", () => {
        const command = extractPsqlCommand(readFileSync(SCRIPT, "utf8"));
        assert.match(command, /ALTER ROLE %I PASSWORD NULL/);
        const shipped = (dir: string): string[] =>
            readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
                e.isDirectory() ? shipped(join(dir, e.name)) : [join(dir, e.name)],
            );
        // Types generated from the CRDs are declarations only (their doc comments quote upstream docs).
        const generated = join(ROOT, "components", "core", "generated");
        const withSql = shipped(join(ROOT, "components")).filter(
            (f) =>
                !f.startsWith(generated) &&
                /\bpsql\b|\b(ALTER|CREATE|DROP|GRANT|REVOKE) (ROLE|USER|DATABASE|TABLE)\b/.test(
                    readFileSync(f, "utf8"),
                ),
        );
        assert.deepEqual(
            withSql.map((f) => f.slice(ROOT.length + 1)),
            ["components/devData/isolation.ts", "components/devData/refresh.sh"],
        );
    });

    it("clears every password verifier but the owner's, changes nothing else, and is idempotent", () => {
        psql(server, SEED);
        const catalog = psql(server, CATALOG);
        const before = psql(server, VERIFIERS).trim().split("\n");
        const ownerVerifier = before.find((l) => l.startsWith(`${OWNER}=`));
        assert.ok(
            ownerVerifier?.startsWith(`${OWNER}=SCRAM-SHA-256$`),
            "the seeded owner has a SCRAM verifier",
        );
        assert.equal(before.length, 11, before.join("\n"));

        const command = extractPsqlCommand(readFileSync(SCRIPT, "utf8"));
        for (const run of [1, 2]) {
            runRefreshSql(server, command);
            assert.deepEqual(psql(server, VERIFIERS).trim().split("\n"), [ownerVerifier], `after run ${run}`);
            assert.equal(
                psql(server, CATALOG),
                catalog,
                `roles, memberships and databases unchanged after run ${run}`,
            );
        }
    });
});
