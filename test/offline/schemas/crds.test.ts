import { strict as assert } from "node:assert";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CRD_SOURCES } from "../../../offline/schemas/crdSources";
import { CrdSourceError, fillCache, resolveCrdDir, sha256 } from "../../../offline/schemas/crds";

describe("pinned CRD sources", () => {
    let tmp: string;
    beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), "crds-"))));
    afterEach(() => rmSync(tmp, { recursive: true, force: true }));

    const source = CRD_SOURCES[0];

    it("downloads into the cache and keeps a file whose sha256 is the pinned one", async () => {
        const body = Buffer.from("pinned content");
        const pinned = { ...source, sha256: sha256(body) };
        await fillCache(tmp, [pinned], async () => body);
        assert.equal(readFileSync(join(tmp, source.path), "utf8"), "pinned content");
    });

    it("refuses a download whose digest differs, and caches nothing", async () => {
        await assert.rejects(
            fillCache(tmp, [source], async () => Buffer.from("tampered")),
            (err: Error) => {
                assert.ok(err instanceof CrdSourceError);
                assert.match(
                    err.message,
                    new RegExp(
                        `has sha256 ${sha256("tampered")}, expected ${source.sha256}: refusing an unpinned schema`,
                    ),
                );
                return true;
            },
        );
        assert.equal(existsSync(join(tmp, source.path)), false);
    });

    it("says how to fix a failed download", async () => {
        await assert.rejects(
            fillCache(tmp, [source], async () => {
                throw new Error("getaddrinfo ENOTFOUND");
            }),
            /could not download .* getaddrinfo ENOTFOUND\. Set CRD_DIR to a directory holding the pinned CRDs/,
        );
    });

    it("uses the cache when CRD_DIR is unset", async () => {
        const dir = await resolveCrdDir(
            { XDG_CACHE_HOME: tmp },
            async (url) => {
                const s = CRD_SOURCES.find((x) => x.url === url)!;
                return readFileSync(join(process.env.CRD_DIR ?? "../shared/crds", s.path));
            },
            join(tmp, "no-sibling"),
        );
        assert.equal(dir, join(tmp, "release-pipeline", "crds"));
        // A second resolution downloads nothing.
        assert.equal(
            await resolveCrdDir(
                { XDG_CACHE_HOME: tmp },
                async () => assert.fail("no download expected"),
                join(tmp, "no-sibling"),
            ),
            dir,
        );
    });

    it("uses a verified shared/crds folder beside the checkout before downloading", async function () {
        if (!process.env.CRD_DIR) this.skip();
        const dir = await resolveCrdDir(
            { XDG_CACHE_HOME: tmp },
            async () => assert.fail("no download expected"),
            process.env.CRD_DIR,
        );
        assert.equal(dir, process.env.CRD_DIR);
    });

    it("rejects a CRD_DIR that misses a pinned file", async () => {
        await assert.rejects(
            resolveCrdDir({ CRD_DIR: tmp }),
            new RegExp(
                `CRD_DIR=${tmp} lacks ${CRD_SOURCES.length} pinned file\\(s\\), e\\.g\\. ${source.path}`,
            ),
        );
    });

    it("rejects a CRD_DIR whose file is not the pinned upstream one", async function () {
        if (!process.env.CRD_DIR) this.skip();
        cpSync(process.env.CRD_DIR!, tmp, { recursive: true });
        writeFileSync(join(tmp, source.path), "apiVersion: v1\n");
        await assert.rejects(
            resolveCrdDir({ CRD_DIR: tmp }),
            new RegExp(`${source.path} has sha256 ${sha256("apiVersion: v1\n")}, expected ${source.sha256}`),
        );
    });
});
