/**
 * Container image references, parsed with a port of the distribution/reference grammar
 * (@swimlane/docker-reference): a reference must name its registry and be pinned by a tag other than
 * `latest` or by a digest, since a floating image changes what runs without a change to the stack.
 */
import { parseQualifiedName } from "@swimlane/docker-reference";

/** Why an image reference is refused, or undefined when it is a pinned, registry-qualified reference. */
export function describeImageProblem(image: string, example: string): string | undefined {
    const expected = `expected <registry>/<repository>:<tag> or @sha256:<digest>, e.g. ${example}`;
    let ref: ReturnType<typeof parseQualifiedName>;
    try {
        ref = parseQualifiedName(image);
    } catch (err) {
        return `is not an image reference (${(err as Error).message}); ${expected}`;
    }
    if (!ref.domain || !/[.:]|^localhost$/.test(ref.domain)) {
        return `names no registry host, so the runtime would guess one (docker.io); ${expected}`;
    }
    if (!ref.tag && !ref.digest) {
        return `has no tag and no digest, so the runtime pulls :latest (a floating image); ${expected}`;
    }
    if (!ref.digest && ref.tag?.toLowerCase() === "latest") {
        return `is tagged latest, which moves with every push (a floating image); ${expected}`;
    }
    return undefined;
}
