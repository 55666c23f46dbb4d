/**
 * Kubernetes' name grammars (k8s.io/apimachinery/pkg/util/validation): what an object name, a namespace,
 * a Service or a label value may be. Each check returns why a name is refused, or undefined.
 */

export type NameRule = "label" | "dns1035" | "subdomain" | "labelValue" | "cronJob";

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const DESCRIPTIONS: Record<NameRule, { max: number; grammar: string }> = {
    label: { max: 63, grammar: "a DNS-1123 label (lower-case letters, digits, '-')" },
    dns1035: {
        max: 63,
        grammar: "a DNS-1035 label (starting with a letter; lower-case letters, digits, '-')",
    },
    subdomain: { max: 253, grammar: "a DNS-1123 subdomain (DNS-1123 labels joined by '.')" },
    labelValue: { max: 63, grammar: "a label value (letters, digits, '-', '_', '.')" },
    // The CronJob controller appends an 11-character suffix to name each Job (apis/batch/validation).
    cronJob: { max: 52, grammar: "a CronJob name (a DNS-1123 subdomain)" },
};

function matchesGrammar(name: string, rule: NameRule): boolean {
    switch (rule) {
        case "label":
            return LABEL.test(name);
        case "dns1035":
            return DNS1035.test(name);
        case "labelValue":
            return LABEL_VALUE.test(name);
        case "subdomain":
        case "cronJob":
            return name.split(".").every((part) => LABEL.test(part));
    }
}

/** Why `name` breaks `rule`, or undefined when Kubernetes accepts it. */
export function describeNameProblem(name: string, rule: NameRule): string | undefined {
    const { max, grammar } = DESCRIPTIONS[rule];
    if (name.length > max) return `${name.length} characters; ${grammar} has at most ${max}`;
    if (!matchesGrammar(name, rule)) return `not ${grammar}`;
    return undefined;
}
