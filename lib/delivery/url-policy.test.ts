import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkAddress, checkTargetUrl, extractIpLiteral, parseAllowList } from "./url-policy";

const DENY = { allowPrivate: false } as const;

/** Independent oracle: refused IPv4 ranges as [first, prefix] integers. */
const REFUSED_V4: ReadonlyArray<readonly [number, number, number, number, number]> = [
  [0, 0, 0, 0, 8],
  [10, 0, 0, 0, 8],
  [100, 64, 0, 0, 10],
  [127, 0, 0, 0, 8],
  [169, 254, 0, 0, 16],
  [172, 16, 0, 0, 12],
  [192, 0, 0, 0, 24],
  [192, 0, 2, 0, 24],
  [192, 88, 99, 0, 24],
  [192, 168, 0, 0, 16],
  [198, 18, 0, 0, 15],
  [198, 51, 100, 0, 24],
  [203, 0, 113, 0, 24],
  [224, 0, 0, 0, 4],
  [240, 0, 0, 0, 4],
];

function toInt(a: number, b: number, c: number, d: number): number {
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

function isRefusedByOracle(n: number): boolean {
  return REFUSED_V4.some(([a, b, c, d, prefix]) => {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return ((n & mask) >>> 0) === ((toInt(a, b, c, d) & mask) >>> 0);
  });
}

function octetsOf(n: number): [number, number, number, number] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/** Every host encoding WHATWG URL accepts for one IPv4 address. */
function encodeIPv4(n: number): string[] {
  const [a, b, c, d] = octetsOf(n);
  const hex16 = (x: number) => x.toString(16);
  return [
    `${a}.${b}.${c}.${d}`,
    `${n}`,
    `0x${n.toString(16)}`,
    `0x${n.toString(16).toUpperCase()}`,
    `0${a.toString(8)}.0${b.toString(8)}.0${c.toString(8)}.0${d.toString(8)}`,
    `0x${a.toString(16)}.0x${b.toString(16)}.0x${c.toString(16)}.0x${d.toString(16)}`,
    `${a}.${b}.${(c << 8) + d}`,
    `${a}.${(b << 16) + (c << 8) + d}`,
    `${a}.${b}.${c}.${d}.`,
    `[::ffff:${a}.${b}.${c}.${d}]`,
    `[::ffff:${hex16((a << 8) + b)}:${hex16((c << 8) + d)}]`,
    `[0:0:0:0:0:ffff:${a}.${b}.${c}.${d}]`,
  ];
}

const refusedIPv4 = fc
  .constantFrom(...REFUSED_V4)
  .chain(([a, b, c, d, prefix]) =>
    fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((offset) => (toInt(a, b, c, d) + offset) >>> 0),
  );

describe("checkTargetUrl: shape", () => {
  it("accepts plain public http and https URLs, any port", () => {
    for (const url of ["https://example.com/hook", "http://example.com:8080/x?y=1", "https://1.1.1.1:1/", "https://[2606:4700::1111]/"]) {
      const result = checkTargetUrl(url, DENY);
      expect(result.ok, url).toBe(true);
    }
  });

  it("returns the parsed URL", () => {
    const result = checkTargetUrl("https://Example.COM/a", DENY);
    expect(result.ok && result.url.hostname).toBe("example.com");
  });

  it.each([
    ["ftp://example.com/", "http:// or https://"],
    ["file:///etc/passwd", "http:// or https://"],
    ["javascript:alert(1)", "http:// or https://"],
    ["gopher://example.com", "http:// or https://"],
    ["not a url", "not a valid URL"],
    ["", "not a valid URL"],
    ["http://a@b", "user name or password"],
    ["https://user:pass@example.com/", "user name or password"],
    ["https://:pass@example.com/", "user name or password"],
  ])("refuses %s", (url, reason) => {
    const result = checkTargetUrl(url, DENY);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it("enforces the 2,048 character limit", () => {
    const base = "https://example.com/";
    expect(checkTargetUrl(base + "a".repeat(2048 - base.length), DENY).ok).toBe(true);
    const long = checkTargetUrl(base + "a".repeat(2049 - base.length), DENY);
    expect(long).toEqual({ ok: false, reason: "URL is too long (2049 characters, at most 2048)" });
  });

  it("refuses localhost names unless private targets are allowed", () => {
    expect(checkTargetUrl("http://localhost:3000/", DENY).ok).toBe(false);
    expect(checkTargetUrl("http://api.LOCALHOST./", DENY).ok).toBe(false);
    expect(checkTargetUrl("http://localhost:3000/", { allowPrivate: true }).ok).toBe(true);
    expect(checkTargetUrl("http://localhost:3000/", { allowPrivate: ["127.0.0.0/8"] }).ok).toBe(true);
  });
});

describe("checkTargetUrl: IP literals in every encoding", () => {
  it.each([
    ["http://127.0.0.1", "loopback"],
    ["http://2130706433", "loopback"],
    ["http://0x7f000001", "loopback"],
    ["http://0177.0.0.1", "loopback"],
    ["http://127.1", "loopback"],
    ["http://0x7f.1", "loopback"],
    ["http://%31%32%37.0.0.1", "loopback"],
    ["http://[::1]", "loopback"],
    ["http://[0:0:0:0:0:0:0:1]", "loopback"],
    ["http://[::ffff:127.0.0.1]", "IPv4-mapped"],
    ["http://[::ffff:7f00:1]", "IPv4-mapped"],
    ["http://[::ffff:8.8.8.8]", "IPv4-mapped"],
    ["http://[::127.0.0.1]", "IPv4-compatible"],
    ["http://169.254.169.254/latest/meta-data", "cloud metadata"],
    ["http://[fd00:ec2::254]", "cloud metadata"],
    ["http://100.100.100.200", "cloud metadata"],
    ["http://100.64.0.1", "carrier-grade NAT"],
    ["http://0.0.0.0", "unspecified"],
    ["http://0", "unspecified"],
    ["http://[::]", "unspecified"],
    ["http://10.0.0.5", "private network"],
    ["http://172.31.255.255", "private network"],
    ["http://192.168.1.1", "private network"],
    ["http://169.254.1.1", "link-local"],
    ["http://[fe80::1]", "link-local"],
    ["http://[fc00::1]", "unique local"],
    ["http://[fd12:3456::1]", "unique local"],
    ["http://224.0.0.1", "multicast"],
    ["http://[ff02::1]", "multicast"],
    ["http://255.255.255.255", "broadcast"],
    ["http://240.0.0.1", "reserved"],
    ["http://192.0.0.8", "reserved"],
    ["http://192.0.2.1", "reserved"],
    ["http://198.18.0.1", "reserved"],
    ["http://198.51.100.7", "reserved"],
    ["http://203.0.113.9", "reserved"],
    ["http://[2001:db8::1]", "reserved"],
    ["http://[64:ff9b::a00:5]", "NAT64 address embedding 10.0.0.5"],
    ["http://[64:ff9b::7f00:1]", "NAT64 address embedding 127.0.0.1"],
    ["http://[64:ff9b:1::1]", "local-use NAT64"],
    ["http://[2002:7f00:1::1]", "6to4 address embedding 127.0.0.1"],
    ["http://[2002:a9fe:a9fe::1]", "6to4 address embedding 169.254.169.254 (cloud metadata"],
    ["http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "Teredo"],
    ["http://[100::1]", "discard"],
    ["http://[fec0::1]", "site-local"],
    ["http://[4000::1]", "not a global unicast"],
  ])("refuses %s (%s)", (url, reason) => {
    const result = checkTargetUrl(url, DENY);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toContain(reason);
      expect(result.reason).toMatch(/^target address .+ is not allowed: /);
    }
  });

  it("allows public addresses, including NAT64 and 6to4 wrapping a public IPv4", () => {
    for (const url of ["http://8.8.8.8", "http://[64:ff9b::808:808]", "http://[2002:808:808::1]", "http://[2a00:1450:4001::1]", "http://134744072"]) {
      expect(checkTargetUrl(url, DENY).ok, url).toBe(true);
    }
  });

  it("property: every refused IPv4, in every URL encoding, is refused", () => {
    fc.assert(
      fc.property(refusedIPv4, (n) => {
        for (const host of encodeIPv4(n)) {
          const result = checkTargetUrl(`http://${host}:8080/path`, DENY);
          if (result.ok) throw new Error(`accepted ${host}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("property: public IPv4 addresses (per an independent oracle) are allowed in every encoding but IPv4-mapped", () => {
    const publicIPv4 = fc.integer({ min: 0, max: 0xffffffff }).filter((n) => !isRefusedByOracle(n) && n !== 0xffffffff);
    fc.assert(
      fc.property(publicIPv4, (n) => {
        const allowedEncodings = encodeIPv4(n).filter((host) => !host.startsWith("["));
        for (const host of allowedEncodings) {
          const result = checkTargetUrl(`https://${host}/`, DENY);
          if (!result.ok) throw new Error(`refused ${host}: ${result.reason}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("property: random ULA, link-local and multicast IPv6 literals are refused", () => {
    const hextet = fc.integer({ min: 0, max: 0xffff }).map((x) => x.toString(16));
    const prefix = fc.constantFrom(0xfc00, 0xfd00, 0xfe80, 0xfebf, 0xff00, 0xff02);
    fc.assert(
      fc.property(prefix, fc.array(hextet, { minLength: 7, maxLength: 7 }), (first, rest) => {
        const ip = [first.toString(16), ...rest].join(":");
        expect(checkTargetUrl(`http://[${ip}]/`, DENY).ok).toBe(false);
      }),
    );
  });
});

describe("checkAddress", () => {
  it("returns the class as the reason", () => {
    expect(checkAddress("10.0.0.5", false)).toEqual({ ok: false, reason: "private network" });
    expect(checkAddress("::1", false)).toEqual({ ok: false, reason: "loopback" });
    expect(checkAddress("[fe80::1]", false)).toEqual({ ok: false, reason: "link-local" });
    expect(checkAddress("fe80::1%eth0", false)).toEqual({ ok: false, reason: "link-local" });
    expect(checkAddress("93.184.216.34", false)).toEqual({ ok: true });
  });

  it("fails closed on anything that is not a canonical address", () => {
    for (const ip of ["", "localhost", "127.1", "0x7f000001", "2130706433", "1.2.3.256", "::g"]) {
      expect(checkAddress(ip, false), ip).toEqual({ ok: false, reason: "not a valid IP address" });
    }
  });

  it("allowPrivate: true allows private classes but never cloud metadata", () => {
    for (const ip of ["127.0.0.1", "10.1.2.3", "::1", "fd12::1", "::ffff:127.0.0.1", "100.64.0.1"]) {
      expect(checkAddress(ip, true), ip).toEqual({ ok: true });
    }
    for (const ip of ["169.254.169.254", "fd00:ec2::254", "100.100.100.200", "169.254.170.2"]) {
      expect(checkAddress(ip, true), ip).toEqual({ ok: false, reason: "cloud metadata endpoint" });
    }
  });

  it("a CIDR list allows exactly the listed ranges", () => {
    const allow = ["127.0.0.0/8", "10.1.0.0/16", "fd00::/8", "192.168.1.7"];
    expect(checkAddress("127.0.0.1", allow)).toEqual({ ok: true });
    expect(checkAddress("::ffff:127.0.0.1", allow)).toEqual({ ok: true });
    expect(checkAddress("10.1.200.3", allow)).toEqual({ ok: true });
    expect(checkAddress("fd00::1", allow)).toEqual({ ok: true });
    expect(checkAddress("192.168.1.7", allow)).toEqual({ ok: true });
    expect(checkAddress("192.168.1.8", allow)).toEqual({ ok: false, reason: "private network" });
    expect(checkAddress("10.2.0.1", allow)).toEqual({ ok: false, reason: "private network" });
    expect(checkAddress("::1", allow)).toEqual({ ok: false, reason: "loopback" });
    expect(checkAddress("169.254.169.254", allow)).toEqual({ ok: false, reason: "cloud metadata endpoint" });
    expect(checkAddress("169.254.169.254", ["169.254.169.254/32"])).toEqual({ ok: true });
    expect(checkAddress("8.8.8.8", allow)).toEqual({ ok: true });
  });

  it("property: every address inside an allowed CIDR is allowed", () => {
    fc.assert(
      fc.property(refusedIPv4, (n) => {
        const ip = octetsOf(n).join(".");
        expect(checkAddress(ip, [`${ip}/32`])).toEqual({ ok: true });
        expect(checkAddress(ip, false).ok).toBe(false);
      }),
    );
  });

  it("rejects an invalid allow-list entry loudly", () => {
    expect(() => parseAllowList(["10.0.0.0/33"])).toThrow(/not a valid CIDR/);
    expect(() => checkAddress("10.0.0.1", ["nope"])).toThrow(/allowPrivate entry "nope"/);
  });
});

describe("extractIpLiteral", () => {
  it("recognises normalised URL hostnames only", () => {
    expect(extractIpLiteral("127.0.0.1")).toBe("127.0.0.1");
    expect(extractIpLiteral("[::1]")).toBe("::1");
    expect(extractIpLiteral("example.com")).toBeNull();
    expect(extractIpLiteral("1.2.3.4.example")).toBeNull();
  });
});
