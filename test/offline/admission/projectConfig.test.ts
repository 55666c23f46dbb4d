import { validateProjectConfig } from "../../../offline/admission/projectConfig";
import { PROJECT_P, describeRule, kargo, namespace } from "./helpers";

const config = (spec: Record<string, unknown>, name = "p", ns = "p") =>
    kargo("ProjectConfig", name, ns, spec);
const policy = (stage: string) => ({ stageSelector: { name: stage }, autoPromotionEnabled: true });
const receiver = (name: string, kinds: Record<string, unknown>) => ({ name, ...kinds });
const github = { secretRef: { name: "gh" } };

describeRule(
    "ProjectConfig: validateObjectMeta (projectconfig/webhook.go)",
    (o) => validateProjectConfig(o),
    [
        {
            name: "a ProjectConfig not named after its project",
            rejects: config({}, "settings"),
            path: "/metadata/name",
            message: 'name "settings" must match project name "p"',
            accepts: config({}),
        },
    ],
);

describeRule(
    "ProjectConfig: validatePromotionPolicies (projectconfig/webhook.go)",
    (o) => validateProjectConfig(o),
    [
        {
            name: "two policies for the same Stage",
            rejects: config({ promotionPolicies: [policy("dev"), policy("prod"), { stage: "dev" }] }),
            path: "/spec/promotionPolicies/2",
            message: "stage name already defined at spec.promotionPolicies[0]",
            accepts: config({ promotionPolicies: [policy("dev"), policy("prod"), policy("glob:dev-*")] }),
        },
        {
            name: "an unknown pattern identifier",
            rejects: config({ promotionPolicies: [policy("wildcard:dev-*")] }),
            path: "/spec/promotionPolicies/0/stageSelector/name",
            message: 'invalid pattern identifier "wildcard": must be "regex", "regexp" or "glob"',
            accepts: config({ promotionPolicies: [policy("glob:dev-*")] }),
        },
        {
            name: "a glob that does not parse",
            rejects: config({ promotionPolicies: [policy("glob:dev-{a,b")] }),
            path: "/spec/promotionPolicies/0/stageSelector/name",
            message: "syntax error in pattern",
            accepts: config({ promotionPolicies: [policy("glob:dev-{a,b}")] }),
        },
        {
            name: "a regex that does not compile",
            rejects: config({ promotionPolicies: [policy("regex:^dev-(")] }),
            path: "/spec/promotionPolicies/0/stageSelector/name",
            message: /^error parsing regexp/,
            accepts: config({ promotionPolicies: [policy("regexp:^dev-(a|b)$")] }),
        },
    ],
);

describeRule(
    "ProjectConfig: ValidateWebhookReceivers (external/validation.go)",
    (o) => validateProjectConfig(o),
    [
        {
            name: "two receivers with one name",
            rejects: config({ webhookReceivers: [receiver("gh", { github }), receiver("gh", { github })] }),
            path: "/spec/webhookReceivers/1/name",
            message: "webhook receiver name already defined at spec.webhookReceivers[0]",
            accepts: config({ webhookReceivers: [receiver("gh", { github }), receiver("gh2", { github })] }),
        },
        {
            name: "a receiver of two types",
            rejects: config({ webhookReceivers: [receiver("gh", { github, gitlab: github })] }),
            path: "/spec/webhookReceivers/0",
            message: "cannot define a receiver that is of more than one type, found 2: [GitHub GitLab]",
            accepts: config({ webhookReceivers: [receiver("gh", { github })] }),
        },
        {
            name: "a generic action target selecting nothing",
            rejects: config({
                webhookReceivers: [
                    receiver("g", {
                        generic: { secretRef: { name: "s" }, actions: [{ targetSelectionCriteria: [{}] }] },
                    }),
                ],
            }),
            path: "/spec/webhookReceivers/0/generic/actions/0/targetSelectionCriteria/0",
            message: "at least one of name, labelSelector, or indexSelector must be specified for target",
            accepts: config({
                webhookReceivers: [
                    receiver("g", {
                        generic: {
                            secretRef: { name: "s" },
                            actions: [{ targetSelectionCriteria: [{ name: "w" }] }],
                        },
                    }),
                ],
            }),
        },
    ],
);

describeRule("ProjectConfig: ensureProjectNamespace (projectconfig/webhook.go)", validateProjectConfig, [
    {
        name: "a ProjectConfig in a namespace without the project label",
        rejects: config({}, "plain", "plain"),
        path: "/metadata/namespace",
        message:
            'namespace "plain" does not belong to Kargo project (missing "kargo.akuity.io/project" label)',
        accepts: config({}),
        ctx: { objects: [...PROJECT_P.objects, namespace("plain")] },
    },
    {
        name: "a ProjectConfig whose namespace does not exist",
        rejects: config({}, "gone", "gone"),
        path: "/metadata/namespace",
        message: 'error getting namespace "gone": namespaces "gone" not found',
        accepts: config({}),
        ctx: PROJECT_P,
    },
]);
