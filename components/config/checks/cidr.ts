/**
 * CIDR blocks as a NetworkPolicy's ipBlock reads them, parsed with ipaddr.js: IPv4 in dotted decimal
 * (no octet above 255, no leading zeros that some parsers read as octal) or IPv6, a prefix within the
 * family's width, and no host bits set (10.42.1.0/16 is almost always a typo for 10.42.0.0/16, and the API
 * server keeps it as written).
 */
import ipaddr from "ipaddr.js";

export type IpFamily = "ipv4" | "ipv6";

export interface Cidr {
    readonly family: IpFamily;
    readonly network: string;
    readonly prefix: number;
}

const EXAMPLE = "e.g. 10.42.0.0/16 or fd00:10:42::/56";

/** The block, or a message saying why it is not one. */
export function parseCidr(text: string): Cidr | string {
    const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text);
    if (!match) return `expected an address and a prefix length, ${EXAMPLE}`;
    const [, address, prefixText] = match;
    const prefix = Number(prefixText);
    if (ipaddr.IPv4.isValidFourPartDecimal(address)) {
        if (prefix > 32) return `has prefix /${prefix}; an IPv4 prefix is at most /32`;
        return toCidr("ipv4", ipaddr.IPv4.parse(address), prefix, text);
    }
    if (/^\d+(\.\d+){3}$/.test(address)) {
        return `is not an IPv4 address: each of the four numbers must be 0-255, without leading zeros; ${EXAMPLE}`;
    }
    if (address.includes(":") && ipaddr.IPv6.isValid(address)) {
        if (prefix > 128) return `has prefix /${prefix}; an IPv6 prefix is at most /128`;
        return toCidr("ipv6", ipaddr.IPv6.parse(address), prefix, text);
    }
    return `is not an IPv4 or IPv6 address; ${EXAMPLE}`;
}

function toCidr(
    family: IpFamily,
    address: ipaddr.IPv4 | ipaddr.IPv6,
    prefix: number,
    text: string,
): Cidr | string {
    const network =
        family === "ipv4"
            ? ipaddr.IPv4.networkAddressFromCIDR(text).toString()
            : ipaddr.IPv6.networkAddressFromCIDR(text).toString();
    if (network !== address.toString()) {
        return `has host bits set; the network of this block is ${network}/${prefix}`;
    }
    return { family, network, prefix };
}

/** Why `text` is refused as a CIDR, or undefined when it is one. */
export function describeCidrProblem(text: string): string | undefined {
    const parsed = parseCidr(text);
    return typeof parsed === "string" ? parsed : undefined;
}

/** The family of a valid CIDR (IPv6 when it contains a colon). */
export function cidrFamily(text: string): IpFamily {
    return text.includes(":") ? "ipv6" : "ipv4";
}
