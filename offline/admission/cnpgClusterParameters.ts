/**
 * The parts of CloudNativePG 1.30's Cluster webhook that read PostgreSQL parameters and resources
 * (internal/webhook/v1/cluster_webhook.go, validateConfiguration and validateResources).
 */
import { asDict, asInt, asString, pointer, specOf, type Dict, type RuleIssue } from "./objects";
import { compareQuantities, isZeroQuantity, parseQuantity, type Quantity } from "./quantity";

/** cluster_webhook.go, postgresParameterNameRegex. */
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

/**
 * pkg/postgres/configuration.go, FixedConfigurationParameters marked `blocked`: never in the sanitized
 * configuration, so any value is refused. (The `fixed` ones are refused unless equal to the value CNPG
 * computes itself, which needs its whole configuration generator: not modelled.)
 */
const BLOCKED_PARAMETERS = new Set([
    "allow_system_table_mods", "bonjour", "bonjour_name", "config_file", "data_directory", "data_sync_retry",
    "event_source", "external_pid_file", "hba_file", "hot_standby", "ident_file", "jit_provider",
    "listen_addresses", "logging_collector", "unix_socket_directories", "unix_socket_group",
    "unix_socket_permissions", "archive_cleanup_command", "log_destination", "log_directory", "log_file_mode",
    "log_filename", "log_rotation_age", "log_rotation_size", "log_truncate_on_rotation", "promote_trigger_file",
    "recovery_end_command", "recovery_min_apply_delay", "restart_after_crash", "stats_temp_directory",
    "syslog_facility", "syslog_ident", "syslog_sequence_numbers", "syslog_split_messages",
]); // prettier-ignore

/** pkg/postgres/booleans.go, ParsePostgresConfigBoolean. */
const PG_TRUE = ["1", "on", "y", "ye", "yes", "t", "tr", "tru", "true"];
const PG_FALSE = ["0", "of", "off", "n", "no", "f", "fa", "fal", "fals", "false"];

function parametersOf(cluster: unknown): Dict {
    return asDict(asDict(specOf(cluster).postgresql).parameters);
}

/** The CRD default for `instances` is 1. */
export function instancesOf(cluster: unknown): number {
    return specOf(cluster).instances === undefined ? 1 : asInt(specOf(cluster).instances);
}

/**
 * cluster_webhook.go, parsePostgresQuantityValue: PostgreSQL's `64MB`, `1GB`, `8kB` or a bare number of
 * MB, read as a Kubernetes quantity with binary units.
 */
export function parsePostgresQuantity(value: string): Quantity | undefined {
    let v = /^[+-]?\d+$/.test(value) ? `${value}MB` : value;
    if (!v.endsWith("B")) return undefined;
    v = v.slice(0, -1).replace(/ /g, "");
    if (!/^[+-]?\d+$/.test(v)) v = `${v}i`.replace(/ki/g, "Ki");
    return parseQuantity(v);
}

/** validateConfiguration: parameter names, blocked parameters, shared_buffers, booleans, WAL sizes. */
export function validatePostgresParameters(cluster: unknown): RuleIssue[] {
    const params = parametersOf(cluster);
    const issues: RuleIssue[] = [];
    const at = (key: string) => pointer("spec", "postgresql", "parameters", key);
    for (const [key, value] of Object.entries(params)) {
        if (!PARAMETER_NAME.test(key)) {
            issues.push({
                path: at(key),
                message:
                    "must be a valid PostgreSQL configuration parameter name (a GUC name, optionally namespaced with a single dot)",
            });
        } else if (BLOCKED_PARAMETERS.has(key)) {
            issues.push({
                path: at(key),
                message: `Can't set fixed configuration parameter (${String(value)})`,
            });
        }
    }
    const sharedBuffers = asString(params.shared_buffers);
    if (sharedBuffers !== "" && parsePostgresQuantity(sharedBuffers) === undefined) {
        issues.push({
            path: at("shared_buffers"),
            message:
                "Invalid value for configuration parameter shared_buffers. More info on accepted values format: " +
                "https://www.postgresql.org/docs/current/config-setting.html#CONFIG-SETTING-NAMES-VALUES",
        });
    }
    for (const key of ["hot_standby_feedback", "sync_replication_slots", "wal_log_hints"]) {
        if (!(key in params)) continue;
        const value = asString(params[key]).toLowerCase();
        if (!PG_TRUE.includes(value) && !PG_FALSE.includes(value)) {
            issues.push({ path: at(key), message: `invalid \`${key}\` value. Must be a postgres boolean` });
        } else if (key === "wal_log_hints" && PG_FALSE.includes(value) && instancesOf(cluster) > 1) {
            issues.push({
                path: at(key),
                message: "`wal_log_hints` must be set to `on` when `instances` > 1",
            });
        }
    }
    return [...issues, ...validateWalSizes(cluster)];
}

/** cluster_webhook.go, validateWalSizeConfiguration: min_wal_size < max_wal_size (< WAL volume size). */
export function validateWalSizes(cluster: unknown): RuleIssue[] {
    const params = parametersOf(cluster);
    const issues: RuleIssue[] = [];
    const at = (key: string) => pointer("spec", "postgresql", "parameters", key);
    const minText = asString(params.min_wal_size) || "80MB";
    const maxText = asString(params.max_wal_size) || "1GB";
    const min = parsePostgresQuantity(minText);
    const max = parsePostgresQuantity(maxText);
    if (!min)
        issues.push({
            path: at("min_wal_size"),
            message: "Invalid value for configuration parameter min_wal_size",
        });
    if (!max)
        issues.push({
            path: at("max_wal_size"),
            message: "Invalid value for configuration parameter max_wal_size",
        });
    if (min && max && !isZeroQuantity(min) && !isZeroQuantity(max) && compareQuantities(min, max) >= 0) {
        issues.push({
            path: at("min_wal_size"),
            message:
                "Invalid vale. Parameter min_wal_size (default 80MB) should be smaller than parameter max_wal_size (default 1GB)",
        });
    }
    const walSize = parseQuantity(asString(asDict(specOf(cluster).walStorage).size));
    if (!walSize) return issues;
    for (const [key, value, def] of [
        ["min_wal_size", min, "80MB"],
        ["max_wal_size", max, "1GB"],
    ] as const) {
        if (
            asString(params[key]) !== "" &&
            value &&
            !isZeroQuantity(value) &&
            compareQuantities(value, walSize) >= 0
        ) {
            issues.push({
                path: at(key),
                message: `Invalid value. Parameter ${key} (default ${def}) should be smaller than WAL volume size`,
            });
        }
    }
    return issues;
}

function quantityAt(resources: Dict, kind: "requests" | "limits", name: string): Quantity | undefined {
    return parseQuantity(asString(asDict(resources[kind])[name]));
}

/**
 * cluster_webhook.go, validateResources: requests within limits (cpu, memory, ephemeral storage), and a
 * memory request no lower than `shared_buffers` unless a huge-pages resource holds them
 * (hasEnoughMemoryForSharedBuffers). The huge-pages request-equals-limit rule is not modelled.
 */
export function validateClusterResources(cluster: unknown): RuleIssue[] {
    const resources = asDict(specOf(cluster).resources);
    const issues: RuleIssue[] = [];
    const checks = [
        ["cpu", "cpu", "CPU request is greater than the limit"],
        ["memory", "memory", "Memory request is greater than the limit"],
        ["ephemeral-storage", "storage", "Ephemeral storage request is greater than the limit"],
    ] as const;
    for (const [name, pathName, message] of checks) {
        const request = quantityAt(resources, "requests", name);
        const limit = quantityAt(resources, "limits", name);
        if (
            request &&
            limit &&
            !isZeroQuantity(request) &&
            !isZeroQuantity(limit) &&
            compareQuantities(request, limit) > 0
        ) {
            issues.push({ path: pointer("spec", "resources", "requests", pathName), message });
        }
    }
    const sharedBuffers = parsePostgresQuantity(asString(parametersOf(cluster).shared_buffers));
    const memoryRequest = quantityAt(resources, "requests", "memory");
    const hugePages = [
        ...Object.entries(asDict(resources.limits)),
        ...Object.entries(asDict(resources.requests)),
    ]
        .filter(([name]) => name.startsWith("hugepages-"))
        .map(([, value]) => parseQuantity(asString(value)));
    const heldByHugePages = hugePages.some(
        (q) => q && sharedBuffers && compareQuantities(sharedBuffers, q) <= 0,
    );
    if (
        sharedBuffers &&
        memoryRequest &&
        !isZeroQuantity(memoryRequest) &&
        compareQuantities(sharedBuffers, memoryRequest) > 0 &&
        !heldByHugePages
    ) {
        issues.push({
            path: pointer("spec", "resources", "requests"),
            message: "Memory request is lower than PostgreSQL `shared_buffers` value",
        });
    }
    return issues;
}
