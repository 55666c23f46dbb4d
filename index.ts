/**
 * ADR 009's promotion stack. This file only reads the validated configuration and wires the components;
 * every decision lives in the components' pure builders.
 */
import * as pulumi from "@pulumi/pulumi";
import { readRawConfig, validateStackConfig } from "./components/config";
import { KargoInstall } from "./components/kargoInstall";
import { PromotionPipeline } from "./components/promotionPipeline";

const config = validateConfigOrStop();

const kargo = new KargoInstall("kargo", { config: config.kargo, argocdNamespace: config.argocd.namespace });
const pipeline = new PromotionPipeline("pipeline", { config, kargo: kargo.release });

export const kargoNamespace = kargo.namespace;
export const project = pipeline.projectName;
export const stages = pipeline.stageNames;
export const chartVersion = config.kargo.chartVersion;

/** Invalid config stops the program before any resource is declared, with every problem listed. */
function validateConfigOrStop() {
    try {
        return validateStackConfig(readRawConfig(pulumi.runtime.allConfig()));
    } catch (err) {
        // RunError prints the message alone, without a stack trace.
        throw new pulumi.RunError((err as Error).message);
    }
}
