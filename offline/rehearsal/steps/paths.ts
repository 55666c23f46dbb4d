/**
 * Kargo joins every step path onto the promotion's work dir with filepath-securejoin's SecureJoin, which
 * resolves `..` lexically inside the root instead of escaping it. The rehearsal does the same, so a path
 * can never reach outside its workspace.
 */
import { posix, resolve } from "node:path";

export function secureJoin(root: string, path: string): string {
    const inside = posix.normalize(`/${path}`).replace(/^(\/\.\.)+/, "");
    return resolve(root, `.${inside}`);
}
