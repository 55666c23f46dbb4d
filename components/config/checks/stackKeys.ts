/**
 * A stack file's config keys as Pulumi itself reads them, shared by the synth (offline/runtime/synth.ts) and
 * chart-release (chart-release/src/deploy.ts), so that both read one stack file the same way. Pulumi gives a
 * key without a namespace the project's (sdk v3.215.0, go/common/workspace/loaders.go,
 * stackConfigNamespacedWithProject: `instanceSize` becomes `<project>:instanceSize`). It builds a Go map, so
 * when both spellings of one key are present which value wins depends on map order: such a file is refused.
 * No imports beyond the namespace: chart-release bundles this file.
 */
import { CONFIG_NAMESPACE } from "./format";

export interface NamespacedConfig {
    /** Every key with its namespace (`release-pipeline:pipeline`), values as written. */
    readonly config: Readonly<Record<string, unknown>>;
    /** One line per key given both with and without the namespace. */
    readonly clashes: readonly string[];
}

/** Namespace a stack file's `config:` mapping the way Pulumi does; report keys spelled both ways. */
export function namespaceStackConfig(
    config: Readonly<Record<string, unknown>>,
    project: string = CONFIG_NAMESPACE,
): NamespacedConfig {
    const namespaced: Record<string, unknown> = {};
    const clashes: string[] = [];
    for (const [key, value] of Object.entries(config)) {
        const full = key.includes(":") ? key : `${project}:${key}`;
        if (Object.hasOwn(namespaced, full)) {
            const short = full.slice(project.length + 1);
            clashes.push(
                `config keys \`${short}\` and \`${full}\` are one key (Pulumi gives a key without a namespace ` +
                    `the project's, ${project}), and which value Pulumi takes is undefined; allowed: keep one of them`,
            );
            continue;
        }
        namespaced[full] = value;
    }
    return { config: namespaced, clashes };
}
