import { execFile } from "node:child_process";
import path from "node:path";
import { randomBytes } from "node:crypto";

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
