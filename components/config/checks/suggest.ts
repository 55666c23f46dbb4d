/** "Did you mean …?": the known word nearest to a misspelt one, by Levenshtein distance. */
import { distance } from "fastest-levenshtein";

/**
 * The candidate nearest to `word`, when it is near enough to be a plausible misspelling (at most a third of
 * the longer word's letters differ, and at least one letter is allowed); undefined otherwise.
 */
export function findNearest(word: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const candidate of candidates) {
        const d = distance(word.toLowerCase(), candidate.toLowerCase());
        if (d < bestDistance) [best, bestDistance] = [candidate, d];
    }
    if (best === undefined) return undefined;
    const allowed = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
    return bestDistance <= allowed ? best : undefined;
}

/** " (did you mean X?)" or "", for the end of a message. */
export function describeNearest(
    word: string,
    candidates: readonly string[],
    render = (s: string) => s,
): string {
    const nearest = findNearest(word, candidates);
    return nearest === undefined ? "" : ` (did you mean ${render(nearest)}?)`;
}
