// The root tsconfig resolves modules the Node 10 way, which cannot see the types of these ESM-only packages
// (they publish types only under "exports"). These declarations cover the part of their API this tool uses.
declare module "conventional-commits-parser" {
    export interface CommitNote {
        title: string;
        text: string;
    }
    export interface Commit {
        merge: string | null;
        revert: Record<string, string | null> | null;
        header: string | null;
        body: string | null;
        footer: string | null;
        notes: CommitNote[];
        type?: string | null;
        scope?: string | null;
        subject?: string | null;
    }
    export class CommitParser {
        constructor(options?: Record<string, unknown>);
        parse(input: string): Commit;
    }
}

declare module "conventional-commits-filter" {
    export function filterRevertedCommitsSync<T extends { revert?: Record<string, unknown> | null }>(
        commits: Iterable<T>,
    ): Generator<T, void, undefined>;
}

declare module "conventional-changelog-conventionalcommits" {
    export default function createPreset(config?: Record<string, unknown>): {
        parser: Record<string, unknown>;
    };
}
