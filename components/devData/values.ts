/**
 * Helm values the dev stage's Applications carry (ADR 005's muting flag, and where the clone is). They
 * live in the Application's `spec.source.helm.valuesObject`, which the stack owns: a promotion only moves
 * `targetRevision`, so no promotion can drop them.
 */
import type { StackConfig } from "../config";
import type { StageValues } from "../core/stage";
import { appCredentialsSecretName, cloneNamespace, isClonePlanned } from "./names";

/**
 * Values key the monolith charts read into the container environment (`env.<NAME>`), so `PR_ENV=true`
 * reaches the process: no scheduler loop, no Discord connection (ADR 005). A string, not a boolean,
 * because environment variables are strings and "true" must arrive verbatim.
 */
export const PR_ENV_VALUES = { env: { PR_ENV: "true" } } as const;

/** Where the cloned chart finds its database in dev: the clone's read-write Service and its own Secret. */
export function buildDatabaseValues(cfg: StackConfig): Record<string, unknown> {
    const ns = cloneNamespace(cfg);
    return {
        database: {
            host: `${cfg.devData.clone.name}-rw.${ns}.svc.cluster.local`,
            port: 5432,
            name: cfg.devData.clone.database,
            // basic-auth Secret (username, password) generated in-cluster by the refresher.
            existingSecret: appCredentialsSecretName(cfg),
        },
    };
}

/** Every dev-stage workload gets PR_ENV; the cloned chart also gets the clone's coordinates. */
export function buildDevStageValues(cfg: StackConfig): StageValues {
    return (stage, chart) => {
        if (stage !== "dev") return {};
        const values: Record<string, unknown> = { env: { ...PR_ENV_VALUES.env } };
        if (isClonePlanned(cfg) && chart.name === cfg.devData.prod.chart)
            Object.assign(values, buildDatabaseValues(cfg));
        return values;
    };
}
