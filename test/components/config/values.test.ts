/**
 * Values judged by meaning, one table per grammar, each with several examples on both sides and the
 * message asserted. The grammars are owned by libraries (semver, distribution/reference, ipaddr.js,
 * email-providers); these tables pin what the stack accepts of them.
 */
import { strict as assert } from "node:assert";
import { describeCidrProblem } from "../../../components/config/checks/cidr";
import { describeImageProblem } from "../../../components/config/checks/imageReference";
import { isPublicMailDomain } from "../../../components/config/checks/publicMailDomains";
import { describeConstraintProblem } from "../../../components/config/checks/semverConstraint";
import { describeCpuProblem, describeMemoryProblem } from "../../../components/config/common";

/** Every `accepted` value has no problem; every `refused` value has exactly its message. */
function itJudges(
    describe: (value: string) => string | undefined,
    accepted: readonly string[],
    refused: readonly [string, string][],
): void {
    for (const value of accepted) {
        it(`accepts ${JSON.stringify(value)}`, () => assert.equal(describe(value), undefined));
    }
    for (const [value, message] of refused) {
        it(`refuses ${JSON.stringify(value)}`, () => assert.equal(describe(value), message));
    }
}

describe("config values: semver constraints (semver)", () => {
    const example = "e.g. >=0.182.0 <1.0.0 or ^1.4.0";
    const every = `admits every version, so the Warehouse would always take the latest (the floating revision ADR 009 rejects); allowed: a bounded constraint, ${example}`;
    const none = `admits no version, so the Warehouse would never find a chart; allowed: a satisfiable constraint, ${example}`;
    const unparsable = `expected a semver constraint, ${example} (a tag such as latest is not a constraint)`;
    itJudges(
        describeConstraintProblem,
        [
            ">=0.182.0 <1.0.0",
            "^1.4.0",
            "~0.41",
            "<1.0.0",
            ">= 1.2, < 2.0",
            "1.x || 3.x",
            ">=1.0.0 !=1.2.3 <2.0.0",
            "0.0.0",
            ">=0.0.1",
        ],
        [
            ["latest", unparsable],
            ["stable", unparsable],
            ["v1..2", unparsable],
            ["", `expected a non-empty semver constraint, ${example}`],
            ["  ", `expected a non-empty semver constraint, ${example}`],
            [">=0", every],
            ["*", every],
            ["x", every],
            ["X", every],
            [">=0.0.0", every],
            [">=0.0.0-0", every],
            ["^0 || >=0", every],
            ["^0 || >=1", every],
            ["~0 || ~1 || >=2", every],
            ["<1.0.0 || >=1.0.0", every],
            ["<=1.0.0 || >1.0.0", every],
            ["!=1.2.3", every],
            [">=0, !=1.0.0", every],
            [">2.0.0 <1.0.0", none],
            [">=1.0.0 <1.0.0", none],
        ],
    );
});

describe("config values: image references (distribution/reference grammar)", () => {
    const example = "ghcr.io/acme/x:1.0.0";
    const expected = `expected <registry>/<repository>:<tag> or @sha256:<digest>, e.g. ${example}`;
    const digest = "a".repeat(64);
    itJudges(
        (image) => describeImageProblem(image, example),
        [
            "ghcr.io/acme/visual-regression:1.4.0",
            "docker.io/alpine/k8s:1.32.3",
            `ghcr.io/acme/x@sha256:${digest}`,
            `ghcr.io/acme/x:1.0@sha256:${digest}`,
            "localhost:5000/x:1",
            "registry.example.com:8443/team/app:2024-01-01",
            `ghcr.io/acme/x:latest@sha256:${digest}`,
        ],
        [
            [
                "ghcr.io/acme/x",
                `has no tag and no digest, so the runtime pulls :latest (a floating image); ${expected}`,
            ],
            [
                "docker.io/library/postgres",
                `has no tag and no digest, so the runtime pulls :latest (a floating image); ${expected}`,
            ],
            [
                "ghcr.io/acme/x:latest",
                `is tagged latest, which moves with every push (a floating image); ${expected}`,
            ],
            [
                "ghcr.io/acme/x:LATEST",
                `is tagged latest, which moves with every push (a floating image); ${expected}`,
            ],
            [
                "postgres:17",
                `names no registry host, so the runtime would guess one (docker.io); ${expected}`,
            ],
            ["acme/x:1", `names no registry host, so the runtime would guess one (docker.io); ${expected}`],
            [
                "GHCR.io/Acme/x:1",
                `is not an image reference (repository name must be lowercase); ${expected}`,
            ],
            ["ghcr.io/acme/x:1.0:2", `is not an image reference (invalid reference format); ${expected}`],
            [
                "ghcr.io/acme/x@sha256:abc",
                `is not an image reference (invalid reference format); ${expected}`,
            ],
            [" ghcr.io/acme/x:1", `is not an image reference (invalid reference format); ${expected}`],
        ],
    );
});

describe("config values: CIDRs (ipaddr.js)", () => {
    const example = "e.g. 10.42.0.0/16 or fd00:10:42::/56";
    const octets = `is not an IPv4 address: each of the four numbers must be 0-255, without leading zeros; ${example}`;
    itJudges(
        describeCidrProblem,
        [
            "10.42.0.0/16",
            "10.0.0.0/8",
            "192.168.1.0/24",
            "0.0.0.0/0",
            "10.42.3.7/32",
            "fd00:10:42::/56",
            "2001:db8::/32",
            "::/0",
        ],
        [
            ["10.42.0.256/16", octets],
            ["300.1.1.0/24", octets],
            ["010.42.0.0/16", octets],
            ["10.42.0.0/33", "has prefix /33; an IPv4 prefix is at most /32"],
            ["10.42.0.0/999", "has prefix /999; an IPv4 prefix is at most /32"],
            ["fd00::/129", "has prefix /129; an IPv6 prefix is at most /128"],
            ["10.42.1.0/16", "has host bits set; the network of this block is 10.42.0.0/16"],
            ["fd00:10:42::1/56", "has host bits set; the network of this block is fd00:10:42::/56"],
            ["10.42.0.0", `expected an address and a prefix length, ${example}`],
            ["10.42.0.0/", `expected an address and a prefix length, ${example}`],
            ["10.42/16", `is not an IPv4 or IPv6 address; ${example}`],
            ["fd00:::1/64", `is not an IPv4 or IPv6 address; ${example}`],
            ["pods/16", `is not an IPv4 or IPv6 address; ${example}`],
        ],
    );
});

describe("config values: memory and CPU quantities (core's quantity grammar)", () => {
    const milli = (bytes: number, suffix: string) =>
        `is ${bytes} bytes: the suffix ${suffix} means a fraction (m is milli, not mega); allowed: e.g. 128Mi (mebibytes) or 128M (megabytes)`;
    const negative = "is negative; allowed: a memory quantity of zero or more, such as 256Mi";
    describe("memory", () =>
        itJudges(
            describeMemoryProblem,
            ["256Mi", "1Gi", "1.5Gi", "128M", "0", "1e9", "512Ki", "1024"],
            [
                ["128m", milli(0.128, "m")],
                ["1000m", milli(1, "m")],
                ["5u", milli(0.000005, "u")],
                ["7n", milli(7e-9, "n")],
                ["-1Gi", negative],
                ["-128Mi", negative],
                ["-0.5", negative],
                ["0.5", "is a fraction of a byte; allowed: a whole number of bytes, such as 256Mi"],
                ["0.1Ki", "is a fraction of a byte; allowed: a whole number of bytes, such as 256Mi"],
                ["128MB", "expected a Kubernetes memory quantity such as 256Mi or 1Gi"],
                ["1 Gi", "expected a Kubernetes memory quantity such as 256Mi or 1Gi"],
                ["", "expected a Kubernetes memory quantity such as 256Mi or 1Gi"],
            ],
        ));
    describe("cpu", () =>
        itJudges(
            describeCpuProblem,
            ["100m", "1", "0.5", "2500m"],
            [
                ["-100m", "is negative; allowed: a CPU quantity of zero or more, such as 100m"],
                ["-1", "is negative; allowed: a CPU quantity of zero or more, such as 100m"],
                ["1 core", "expected a Kubernetes CPU quantity such as 100m or 1"],
            ],
        ));
});

describe("config values: public mail domains in every region (email-providers)", () => {
    const publicDomains = [
        "gmail.com",
        "outlook.com",
        "yandex.ru",
        "mail.ru",
        "qq.com",
        "163.com",
        "naver.com",
        "web.de",
        "gmx.de",
        "libero.it",
        "orange.fr",
        "seznam.cz",
        "wp.pl",
        "uol.com.br",
        "rediffmail.com",
        "yahoo.co.jp",
        "GMAIL.COM",
    ];
    const organisationDomains = ["acme.dev", "acme.com.ar", "example.org", "corp.acme.co.uk", "github.com"];
    for (const domain of publicDomains) {
        it(`refuses ${domain}`, () => assert.equal(isPublicMailDomain(domain), true));
    }
    for (const domain of organisationDomains) {
        it(`accepts ${domain}`, () => assert.equal(isPublicMailDomain(domain), false));
    }
});
