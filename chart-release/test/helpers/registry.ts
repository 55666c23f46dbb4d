import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";

let started: Promise<string> | undefined;

/**
 * The loopback registry's address: started by `scripts/start-registry.sh` (which installs Debian's
 * docker-registry when missing and reuses a running instance), once per test process.
 */
export function ensureRegistry(): Promise<string> {
    started ??= new Promise((resolve, reject) => {
        const script = path.join(__dirname, "..", "..", "scripts", "start-registry.sh");
        execFile("bash", [script], { timeout: 300_000 }, (error, stdout, stderr) => {
            if (error) reject(new Error(`start-registry.sh failed: ${stderr}`));
            else resolve(stdout.trim().split("\n").pop() ?? "");
        });
    });
    return started;
}

/** A registry namespace of its own for one test, so runs never see each other's charts. */
export function uniqueNamespace(prefix: string): string {
    return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** The storage folder of the registry start-registry.sh runs (from its state file). */
export function readRegistryStorage(): string {
    const state = process.env.CHART_RELEASE_REGISTRY_STATE ?? "/tmp/chart-release-registry.state";
    const [, , dir] = readFileSync(state, "utf8").trim().split(" ");
    return path.join(dir, "storage");
}

function findFreePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as AddressInfo;
            server.close(() => resolve(port));
        });
        server.on("error", reject);
    });
}

/**
 * A second docker-registry on the same storage in read-only (maintenance) mode: tag lists work, pushes are
 * refused. It stands for a registry that fails between the git push and the chart push.
 */
export async function startReadOnlyRegistry(
    storage: string,
    dir: string,
): Promise<{ address: string; stop(): void }> {
    const address = `127.0.0.1:${await findFreePort()}`;
    const config = path.join(dir, "readonly.yml");
    writeFileSync(
        config,
        [
            "version: 0.1",
            "log:",
            "  level: error",
            "  accesslog:",
            "    disabled: true",
            "storage:",
            "  filesystem:",
            `    rootdirectory: ${storage}`,
            "  maintenance:",
            "    readonly:",
            "      enabled: true",
            "http:",
            `  addr: ${address}`,
            "",
        ].join("\n"),
    );
    const child = spawn("docker-registry", ["serve", config], { stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
        const up = await fetch(`http://${address}/v2/`).then(
            (r) => r.ok,
            () => false,
        );
        if (up) return { address, stop: () => child.kill() };
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill();
    throw new Error(`read-only registry did not start on ${address}`);
}
