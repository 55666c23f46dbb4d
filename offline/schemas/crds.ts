/**
 * Finds the pinned upstream CRDs and Kargo schemas: from CRD_DIR when it is set (CI points it at the shared
 * copies), otherwise from a local cache filled from the upstream release locations and checked by sha256.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { CRD_SOURCES, type CrdSource } from "./crdSources";

const PROJECT_ROOT = resolve(__dirname, "..", "..");

export class CrdSourceError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CrdSourceError";
    }
}

export function sha256(data: Buffer | string): string {
    return createHash("sha256").update(data).digest("hex");
}

/** Cache directory for downloaded schemas: $XDG_CACHE_HOME or ~/.cache, then release-pipeline/crds. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
    const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
    return join(base, "release-pipeline", "crds");
}

/** Files of the pinned set that are missing under `dir`. */
export function findMissingSources(dir: string, sources: readonly CrdSource[] = CRD_SOURCES): CrdSource[] {
    return sources.filter((s) => !existsSync(join(dir, s.path)));
}

type Fetcher = (url: string) => Promise<Buffer>;

async function fetchBytes(url: string): Promise<Buffer> {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new CrdSourceError(`GET ${url}: HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
}

/** Downloads the missing files into `dir`, refusing any whose digest is not the pinned one. */
export async function fillCache(
    dir: string,
    sources: readonly CrdSource[] = CRD_SOURCES,
    fetcher: Fetcher = fetchBytes,
): Promise<void> {
    for (const source of findMissingSources(dir, sources)) {
        let bytes: Buffer;
        try {
            bytes = await fetcher(source.url);
        } catch (err) {
            throw new CrdSourceError(
                `could not download ${source.path} from ${source.url}: ${(err as Error).message}. ` +
                    `Set CRD_DIR to a directory holding the pinned CRDs (for example ../shared/crds).`,
            );
        }
        const digest = sha256(bytes);
        if (digest !== source.sha256) {
            throw new CrdSourceError(
                `${source.url} has sha256 ${digest}, expected ${source.sha256}: refusing an unpinned schema`,
            );
        }
        const target = join(dir, source.path);
        mkdirSync(join(target, ".."), { recursive: true });
        // Write then rename, so an interrupted download never leaves a truncated file that looks cached.
        writeFileSync(`${target}.part`, bytes);
        renameSync(`${target}.part`, target);
    }
}

/**
 * The directory to read schemas from. With CRD_DIR set it must hold every pinned file (a partial copy is an
 * error, not a silent skip); without it, a verified shared/crds beside the checkout or the download cache.
 */
export async function resolveCrdDir(
    env: NodeJS.ProcessEnv = process.env,
    fetcher?: Fetcher,
    sibling = join(PROJECT_ROOT, "..", "shared", "crds"),
): Promise<string> {
    if (env.CRD_DIR) {
        const missing = findMissingSources(env.CRD_DIR);
        if (missing.length > 0) {
            throw new CrdSourceError(
                `CRD_DIR=${env.CRD_DIR} lacks ${missing.length} pinned file(s), e.g. ${missing[0].path}`,
            );
        }
        const altered = missingOrAltered(env.CRD_DIR);
        if (altered) throw new CrdSourceError(`CRD_DIR=${env.CRD_DIR}: ${altered}`);
        return env.CRD_DIR;
    }
    const dir = defaultCacheDir(env);
    // The team's shared folder beside the checkout holds the same pinned files; use it when every digest
    // matches, so the synth works offline on a machine that has it.
    if (
        findMissingSources(dir).length > 0 &&
        existsSync(sibling) &&
        findMissingSources(sibling).length === 0
    ) {
        if (!missingOrAltered(sibling)) return sibling;
    }
    await fillCache(dir, CRD_SOURCES, fetcher);
    return dir;
}

/** Describes the first file under `dir` whose digest is not the pinned one, if any. */
function missingOrAltered(dir: string): string | undefined {
    for (const source of CRD_SOURCES) {
        const digest = sha256(readFileSync(join(dir, source.path)));
        if (digest !== source.sha256) {
            return `${source.path} has sha256 ${digest}, expected ${source.sha256} (not the pinned upstream file)`;
        }
    }
    return undefined;
}

/** Reads one pinned file as text (after resolution). */
export function readSource(dir: string, path: string): string {
    return readFileSync(join(dir, path), "utf8");
}
