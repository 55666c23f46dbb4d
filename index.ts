/**
 * ADR 009's promotion stack. This file only reads the validated configuration, declares the providers and
 * wires the components; every decision lives in the components' pure builders.
 *
 * Every provider is explicit and handed to the components (`providers`), and the stack files set
 * `pulumi:disable-default-providers: ["*"]`: no resource can fall back to whatever cluster or account the
 * runner is logged into. What holds state or serves prod is protected by type (components/core/protection.ts).
 */
import * as onepassword from "@1password/pulumi-onepassword";
import * as cloudflare from "@pulumi/cloudflare";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { DevAccess } from "./components/access/devAccess";
import { declareGithubProvider } from "./components/access/githubProvider";
import { GitopsRepoRules } from "./components/access/gitopsRepoRules";
import { KargoGitCredential } from "./components/access/kargoGitCredential";
import { RegistryCredential } from "./components/access/registryCredential";
import { ConfigError, readStackConfig } from "./components/config";
import { shouldInstallKargo, selectTargetRevisionWriter } from "./components/config/pipeline";
import { buildKubernetesProviderArgs, validateProviderConfig } from "./components/config/providers";
import { protectStateful } from "./components/core/protection";
import { DevDataPlane } from "./components/devData/devDataPlane";
import { KargoInstall } from "./components/kargo/kargoInstall";
import { PlatformPrerequisites, requireFirst } from "./components/platform/platformPrerequisites";
import { GitopsApplications, listGitopsApplications } from "./components/pipeline/gitopsApplications";
import { PromotionPipeline, STAGE_TYPE } from "./components/pipeline/promotionPipeline";

const { config, providerConfig } = validateConfigOrStop();

const kubernetes = new k8s.Provider("kubernetes", buildKubernetesProviderArgs(providerConfig));
const gitopsGithub = declareGithubProvider("gitops-repo", config);
// Credentials stay out of the program: `cloudflare:apiToken` (secret) when set, else CLOUDFLARE_API_TOKEN.
const cloudflareToken = new pulumi.Config("cloudflare").getSecret("apiToken");
const cloudflareProvider = new cloudflare.Provider(
    "cloudflare",
    cloudflareToken ? { apiToken: cloudflareToken } : {},
);
// The deploy-key opt-in alone uses 1Password's Pulumi provider (the item) and tls (the key); declared only
// then, so the github-app stacks need no 1Password credentials at deploy time. onepassword:url and
// onepassword:token (Connect; or OP_CONNECT_HOST / OP_CONNECT_TOKEN), or onepassword:serviceAccountToken.
const deployKey = config.gitCredential.mode === "deploy-key";
const onepasswordConfig = new pulumi.Config("onepassword");
const onepasswordProvider = deployKey
    ? new onepassword.Provider("onepassword", {
          url: onepasswordConfig.get("url"),
          token: onepasswordConfig.getSecret("token"),
          serviceAccountToken: onepasswordConfig.getSecret("serviceAccountToken"),
      })
    : undefined;
const tlsProvider = deployKey ? new tls.Provider("tls", {}) : undefined;

// What the stack's own objects need in the cluster (the 1Password operator, Argo CD's AppProject permitting every
// Application, and for the dev clone CloudNativePG, the snapshot API and prod's Cluster): read first, so a
// missing one fails the preview, and waited for.
const platform = new PlatformPrerequisites(
    "platform",
    {
        config,
        dataPlane: DevDataPlane.isDeclared(config),
        applications: [
            ...listGitopsApplications(config, DevDataPlane.stageValues(config)),
            ...DevDataPlane.listApplications(config),
        ],
    },
    { providers: [kubernetes] },
);

/**
 * Options for a component: its providers, protection of the stateful types among its children, every
 * OnePasswordItem among them waiting for the 1Password operator and every Application for its AppProject.
 */
function componentOptions(
    ...providers: (pulumi.ProviderResource | undefined)[]
): pulumi.ComponentResourceOptions {
    return {
        providers: providers.filter((p): p is pulumi.ProviderResource => p !== undefined),
        transformations: [
            protectStateful(config.protect),
            platform.requireOnePasswordOperator(),
            platform.requireArgoProject(),
        ],
    };
}

// ADR 009's adoption increment (config/pipeline.ts PIPELINE_MODES): bump-only declares no Kargo object at
// all; the deploy files, their app-of-apps and the repository rules exist in every mode, unchanged by it.
// The deploy files (the chart Applications, git's once bootstrapped) and one app-of-apps per stage.
const applications = new GitopsApplications(
    "gitops",
    { config, stageValues: DevDataPlane.stageValues(config), githubProvider: gitopsGithub },
    componentOptions(kubernetes, gitopsGithub),
);
const kargoStack = shouldInstallKargo(config) ? declareKargoStack() : undefined;
const gitCredential = kargoStack
    ? new KargoGitCredential(
          "kargo-git",
          { config, projectNamespace: kargoStack.pipeline.projectNamespace, githubProvider: gitopsGithub },
          componentOptions(kubernetes, gitopsGithub, onepasswordProvider, tlsProvider),
      )
    : undefined;
const registryCredential = new RegistryCredential(
    "chart-registry",
    { config, projectNamespace: kargoStack?.pipeline.projectNamespace },
    componentOptions(kubernetes),
);
new GitopsRepoRules(
    "gitops-rules",
    { config, githubProvider: gitopsGithub, bypassDependencies: gitCredential?.bypassDependencies },
    // The rules let only the targetRevision writer push the deploy files: bootstrap the files first.
    { ...componentOptions(gitopsGithub), dependsOn: [applications] },
);

export const pipelineMode = config.pipeline.mode;
export const targetRevisionWriter = selectTargetRevisionWriter(config);
export const kargoNamespace = kargoStack?.kargo.namespace;
export const project = kargoStack?.pipeline.projectName;
export const stages = kargoStack?.pipeline.stageNames;
export const deployFiles = applications.deployFiles;
export const rootApplications = applications.rootApplications;
export const chartVersion = kargoStack ? config.kargo.chartVersion : undefined;
export const devAccessServiceTokenId = kargoStack?.access.serviceTokenId;
export const devAccessClientId = kargoStack?.access.clientId;
export const devAccessTokenExpiresAt = kargoStack?.access.expiresAt;
export const devAccessAudiences = kargoStack?.access.audiences;
export const gitCredentialMode = gitCredential?.mode;
export const gitCredentialSecret = gitCredential?.secretName;
export const registryCredentialItemFields = registryCredential.itemFields;
export const devCloneProvisioned = kargoStack?.devData.cloneProvisioned ?? false;
export const devClone =
    kargoStack?.devData.cloneName ?? "none (no write data plane in this mode and dev scope)";

/** Kargo, its project and pipeline, the dev data plane and the dev stage's Access: the Kargo modes only. */
function declareKargoStack() {
    const kargo = new KargoInstall(
        "kargo",
        { config: config.kargo, argocdNamespace: config.argocd.namespace },
        componentOptions(kubernetes),
    );
    // The Stages wait for the app-of-apps (synced, so their child Applications exist): argocd-update targets
    // those children, and Kargo never retries an auto-promotion whose Promotion failed.
    const pipelineOptions = componentOptions(kubernetes);
    const pipeline = new PromotionPipeline(
        "pipeline",
        { config, kargo: kargo.release, devStagePreSteps: DevDataPlane.stagePreSteps(config) },
        {
            ...pipelineOptions,
            transformations: [
                ...(pipelineOptions.transformations ?? []),
                requireFirst(applications.rootApplicationResources, (type) => type === STAGE_TYPE),
            ],
        },
    );
    // Providers only: the clone is disposable by design (every refresh deletes and recreates it, and moving
    // leaving the cloned chart out of pipeline.devCharts removes it), so nothing here is protected.
    const devData = new DevDataPlane(
        "dev-data",
        { config, kargo: kargo.release, projectNamespace: pipeline.projectNamespace },
        {
            providers: [kubernetes],
            transformations: [
                platform.requireOnePasswordOperator(),
                platform.requireArgoProject(),
                platform.requireDataPrerequisites(),
            ],
        },
    );
    const access = new DevAccess(
        "dev-access",
        { config, projectNamespace: pipeline.projectNamespace, githubProvider: gitopsGithub },
        componentOptions(kubernetes, cloudflareProvider, gitopsGithub),
    );
    return { kargo, pipeline, devData, access };
}

/** Invalid config stops the program before any resource is declared, with every problem listed. */
function validateConfigOrStop() {
    const flat = pulumi.runtime.allConfig();
    const problems: string[] = [];
    const attempt = <T>(validate: () => T): T | undefined => {
        try {
            return validate();
        } catch (err) {
            if (!(err instanceof ConfigError)) throw new pulumi.RunError((err as Error).message);
            problems.push(...err.problems);
            return undefined;
        }
    };
    const stackConfig = attempt(() => readStackConfig(flat));
    const providers = attempt(() => validateProviderConfig(flat));
    // RunError prints the message alone, without a stack trace.
    if (!stackConfig || !providers) throw new pulumi.RunError(new ConfigError(problems).message);
    return { config: stackConfig, providerConfig: providers };
}
