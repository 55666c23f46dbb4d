/**
 * The ADR 009 policy pack: assembles the policies, nothing else. Each policy lives in its own file under
 * policies/ with its description, remediation text, enforcement level and config schema.
 */
import { PolicyPack } from "@pulumi/policy";
import { credentialsFromOnePassword } from "./policies/credentialsFromOnePassword";
import { devIsolation } from "./policies/devIsolation";
import { gatedProd } from "./policies/gatedProd";
import { gitOwnedApplications } from "./policies/gitOwnedApplications";
import { memoryBudget } from "./policies/memoryBudget";
import { noFloatingTargetRevision } from "./policies/noFloatingTargetRevision";
import { pinnedHelmCharts } from "./policies/pinnedHelmCharts";
import { prodAutoPromotion } from "./policies/prodAutoPromotion";
import { warehouseDiscipline } from "./policies/warehouseDiscipline";
import { writesConfined } from "./policies/writesConfined";

new PolicyPack("release-pipeline", {
    description:
        "ADR 009: pinned revisions and charts, gated prod, 1Password credentials, confined writes, dev isolation, memory budget, git-owned Applications.",
    policies: [
        noFloatingTargetRevision,
        pinnedHelmCharts,
        warehouseDiscipline,
        gatedProd,
        prodAutoPromotion,
        credentialsFromOnePassword,
        writesConfined,
        devIsolation,
        memoryBudget,
        gitOwnedApplications,
    ],
});
