import { execFileSync } from "node:child_process";
import { createSign, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/**
 * A minimal token server of the Docker registry token-auth kind (what ghcr.io runs): it checks Basic
 * credentials and returns a JWT granting the requested scopes, signed with a throwaway key whose
 * self-signed certificate the registry trusts (the token's `x5c` header carries it).
 */
export interface TokenServer {
    realm: string;
    service: string;
    issuer: string;
    certFile: string;
    /** How many tokens were issued, by scope. */
    issued: string[];
    close(): Promise<void>;
}

function base64url(data: string | Buffer): string {
    return Buffer.from(data).toString("base64url");
}

export async function startTokenServer(
    dir: string,
    credentials: { username: string; password: string },
    /** Grant `pull` only, whatever is asked: credentials that can read but not write, like a read-only PAT. */
    readOnly = false,
): Promise<TokenServer> {
    const keyFile = path.join(dir, "token-key.pem");
    const certFile = path.join(dir, "token-cert.pem");
    execFileSync(
        "openssl",
        [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            keyFile,
            "-out",
            certFile,
            "-days",
            "1",
            "-subj",
            "/CN=chart-release-test-token-issuer",
        ],
        { stdio: "ignore" },
    );
    const key = readFileSync(keyFile, "utf8");
    const certDer = new X509Certificate(readFileSync(certFile)).raw.toString("base64");
    const service = "chart-release-test-registry";
    const issuer = "chart-release-test-issuer";
    const issued: string[] = [];
    const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;

    const server: Server = createServer((request, response) => {
        const url = new URL(request.url ?? "/", "http://localhost");
        if (request.headers.authorization !== expected) {
            response
                .writeHead(401, { "content-type": "application/json" })
                .end('{"details":"bad credentials"}');
            return;
        }
        const access = url.searchParams.getAll("scope").map((scope) => {
            const [type, name, actions] = scope.split(":");
            const granted = actions.split(",").filter((action) => !readOnly || action === "pull");
            return { type, name, actions: granted };
        });
        const now = Math.floor(Date.now() / 1000);
        const header = { typ: "JWT", alg: "RS256", x5c: [certDer] };
        const claims = {
            iss: issuer,
            sub: credentials.username,
            aud: service,
            exp: now + 300,
            nbf: now - 10,
            iat: now,
            jti: `${now}-${issued.length}`,
            access,
        };
        const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
        const signature = createSign("RSA-SHA256").update(signingInput).sign(key);
        issued.push(url.searchParams.getAll("scope").join(" "));
        response
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ token: `${signingInput}.${base64url(signature)}`, expires_in: 300 }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        realm: `http://127.0.0.1:${port}/token`,
        service,
        issuer,
        certFile,
        issued,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
