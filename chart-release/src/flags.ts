import type { EXIT } from "./errors";

/**
 * The one definition of chart-release's command line: every flag, which command takes it, the environment
 * variables each command reads and the exit codes it can end with. The parser (args.ts) and the help text
 * (help.ts) are both derived from it, so a flag cannot be parsed without being documented or the reverse.
 */
export interface FlagDef {
    type: "string" | "boolean";
    multiple?: true;
    short?: string;
    /** The value's placeholder in help, e.g. `REF`. */
    value?: string;
    /** Applied by the parser when the flag is absent, and shown in the help. */
    default?: string | readonly string[];
    required?: true;
    help: string;
}

export const FLAGS = {
    repo: {
        type: "string",
        value: "DIR",
        help: "the git work tree to read (default: the current directory)",
    },
    chart: {
        type: "string",
        value: "DIR",
        default: "chart",
        help: "the chart folder, relative to the repository",
    },
    path: {
        type: "string",
        multiple: true,
        value: "GLOB",
        help: "more paths that feed the chart (git glob, e.g. 'src/api/**'); a commit touching one counts",
    },
    since: {
        type: "string",
        value: "REF",
        help: "count the commits after REF instead of after the last release commit",
    },
    "breaking-pre1": {
        type: "string",
        value: "minor|major",
        default: "minor",
        help: "what a breaking change bumps below 1.0.0; major is semantic-release's own rule",
    },
    base: {
        type: "string",
        value: "REF",
        required: true,
        help: "the PR's base branch; the diff starts at its merge base with --head",
    },
    head: { type: "string", value: "REF", required: true, help: "the PR's head commit" },
    deploy: {
        type: "string",
        multiple: true,
        value: "GLOB",
        default: ["deploy/**/*.yaml", "deploy/**/*.yml"],
        help: "deploy files whose targetRevision: a PR must not change",
    },
    registry: {
        type: "string",
        value: "oci://HOST/PATH",
        help: "the OCI registry and path the chart is pushed under (as for helm push); required unless --stack-config declares the chart in `release-pipeline:charts`, whose repoURL it must then match",
    },
    push: {
        type: "boolean",
        help: "really release: commit, tag, push and publish (without it: a dry run that changes nothing)",
    },
    "plain-http": { type: "boolean", help: "talk HTTP, not HTTPS, to the registry (a loopback registry)" },
    resume: {
        type: "boolean",
        help: "first publish the current version from its tag when the registry lacks it (after an exit 7)",
    },
    "allow-older": {
        type: "boolean",
        help: "publish although the registry holds a newer version (a hotfix of an older line); Kargo's Warehouse takes the newest, so it will not promote this one",
    },
    remote: { type: "string", value: "NAME", default: "origin", help: "the git remote to fetch and push" },
    branch: { type: "string", value: "NAME", default: "main", help: "the branch releases are committed to" },
    "max-attempts": {
        type: "string",
        value: "N",
        default: "10",
        help: "push attempts before giving up because the branch keeps moving (exit 5)",
    },
    "retry-delay-ms": {
        type: "string",
        value: "N",
        default: "500",
        help: "base of the jittered exponential wait between attempts, in milliseconds",
    },
    "stack-config": {
        type: "string",
        value: "FILE",
        help: "a Pulumi stack file (relative to --repo); its `release-pipeline:pipeline` → `mode` (bump-only, prod-only or full, the default) decides who writes deploy files, its `versionSource` (chart-yaml, the default, or oci-tag) whether the version is committed, and its `charts` where each chart is published",
    },
    "deploy-file": {
        type: "string",
        multiple: true,
        value: "FILE",
        help: "a deploy file whose spec.source.targetRevision the release commit sets; only in mode bump-only, where it is required",
    },
    json: { type: "boolean", help: "print one JSON document on stdout instead of text" },
    help: { type: "boolean", short: "h", help: "print this help and exit" },
} as const satisfies Record<string, FlagDef>;

export type FlagName = keyof typeof FLAGS;

/** Every variable the code reads from the environment, with what it does. */
export const ENVIRONMENT = {
    CHART_RELEASE_REGISTRY_USERNAME: "user name for the registry when it asks (Basic or token auth)",
    CHART_RELEASE_REGISTRY_PASSWORD: "password or token for the registry (in GitHub Actions: GITHUB_TOKEN)",
    SOURCE_DATE_EPOCH: "build time in seconds since 1970 instead of now, to reproduce a dev version",
    GITHUB_ACTIONS: "when `true`, forbidden edits are also printed as ::error annotations on stdout",
    CHART_RELEASE_DEBUG: "when `1`, an internal error (exit 70) also prints its stack trace",
    CHART_RELEASE_FAULT:
        "TEST ONLY: kill the process with SIGKILL at the named phase of release --push (src/fault.ts); never set it in CI",
} as const;

export type EnvName = keyof typeof ENVIRONMENT;

export type ExitName = keyof typeof EXIT;

/** What each exit code means, for the help and the README. */
export const EXIT_HELP: Readonly<Record<ExitName, string>> = {
    ok: "done: a version printed or released, nothing to release (stderr says why), or a clean dry run",
    failed: "check-pr found forbidden version: or targetRevision: edits (one file:line each)",
    usage: "usage error: no command, a wrong, missing or unknown flag, a path outside the repository, flags that contradict the stack config, or a malformed environment variable (SOURCE_DATE_EPOCH, a registry user name without its password or the reverse); the message names the flag, key or variable, the value and what is allowed; nothing changed",
    invalidInput:
        "unusable input: malformed or missing Chart.yaml, a version that is not strict SemVer, unknown ref, not a git repository or no commit yet, an unreadable or malformed stack config, an unusable deploy file; nothing changed",
    versionExists:
        "the computed version already exists in the registry (or its tag on the remote, or a leftover local tag) although the branch lacks it, or the registry holds a newer version than the one to publish (see --allow-older); nothing changed",
    pushRejected:
        "every push of the release commit was rejected because the branch kept moving; nothing was published",
    registry:
        "before anything was committed, the registry could not be read or would refuse the push: unreachable, not an OCI registry, authentication, credentials that cannot write, HTTP error, TLS against plain HTTP; nothing changed",
    publishAfterCommit:
        "the release commit and tag are pushed but the chart is not in the registry (the publish failed now, or in an earlier run): re-run with --resume (git changed only)",
    dirtyTree:
        "uncommitted changes under the chart folder, the --path globs or the deploy files the release writes; nothing changed",
    shallow: "a shallow clone: fetch the history (git fetch --unshallow, or fetch-depth: 0); nothing changed",
    notReleaseBranch:
        "release --push not on the release branch as fetched, or with local commits the remote branch lacks; nothing changed",
    remote: "git could not fetch from, query or push to the remote (other than a lost race); nothing changed",
    unverifiedRelease:
        "--resume found the release tag, but its commit is not on the remote branch; nothing was published",
    localGit:
        "git could not make the release commit or tag in this clone (e.g. commit.gpgsign or tag.gpgSign with a failing gpg); the commit, tag and file edits were undone, nothing was pushed or published",
    internal: "internal error (a bug): one line; CHART_RELEASE_DEBUG=1 prints the stack trace",
};

export interface CommandDef {
    summary: string;
    flags: readonly FlagName[];
    env: readonly EnvName[];
    exits: readonly ExitName[];
    /** Command-specific meaning of an exit code, instead of EXIT_HELP's. */
    exitNotes?: Partial<Record<ExitName, string>>;
    /** Flags this command requires although the flag itself is optional elsewhere. */
    requires?: readonly FlagName[];
}

const COMMON = ["repo", "chart"] as const satisfies readonly FlagName[];
const VERSIONING = ["path", "since", "breaking-pre1"] as const satisfies readonly FlagName[];
const OUTPUT = ["json", "help"] as const satisfies readonly FlagName[];

export const COMMANDS = {
    next: {
        summary:
            "Print the next chart version from the conventional commits since the last release, or nothing when none calls for one.",
        flags: [...COMMON, ...VERSIONING, "stack-config", ...OUTPUT],
        env: ["CHART_RELEASE_DEBUG"],
        exits: ["ok", "usage", "invalidInput", "shallow", "internal"],
    },
    dev: {
        summary: "Print the PR build version 0.0.0-dev.<UTC yyyymmddHHMMSS>.g<short sha> of HEAD.",
        flags: [...COMMON, ...OUTPUT],
        env: ["SOURCE_DATE_EPOCH", "CHART_RELEASE_DEBUG"],
        exits: ["ok", "usage", "invalidInput", "internal"],
    },
    "check-pr": {
        summary:
            "Fail when the PR changes a Chart.yaml's top-level version: or a deploy file's targetRevision: (versions are written on main after merge).",
        flags: [...COMMON, "base", "head", "deploy", ...OUTPUT],
        env: ["GITHUB_ACTIONS", "CHART_RELEASE_DEBUG"],
        exits: ["ok", "failed", "usage", "invalidInput", "shallow", "internal"],
        exitNotes: {
            ok: "no forbidden edit",
            failed: "forbidden edits found (each printed as file:line)",
        },
    },
    release: {
        summary:
            "On main: compute the next version, commit and tag it, push atomically (retrying when main moves), then publish the chart to the OCI registry.",
        flags: [
            ...COMMON,
            ...VERSIONING,
            "registry",
            "push",
            "plain-http",
            "resume",
            "allow-older",
            "remote",
            "branch",
            "max-attempts",
            "retry-delay-ms",
            "stack-config",
            "deploy-file",
            ...OUTPUT,
        ],
        env: [
            "CHART_RELEASE_REGISTRY_USERNAME",
            "CHART_RELEASE_REGISTRY_PASSWORD",
            "CHART_RELEASE_DEBUG",
            "CHART_RELEASE_FAULT",
        ],
        exits: [
            "ok",
            "usage",
            "invalidInput",
            "versionExists",
            "pushRejected",
            "registry",
            "publishAfterCommit",
            "dirtyTree",
            "shallow",
            "notReleaseBranch",
            "remote",
            "unverifiedRelease",
            "localGit",
            "internal",
        ],
    },
    mode: {
        summary:
            "Print the stack's pipeline mode (bump-only, prod-only or full) from a Pulumi stack file, read as release reads --stack-config: a workflow passes --deploy-file only in bump-only. --json adds the versionSource (chart-yaml or oci-tag).",
        flags: ["repo", "stack-config", ...OUTPUT],
        requires: ["stack-config"],
        env: ["CHART_RELEASE_DEBUG"],
        exits: ["ok", "usage", "invalidInput", "internal"],
        exitNotes: {
            ok: "the mode printed (stderr says when it is the stack default because the key is absent)",
            usage: "usage error: --stack-config missing or empty, or a flag mode does not take (the message names it)",
            invalidInput:
                "the stack file is missing or unreadable, malformed YAML, not a Pulumi stack file, or its mode is not one of bump-only, prod-only, full",
        },
    },
} as const satisfies Record<string, CommandDef>;

export type Command = keyof typeof COMMANDS;

export function isCommand(name: string): name is Command {
    return Object.hasOwn(COMMANDS, name);
}
