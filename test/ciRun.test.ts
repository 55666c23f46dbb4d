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
    readFileSync,
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

    /**
     * The tools stage on a PATH of stand-ins: `id` (not root), `dpkg-query` (what is installed), `sudo` and
     * `apt-get` (recording their arguments), a `shellcheck` that prints its version, and the few real commands
     * .ci/run itself calls. `sudo` is left out when `sudo` is false.
     */
    function runTools(installed: readonly string[], sudo: boolean) {
        const dir = scratch(root, "echo 127.0.0.1:5055", "");
        const bin = join(dir, "bin");
        const log = join(dir, "calls");
        mkdirSync(bin);
        for (const tool of ["dirname", "date", "mktemp", "grep", "env", "sed", "cat", "true"]) {
            const found = spawnSync(BASH, ["-c", `type -P ${tool}`], { encoding: "utf8" }).stdout.trim();
            symlinkSync(found, join(bin, tool));
        }
        executable(join(bin, "id"), "#!/bin/sh\necho 1000\n");
        executable(
            join(bin, "dpkg-query"),
            `#!/bin/sh\ncase " ${installed.join(" ")} " in *" $3 "*) printf 'install ok installed' ;; *) exit 1 ;; esac\n`,
        );
        executable(join(bin, "apt-get"), `#!/bin/sh\necho "apt-get $*" >> "${log}"\n`);
        executable(join(bin, "shellcheck"), "#!/bin/sh\necho 'version: 0.9.0'\n");
        if (sudo)
            executable(
                join(bin, "sudo"),
                `#!/bin/sh\necho "sudo $*" >> "${log}"\n[ "$1" = -n ] && shift\nexec "$@"\n`,
            );
        const result = run(dir, ["tools"], bin);
        const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
        return { ...result, calls };
    }

    it("Debian packages missing, not root, no sudo: stops, naming the packages", () => {
        const result = runTools(["shellcheck"], false);
        assert.equal(result.status, 1, result.stderr);
        assert.match(
            result.stderr,
            /^\.ci\/run: docker-registry postgresql missing and this is neither root nor allowed sudo: install with apt-get install docker-registry postgresql$/m,
        );
        assert.deepEqual(result.calls, []);
    });

    it("Debian packages missing, not root, passwordless sudo (GitHub's runners): installs them through sudo", () => {
        const result = runTools(["docker-registry"], true);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /^installing shellcheck postgresql$/m);
        assert.deepEqual(
            result.calls.filter((c) => c.startsWith("apt-get")),
            ["apt-get update -qq", "apt-get install -y -qq --no-install-recommends shellcheck postgresql"],
        );
        assert.ok(result.calls.every((c) => !c.startsWith("sudo") || c.startsWith("sudo -n ")));
    });

    it("everything installed: nothing to install, the shellcheck version printed", () => {
        const result = runTools(["shellcheck", "docker-registry", "postgresql"], false);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /^shellcheck: 0\.9\.0$/m);
        assert.deepEqual(result.calls, []);
    });

    it("an unknown stage is refused, naming the stages", () => {
        const dir = scratch(root, "echo 127.0.0.1:5055", "");
        const result = run(dir, ["deploy"]);
        assert.equal(result.status, 1);
        const stages = /^STAGES=\(([^)]*)\)$/m.exec(readFileSync(join(ROOT, ".ci", "run"), "utf8"))?.[1];
        assert.ok(stages?.startsWith("crds node tools registry postgres"), stages);
        assert.ok(result.stderr.includes(`.ci/run: no stage deploy; the stages: ${stages}\n`), result.stderr);
    });
});
