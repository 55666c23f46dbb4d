/**
 * Issue 20, item 5: `.ci/run` stops where a stage fails, with the reason, instead of printing a half line and
 * letting the suite go red later. Its service stages are run alone (`bash .ci/run STAGE…`) in a scratch copy
 * whose start scripts are stand-ins that succeed or fail as each case needs.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import {
    chmodSync,
    copyFileSync,
    existsSync,
    mkdirSync,
    mkdtempSync,
    rmSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./support/workflows";

function executable(file: string, text: string): void {
    writeFileSync(file, text);
    chmodSync(file, 0o755);
}

/** A scratch tree with .ci/run and stand-ins for the two start scripts; `registry`/`postgres` are their bodies. */
function scratch(root: string, registry: string, postgres: string): string {
    const dir = mkdtempSync(join(root, "tree-"));
    mkdirSync(join(dir, ".ci"));
    copyFileSync(join(ROOT, ".ci", "run"), join(dir, ".ci", "run"));
    mkdirSync(join(dir, "chart-release", "scripts"), { recursive: true });
    mkdirSync(join(dir, "scripts"));
    executable(
        join(dir, "chart-release", "scripts", "start-registry.sh"),
        `#!/usr/bin/env bash\n${registry}\n`,
    );
    executable(
        join(dir, "scripts", "start-postgres.sh"),
        `#!/usr/bin/env bash\ntouch "$(dirname "$0")/postgres-ran"\n${postgres}\n`,
    );
    return dir;
}

/** bash itself, by its full path: one case runs .ci/run with a PATH that lacks it. */
const BASH = spawnSync("bash", ["-c", "command -v bash"], { encoding: "utf8" }).stdout.trim();

function run(dir: string, args: readonly string[], path = process.env.PATH ?? "") {
    const result = spawnSync(BASH, [join(dir, ".ci", "run"), ...args], {
        encoding: "utf8",
        env: { ...process.env, PATH: path },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe(".ci/run: each stage fails where it fails, with the reason", () => {
    let root: string;
    before(() => {
        root = mkdtempSync(join(tmpdir(), "ci-run-"));
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    const missing =
        'echo "start-registry: docker-registry is missing and this is not root: install it with apt-get install docker-registry" >&2\nexit 1';
    const cases: {
        name: string;
        registry: string;
        status: number;
        stdout: RegExp[];
        stderr: RegExp[];
        postgres: boolean;
    }[] = [
        {
            name: "a registry that starts: its address, then the next stage",
            registry: "echo 127.0.0.1:5055",
            status: 0,
            stdout: [/^OCI registry: 127\.0\.0\.1:5055$/m, /^PostgreSQL: \/tmp\/pg 5432$/m],
            stderr: [],
            postgres: true,
        },
        {
            name: "docker-registry missing on a non-root runner: stops at once, the script's reason and the stage's",
            registry: missing,
            status: 1,
            stdout: [],
            stderr: [
                /^start-registry: docker-registry is missing and this is not root: install it with apt-get install docker-registry$/m,
                /^\.ci\/run: the loopback OCI registry did not start \(chart-release\/scripts\/start-registry\.sh, reason above\)$/m,
            ],
            postgres: false,
        },
        {
            name: "a registry that does not come up",
            registry: 'echo "start-registry: registry did not come up on 127.0.0.1:5055" >&2\nexit 1',
            status: 1,
            stdout: [],
            stderr: [/^\.ci\/run: the loopback OCI registry did not start/m],
            postgres: false,
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const dir = scratch(root, c.registry, 'echo "/tmp/pg 5432"');
            const result = run(dir, ["registry", "postgres"]);
            assert.equal(result.status, c.status, result.stderr);
            for (const re of c.stdout) assert.match(result.stdout, re);
            for (const re of c.stderr) assert.match(result.stderr, re);
            if (c.status !== 0) assert.doesNotMatch(result.stdout, /OCI registry:/, "no half line on stdout");
            assert.equal(existsSync(join(dir, "scripts", "postgres-ran")), c.postgres, "the next stage ran");
        });
    }

    it("PostgreSQL that does not start stops the run too", () => {
        const dir = scratch(root, "echo 127.0.0.1:5055", 'echo "start-postgres: initdb failed" >&2\nexit 1');
        const result = run(dir, ["postgres"]);
        assert.equal(result.status, 1);
        assert.match(result.stderr, /^start-postgres: initdb failed$/m);
        assert.match(
            result.stderr,
            /^\.ci\/run: PostgreSQL did not start \(scripts\/start-postgres\.sh, reason above\)$/m,
        );
        assert.doesNotMatch(result.stdout, /PostgreSQL:/);
    });

    it("shellcheck missing on a non-root runner: stops, naming the package", () => {
        const dir = scratch(root, "echo 127.0.0.1:5055", "");
        // A PATH with the few commands .ci/run's prologue needs and an `id` that is not root: no shellcheck.
        const bin = join(dir, "bin");
        mkdirSync(bin);
        for (const tool of ["dirname", "date", "mktemp"]) {
            const found = spawnSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
            symlinkSync(found, join(bin, tool));
        }
        executable(join(bin, "id"), "#!/bin/sh\necho 1000\n");
        const result = run(dir, ["tools"], bin);
        assert.equal(result.status, 1, result.stderr);
        assert.match(
            result.stderr,
            /^\.ci\/run: shellcheck is missing and this is not root: install it with apt-get install shellcheck$/m,
        );
    });

    it("an unknown stage is refused, naming the stages", () => {
        const dir = scratch(root, "echo 127.0.0.1:5055", "");
        const result = run(dir, ["conformance"]);
        assert.equal(result.status, 1);
        assert.match(
            result.stderr,
            /^\.ci\/run: no stage conformance; the stages: crds node tools registry postgres suite synth$/m,
        );
    });
});
