import { createHash } from "node:crypto";
import { ChartReleaseError, EXIT, usageError } from "./errors";
import { injectFault, shouldInjectFault } from "./fault";

// Helm's OCI media types (helm.sh/helm/v3/pkg/registry): Helm and Kargo's Warehouse look for exactly these.
export const HELM_CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json";
export const HELM_CHART_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
export const OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";

export interface RegistryRef {
    host: string;
    /** Namespace under the host, without leading or trailing slash; may be empty. */
    namespace: string;
}

/** Split `oci://HOST[:PORT]/PATH` as `helm push` reads it. */
export function parseRegistryRef(url: string): RegistryRef {
    const match = /^oci:\/\/([^/\s]+)\/?(.*)$/.exec(url);
    if (!match) throw new ChartReleaseError(`--registry ${url}: expected oci://HOST/PATH`, EXIT.usage);
    return { host: match[1], namespace: match[2].replace(/^\/+|\/+$/g, "") };
}

/** The repository a chart lands in: `<namespace>/<chart name>`, as with `helm push chart.tgz oci://…`. */
export function computeRepository(ref: RegistryRef, chartName: string): string {
    return ref.namespace === "" ? chartName : `${ref.namespace}/${chartName}`;
}

/** OCI tags cannot hold `+`; Helm writes SemVer build metadata with `_` instead. */
export function toOciTag(version: string): string {
    return version.replaceAll("+", "_");
}

export function computeDigest(data: Uint8Array): string {
    return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

export interface Descriptor {
    mediaType: string;
    digest: string;
    size: number;
}

export interface HelmArtifact {
    config: Uint8Array;
    layer: Uint8Array;
    manifest: Uint8Array;
    manifestDigest: string;
}

/**
 * Build the three parts of a Helm chart artifact: the config blob (Chart.yaml as JSON, like Helm's), the
 * chart archive layer and the OCI image manifest that ties them together.
 */
export function buildHelmArtifact(
    chartFields: Record<string, unknown>,
    chartArchive: Uint8Array,
    created: string,
): HelmArtifact {
    const config = new TextEncoder().encode(JSON.stringify(chartFields));
    const describe = (mediaType: string, data: Uint8Array): Descriptor => ({
        mediaType,
        digest: computeDigest(data),
        size: data.byteLength,
    });
    const annotations: Record<string, string> = {
        "org.opencontainers.image.created": created,
        "org.opencontainers.image.title": String(chartFields.name),
        "org.opencontainers.image.version": String(chartFields.version),
    };
    if (typeof chartFields.description === "string") {
        annotations["org.opencontainers.image.description"] = chartFields.description;
    }
    const manifestJson = {
        schemaVersion: 2,
        mediaType: OCI_MANIFEST_MEDIA_TYPE,
        config: describe(HELM_CONFIG_MEDIA_TYPE, config),
        layers: [describe(HELM_CHART_LAYER_MEDIA_TYPE, chartArchive)],
        annotations,
    };
    const manifest = new TextEncoder().encode(JSON.stringify(manifestJson));
    return { config, layer: chartArchive, manifest, manifestDigest: computeDigest(manifest) };
}

/** Parse a `WWW-Authenticate` challenge (`Bearer realm="…",service="…",scope="…"`). */
export function parseAuthChallenge(header: string): { scheme: string; params: Record<string, string> } {
    const space = header.indexOf(" ");
    const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
    const params: Record<string, string> = {};
    for (const match of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g)) params[match[1]] = match[2];
    return { scheme, params };
}

/** The next page of a tag list, from an RFC 5988 `Link: <…>; rel="next"` header. */
export function parseNextLink(header: string | null): string | null {
    if (!header) return null;
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(header);
    return match ? match[1] : null;
}

export interface RegistryCredentials {
    username: string;
    password: string;
}

const USERNAME_VARIABLE = "CHART_RELEASE_REGISTRY_USERNAME";
const PASSWORD_VARIABLE = "CHART_RELEASE_REGISTRY_PASSWORD";

/**
 * Credentials from CHART_RELEASE_REGISTRY_USERNAME / CHART_RELEASE_REGISTRY_PASSWORD when both are set, none
 * when neither is. One without the other is a usage error naming the missing one (an empty secret in CI
 * would otherwise show up later as an anonymous 401 that names neither).
 */
export function readCredentials(env: NodeJS.ProcessEnv): RegistryCredentials | undefined {
    const username = env.CHART_RELEASE_REGISTRY_USERNAME ?? "";
    const password = env.CHART_RELEASE_REGISTRY_PASSWORD ?? "";
    if (username !== "" && password !== "") return { username, password };
    if (username === "" && password === "") return undefined;
    const [set, missing] =
        username === "" ? [PASSWORD_VARIABLE, USERNAME_VARIABLE] : [USERNAME_VARIABLE, PASSWORD_VARIABLE];
    throw usageError(
        `${set} is set but ${missing} is empty or unset: the registry credentials need both ` +
            `(in GitHub Actions: the user name, e.g. github.actor, and a token, e.g. GITHUB_TOKEN)`,
    );
}

/**
 * A TLS handshake answered in plain HTTP fails deep in OpenSSL ("wrong version number", "packet length too
 * long"); say what it means: the registry speaks HTTP, which `--plain-http` is for (as with `helm push`).
 */
export function buildPlainHttpHint(url: string, cause: string): string {
    const looksPlain = /wrong version number|packet length too long|ERR_SSL_|http request|unknown protocol/i;
    return url.startsWith("https:") && looksPlain.test(cause)
        ? " (the registry answers plain HTTP, not TLS: for a registry without TLS, e.g. on loopback, pass --plain-http)"
        : "";
}

/** A body that sends the first half of `data` and then kills the process (fault phase `during-manifest`). */
function buildDyingBody(data: Uint8Array): ReadableStream<Uint8Array> {
    let sent = false;
    return new ReadableStream({
        async pull(controller) {
            if (!sent) controller.enqueue(data.slice(0, Math.floor(data.byteLength / 2)));
            sent = true;
            // Give the half its time on the wire, then die; never hand the stream another byte.
            await new Promise((resolve) => setTimeout(resolve, 300));
            injectFault("during-manifest");
            await new Promise(() => undefined);
        },
    });
}

/** A minimal client for the OCI distribution API: tag list, blob upload, manifest put. */
export class RegistryClient {
    private readonly base: string;
    private authorization: string | undefined;
    private pinged: Promise<void> | undefined;

    constructor(
        readonly ref: RegistryRef,
        plainHttp: boolean,
        private readonly credentials?: RegistryCredentials,
    ) {
        this.base = `${plainHttp ? "http" : "https"}://${ref.host}`;
    }

    private fail(what: string, detail: string): never {
        throw new ChartReleaseError(`registry ${this.ref.host}: ${what}: ${detail}`, EXIT.registry);
    }

    private async authenticate(challenge: string, what: string): Promise<void> {
        const { scheme, params } = parseAuthChallenge(challenge);
        const basic = this.credentials
            ? `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}`
            : undefined;
        if (scheme === "basic") {
            if (!basic) {
                this.fail(
                    what,
                    `401: the registry wants credentials and none are set; set ${USERNAME_VARIABLE} and ${PASSWORD_VARIABLE}`,
                );
            }
            this.authorization = basic;
            return;
        }
        if (scheme !== "bearer" || !params.realm) this.fail(what, `unsupported auth challenge ${challenge}`);
        const url = new URL(params.realm);
        if (params.service) url.searchParams.set("service", params.service);
        if (params.scope) url.searchParams.set("scope", params.scope);
        const response = await fetch(url, { headers: basic ? { authorization: basic } : {} });
        if (!response.ok) this.fail(what, `token request to ${url.origin} answered ${response.status}`);
        const body = (await response.json()) as { token?: string; access_token?: string };
        const token = body.token ?? body.access_token;
        if (!token) this.fail(what, "token response held no token");
        this.authorization = `Bearer ${token}`;
    }

    /** One request, retried once after answering an auth challenge. */
    private async request(what: string, url: string, init: RequestInit = {}): Promise<Response> {
        for (let attempt = 0; ; attempt++) {
            const headers = new Headers(init.headers);
            if (this.authorization) headers.set("authorization", this.authorization);
            let response: Response;
            try {
                response = await fetch(url, { ...init, headers, redirect: "follow" });
            } catch (error) {
                const cause = (error as { cause?: { message?: string } }).cause?.message ?? String(error);
                this.fail(what, `cannot reach ${url}: ${cause}${buildPlainHttpHint(url, cause)}`);
            }
            const challenge = response.headers.get("www-authenticate");
            if (response.status === 401 && challenge && attempt === 0) {
                await response.body?.cancel();
                await this.authenticate(challenge, what);
                continue;
            }
            return response;
        }
    }

    private async expect(response: Response, ok: number[], what: string): Promise<Response> {
        if (ok.includes(response.status)) return response;
        const text = (await response.text()).slice(0, 300).trim();
        this.fail(what, `HTTP ${response.status} ${text}`);
    }

    /**
     * Establish that the host speaks the OCI distribution API before any answer of it is trusted:
     * `GET /v2/` (spec.md, end-1) answers 200 once authenticated. Any HTTP server answers 404 to everything,
     * which the tag list would otherwise read as "no such repository, no tags".
     */
    ping(): Promise<void> {
        this.pinged ??= (async () => {
            const what = "check that it is an OCI registry";
            const response = await this.request(what, `${this.base}/v2/`);
            await response.body?.cancel();
            if (response.status === 200) return;
            this.fail(
                what,
                `GET /v2/ answered HTTP ${response.status}, where an OCI registry answers 200 (or 401 until ` +
                    `authenticated): ${this.base} is not an OCI registry, or it refused the credentials. Check --registry`,
            );
        })();
        return this.pinged;
    }

    /**
     * Establish that these credentials may push to `repository`, changing nothing: open a blob upload session
     * (spec.md, end-4a, `POST /v2/<name>/blobs/uploads/`, 202 Accepted) and cancel it at once (end-13, `DELETE`
     * of its Location). A registry that refuses the session (401/403 for read-only credentials, 405 for a
     * read-only registry, 400 NAME_INVALID for a name it does not take) would refuse the chart too.
     */
    async assertWritable(repository: string): Promise<void> {
        await this.ping();
        const what = `check that the credentials may push to ${repository}`;
        const start = await this.request(what, `${this.base}/v2/${repository}/blobs/uploads/`, {
            method: "POST",
        });
        if (start.status !== 202) {
            const text = (await start.text()).slice(0, 300).trim();
            const why =
                start.status === 401 || start.status === 403
                    ? "the credentials can read but not push there (e.g. a token without write:packages)"
                    : start.status === 405
                      ? "the registry takes no uploads (read-only)"
                      : "the registry refuses uploads there";
            this.fail(what, `opening an upload session answered HTTP ${start.status} ${text}: ${why}`);
        }
        await start.body?.cancel();
        const location = start.headers.get("location");
        if (!location) this.fail(what, "the upload session has no Location header");
        // A session left open expires on its own; a registry that cannot cancel one is no reason to stop.
        const cancel = await this.request(what, new URL(location, this.base).toString(), {
            method: "DELETE",
        });
        await cancel.body?.cancel();
    }

    /** Every tag of `repository`; an unknown repository (on a host that is an OCI registry) has none. */
    async listTags(repository: string): Promise<string[]> {
        await this.ping();
        const what = `list tags of ${repository}`;
        const tags: string[] = [];
        let next: string | null = `${this.base}/v2/${repository}/tags/list?n=1000`;
        while (next !== null) {
            const response = await this.request(what, next);
            if (response.status === 404) {
                await response.body?.cancel();
                return tags;
            }
            await this.expect(response, [200], what);
            const text = await response.text();
            let body: unknown;
            try {
                body = JSON.parse(text);
            } catch {
                body = undefined;
            }
            // spec.md, end-8a: `{"name": "<name>", "tags": ["<tag>", …]}`; anything else is no OCI registry.
            const list = (body as { tags?: unknown } | undefined)?.tags;
            if (
                body === null ||
                typeof body !== "object" ||
                !(list === null || list === undefined || Array.isArray(list))
            ) {
                this.fail(
                    what,
                    `the answer is not an OCI tag list (${JSON.stringify(text.slice(0, 80))}): not an OCI registry`,
                );
            }
            tags.push(
                ...((list as unknown[] | null | undefined) ?? []).filter(
                    (t): t is string => typeof t === "string",
                ),
            );
            const link = parseNextLink(response.headers.get("link"));
            next = link === null ? null : new URL(link, this.base).toString();
        }
        return tags;
    }

    private async uploadBlob(repository: string, data: Uint8Array): Promise<void> {
        const digest = computeDigest(data);
        const what = `upload blob ${digest} to ${repository}`;
        const head = await this.request(what, `${this.base}/v2/${repository}/blobs/${digest}`, {
            method: "HEAD",
        });
        if (head.status === 200) return;
        const start = await this.request(what, `${this.base}/v2/${repository}/blobs/uploads/`, {
            method: "POST",
        });
        await this.expect(start, [202], what);
        const location = start.headers.get("location");
        if (!location) this.fail(what, "upload session has no Location header");
        const url = new URL(location, this.base);
        url.searchParams.set("digest", digest);
        const put = await this.request(what, url.toString(), {
            method: "PUT",
            headers: { "content-type": "application/octet-stream" },
            body: data,
        });
        await this.expect(put, [201], what);
    }

    /** Push a Helm artifact under `tag`: blobs first, then the manifest that names them. */
    async pushArtifact(repository: string, tag: string, artifact: HelmArtifact): Promise<void> {
        await this.uploadBlob(repository, artifact.config);
        injectFault("after-config-blob");
        await this.uploadBlob(repository, artifact.layer);
        injectFault("before-manifest");
        const what = `put manifest ${repository}:${tag}`;
        const dying = shouldInjectFault("during-manifest");
        const response = await this.request(what, `${this.base}/v2/${repository}/manifests/${tag}`, {
            method: "PUT",
            headers: { "content-type": OCI_MANIFEST_MEDIA_TYPE },
            body: dying ? buildDyingBody(artifact.manifest) : artifact.manifest,
            ...(dying ? { duplex: "half" } : {}),
        } as RequestInit);
        await this.expect(response, [201], what);
    }

    /** The manifest stored under `tag`, or null. Used by tests and to verify a push. */
    async getManifest(repository: string, tag: string): Promise<Record<string, unknown> | null> {
        const what = `get manifest ${repository}:${tag}`;
        const response = await this.request(what, `${this.base}/v2/${repository}/manifests/${tag}`, {
            headers: { accept: OCI_MANIFEST_MEDIA_TYPE },
        });
        if (response.status === 404) {
            await response.body?.cancel();
            return null;
        }
        await this.expect(response, [200], what);
        return (await response.json()) as Record<string, unknown>;
    }

    /** A blob's bytes (tests read the chart archive back). */
    async getBlob(repository: string, digest: string): Promise<Uint8Array> {
        const what = `get blob ${digest}`;
        const response = await this.expect(
            await this.request(what, `${this.base}/v2/${repository}/blobs/${digest}`),
            [200],
            what,
        );
        return new Uint8Array(await response.arrayBuffer());
    }
}
