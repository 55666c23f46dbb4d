/**
 * ingress-nginx speaks plain HTTP to a backend unless `nginx.ingress.kubernetes.io/backend-protocol` says
 * otherwise (ingress-nginx annotations: default `HTTP`). Kargo's chart points its API ingress at port 443 of
 * `kargo-api` (and of `kargo-external-webhooks-server`) whenever their TLS is on, the default
 * (charts/kargo/templates/api/ingress.yaml, service.yaml: `appProtocol: https`, port 443), so without the
 * annotation every request answers 400 (akuity/kargo#3198). The same holds for any TLS backend.
 */
import type { RuleIssue } from "../admission/objects";

const NGINX_CLASS = "nginx";
const BACKEND_PROTOCOL = "nginx.ingress.kubernetes.io/backend-protocol";
const TLS_PROTOCOLS = new Set(["HTTPS", "GRPCS"]);

interface Backend {
    service?: { name?: string; port?: { number?: number; name?: string } };
}
interface IngressLike {
    apiVersion?: string;
    kind?: string;
    metadata?: { annotations?: Record<string, string> };
    spec?: {
        ingressClassName?: string;
        defaultBackend?: Backend;
        rules?: { http?: { paths?: { backend?: Backend }[] } }[];
    };
}

/** Whether ingress-nginx serves this Ingress (class field, or the legacy annotation). */
function isNginx(ing: IngressLike): boolean {
    const legacy = ing.metadata?.annotations?.["kubernetes.io/ingress.class"];
    return (ing.spec?.ingressClassName ?? legacy) === NGINX_CLASS;
}

/** A backend on the TLS port: 443 or a port named https. */
function isTlsPort(port: { number?: number; name?: string } | undefined): boolean {
    return port?.number === 443 || port?.name === "https";
}

export function findIngressBackendProblems(obj: unknown): RuleIssue[] {
    const ing = obj as IngressLike;
    if (ing?.apiVersion !== "networking.k8s.io/v1" || ing.kind !== "Ingress" || !isNginx(ing)) return [];
    const protocol = ing.metadata?.annotations?.[BACKEND_PROTOCOL];
    if (protocol !== undefined && TLS_PROTOCOLS.has(protocol.toUpperCase())) return [];
    const backends: { path: string; backend?: Backend }[] = [
        { path: "/spec/defaultBackend", backend: ing.spec?.defaultBackend },
        ...(ing.spec?.rules ?? []).flatMap((rule, r) =>
            (rule.http?.paths ?? []).map((p, i) => ({
                path: `/spec/rules/${r}/http/paths/${i}/backend`,
                backend: p.backend,
            })),
        ),
    ];
    return backends
        .filter((b) => isTlsPort(b.backend?.service?.port))
        .map((b) => ({
            path: b.path,
            message:
                `service ${b.backend?.service?.name ?? "?"} on its TLS port, but ingress-nginx speaks plain HTTP to ` +
                `backends unless ${BACKEND_PROTOCOL} is HTTPS (got ${protocol ?? "none"}): every request would ` +
                `answer 400 (akuity/kargo#3198); set the annotation to "HTTPS", or point at the plain-HTTP port`,
        }));
}
