/**
 * Issue 18 item 10: the GitHub side of Kargo's webhook receiver is set up by hand (the stack cannot know the
 * receiver URL without the HMAC secret). The runbook must say what Kargo v1.11.2 needs of the delivery, or
 * discovery silently falls back to polling: JSON bodies (github.ParseWebHook), the package events the
 * receiver answers, and the same secret as the item the stack's OnePasswordItem reads.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildWebhookSecretItem } from "../../components/pipeline/project";
import { stackConfig } from "../support/config";

const RUNBOOK = readFileSync(join(__dirname, "..", "..", "docs", "runbooks.md"), "utf8");
const SECTION = RUNBOOK.slice(
    RUNBOOK.indexOf("**GitHub webhook for Kargo**"),
    RUNBOOK.indexOf("**Chart registry credential**"),
);

describe("docs: the GitHub webhook Kargo's receiver needs", () => {
    const required: [string, RegExp][] = [
        ["content type application/json", /Content type `application\/json`/],
        ["the Packages event", /\*\*Packages\*\* only/],
        ["the secret from the item's `secret` field", /the same value as the item's `secret` field/],
        ["the URL from the ProjectConfig status", /status\.webhookReceivers\[0\]\.url/],
        ["the item path key", /`webhook\.githubSecretItemPath`/],
    ];
    for (const [what, pattern] of required) {
        it(`states ${what}`, () => assert.match(SECTION, pattern));
    }
    it("names the item the prod stack's OnePasswordItem reads", () => {
        const item = buildWebhookSecretItem(stackConfig("prod"));
        assert.ok(item, "prod declares a receiver");
        assert.match(SECTION, /webhook\.githubSecretItemPath/);
        assert.equal(item.spec?.itemPath, stackConfig("prod").webhook.githubSecretItemPath);
    });
});
