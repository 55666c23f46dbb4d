import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, request as httpRequest } from "node:http";
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

/** Another docker-registry process with its own config, for the failure and auth cases. */
export async function startExtraRegistry(
    dir: string,
    name: string,
    config: string[],
): Promise<{ address: string; stop(): void }> {
    const address = `127.0.0.1:${await findFreePort()}`;
    const file = path.join(dir, `${name}.yml`);
    const lines = ["version: 0.1", "log:", "  level: error", "  accesslog:", "    disabled: true", ...config];
    writeFileSync(file, [...lines, "http:", `  addr: ${address}`, ""].join("\n"));
    const child = spawn("docker-registry", ["serve", file], { stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
        // Any HTTP answer will do: an auth-protected registry answers 401.
        const up = await fetch(`http://${address}/v2/`).then(
            () => true,
            () => false,
        );
        if (up) return { address, stop: () => child.kill() };
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill();
    throw new Error(`registry ${name} did not start on ${address}`);
}

/**
 * A second docker-registry on the same storage in read-only (maintenance) mode: tag lists work, pushes are
 * refused. It stands for a registry that fails between the git push and the chart push.
 */
export function startReadOnlyRegistry(
    storage: string,
    dir: string,
): Promise<{ address: string; stop(): void }> {
    return startExtraRegistry(dir, "readonly", [
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${storage}`,
        "  maintenance:",
        "    readonly:",
        "      enabled: true",
    ]);
}

// bcrypt (cost 4) of "chart-release-test" for user "chart-release", made once with `htpasswd -nbB -C 4`.
export const TEST_CREDENTIALS = { username: "chart-release", password: "chart-release-test" };
const HTPASSWD = "chart-release:$2y$04$mrxOn/D6/TpJhcdAM/itUO4WYLFcMBeyiWnQ.jV/V/0URGMnbizu.\n";

/** A registry that wants Basic auth (htpasswd), with storage of its own under `dir`. */
export function startAuthRegistry(dir: string): Promise<{ address: string; stop(): void }> {
    const htpasswd = path.join(dir, "htpasswd");
    writeFileSync(htpasswd, HTPASSWD);
    return startExtraRegistry(dir, "auth", [
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${path.join(dir, "auth-storage")}`,
        "auth:",
        "  htpasswd:",
        "    realm: chart-release-test",
        `    path: ${htpasswd}`,
    ]);
}

/** A registry that wants a Bearer token from `tokens` (token auth, as ghcr.io does it). */
export function startTokenRegistry(
    dir: string,
    tokens: { realm: string; service: string; issuer: string; certFile: string },
): Promise<{ address: string; stop(): void }> {
    return startExtraRegistry(dir, "token", [
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${path.join(dir, "token-storage")}`,
        "auth:",
        "  token:",
        `    realm: ${tokens.realm}`,
        `    service: ${tokens.service}`,
        `    issuer: ${tokens.issuer}`,
        `    rootcertbundle: ${tokens.certFile}`,
    ]);
}

/**
 * A proxy in front of a real registry that refuses the requests `refuse` picks (with `status` and an OCI
 * error body) and forwards every other one untouched: a registry that passes every check before the git push
 * and then fails the chart push itself, as a registry outage in between would.
 */
export async function startRefusingProxy(
    target: string,
    refuse: (method: string, url: string) => boolean,
    status = 503,
): Promise<{ address: string; refused: string[]; stop(): Promise<void> }> {
    const refused: string[] = [];
    const server = createHttpServer((request, response) => {
        const url = request.url ?? "/";
        const method = request.method ?? "GET";
        if (refuse(method, url)) {
            refused.push(`${method} ${url}`);
            request.resume();
            response
                .writeHead(status, { "content-type": "application/json" })
                .end('{"errors":[{"code":"UNAVAILABLE","message":"refused by the test proxy"}]}');
            return;
        }
        const [host, port] = target.split(":");
        const upstream = httpRequest(
            { host, port: Number(port), method, path: url, headers: { ...request.headers, host: target } },
            (answer) => {
                // Locations point at the registry itself; the client resolves them against the proxy's base.
                const headers = { ...answer.headers };
                if (typeof headers.location === "string") {
                    headers.location = headers.location.replace(`http://${target}`, "");
                }
                response.writeHead(answer.statusCode ?? 502, headers);
                answer.pipe(response);
            },
        );
        upstream.on("error", () => response.destroy());
        request.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        address: `127.0.0.1:${port}`,
        refused,
        stop: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
