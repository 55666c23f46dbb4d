/**
 * Mail domains anyone can sign up for, in every region: the `email-providers` package's full list (about
 * 8,700 providers, from gmail.com to qq.com, yandex.ru, web.de, naver.com, libero.it), plus the few big
 * ones this stack always refused, in case a release of the list ever drops one.
 */
import { readFileSync } from "node:fs";

const ALWAYS: readonly string[] = [
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "proton.me",
    "protonmail.com",
    "aol.com",
    "gmx.com",
];

function readProviderList(): string[] {
    const list: unknown = JSON.parse(readFileSync(require.resolve("email-providers/all.json"), "utf8"));
    if (!Array.isArray(list) || !list.every((d) => typeof d === "string")) {
        throw new Error("email-providers/all.json is not a list of domains");
    }
    return list;
}

export const PUBLIC_MAIL_DOMAINS: ReadonlySet<string> = new Set(
    [...readProviderList(), ...ALWAYS].map((d) => d.toLowerCase()),
);

/**
 * True when anyone can get an address at `domain`. Exact match only: the list holds a few public suffixes
 * (com.ar, net.ua), so matching parents would refuse every organisation's domain under them.
 */
export function isPublicMailDomain(domain: string): boolean {
    return PUBLIC_MAIL_DOMAINS.has(domain.toLowerCase());
}
