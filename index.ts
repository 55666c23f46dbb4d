/**
 * ADR 009's promotion stack. This file only reads the validated configuration and wires the components;
 * every decision lives in the components' pure builders.
 */
import * as pulumi from "@pulumi/pulumi";
import { DevAccess } from "./components/access/devAccess";
import { declareGithubProvider } from "./components/access/githubProvider";
import { KargoGitCredential } from "./components/access/kargoGitCredential";
import { readRawConfig, validateStackConfig } from "./components/config";
import { DevDataPlane } from "./components/devData/devDataPlane";
import { KargoInstall } from "./components/kargo/kargoInstall";
import { GitopsApplications } from "./components/pipeline/gitopsApplications";
import { PromotionPipeline } from "./components/pipeline/promotionPipeline";

const config = validateConfigOrStop();

const kargo = new KargoInstall("kargo", { config: config.kargo, argocdNamespace: config.argocd.namespace });
const pipeline = new PromotionPipeline("pipeline", {
    config,
    kargo: kargo.release,
    devStagePreSteps: DevDataPlane.stagePreSteps(config),
});
const devData = new DevDataPlane("dev-data", {
    config,
    kargo: kargo.release,
    projectNamespace: pipeline.projectNamespace,
});
const gitopsGithub = declareGithubProvider("gitops-repo", config);
// The deploy files (the chart Applications, git's from then on) and one app-of-apps per stage.
const applications = new GitopsApplications("gitops", {
    config,
    stageValues: DevDataPlane.stageValues(config),
    githubProvider: gitopsGithub,
});
const access = new DevAccess("dev-access", {
    config,
    projectNamespace: pipeline.projectNamespace,
    githubProvider: gitopsGithub,
});
const gitCredential = new KargoGitCredential(
    "kargo-git",
    { config, projectNamespace: pipeline.projectNamespace, githubProvider: gitopsGithub },
    // The rulesets let only Kargo push to the branch and the deploy files: bootstrap the files first.
    { dependsOn: [applications] },
);

export const kargoNamespace = kargo.namespace;
export const project = pipeline.projectName;
export const stages = pipeline.stageNames;
export const deployFiles = applications.deployFiles;
export const rootApplications = applications.rootApplications;
export const chartVersion = config.kargo.chartVersion;
export const devAccessServiceTokenId = access.serviceTokenId;
export const devAccessClientId = access.clientId;
export const devAccessTokenExpiresAt = access.expiresAt;
export const devAccessAudiences = access.audiences;
export const gitCredentialMode = gitCredential.mode;
export const gitCredentialSecret = gitCredential.secretName;
export const devCloneProvisioned = devData.cloneProvisioned;
export const devClone = devData.cloneName ?? "none (devScope monolith-public: no write data plane)";

/** Invalid config stops the program before any resource is declared, with every problem listed. */
function validateConfigOrStop() {
    try {
        return validateStackConfig(readRawConfig(pulumi.runtime.allConfig()));
    } catch (err) {
        // RunError prints the message alone, without a stack trace.
        throw new pulumi.RunError((err as Error).message);
    }
}
