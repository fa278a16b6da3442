/**
 * Target URL and address policy for outbound webhooks (SSRF protection).
 *
 * Pure: no I/O, no DNS. `checkTargetUrl` validates the shape of a URL and any
 * IP-literal host; `checkAddress` classifies one IP address. The HTTP client
 * (`http.ts`) calls `checkAddress` again for every address DNS returns and for
 * the address actually dialed, so a hostname can never smuggle a refused
 * address past this check.
 *
 * IP-literal hosts are checked after WHATWG URL normalisation: `new URL()`
 * turns `2130706433`, `0x7f000001`, `0177.0.0.1` and `127.1` into `127.0.0.1`
 * and compresses IPv6, so one parser sees one canonical form.
 *
 * Allow setting (`AllowPrivate`):
 * - `false`: only public unicast addresses are allowed.
 * - `true`: every address is allowed EXCEPT cloud metadata endpoints
 *   (169.254.169.254, fd00:ec2::254, 100.100.100.200, …), which are never a
 *   webhook receiver. Name them explicitly in a CIDR list to reach them.
 * - a list of CIDRs (or bare addresses): those addresses are allowed, all
 *   others follow the `false` rules. Invalid entries throw a TypeError, since
 *   they are a configuration bug rather than user input.
 */
import ipaddr from "ipaddr.js";

export type AllowPrivate = boolean | readonly string[];

export interface TargetUrlOptions {
  allowPrivate: AllowPrivate;
}

export type TargetUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export type AddressCheck = { ok: true } | { ok: false; reason: string };

export const MAX_URL_LENGTH = 2048;

type ParsedAddress = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [ParsedAddress, number];
type AddressRange = { cidr: Cidr; reason: string };

function defineRanges(entries: ReadonlyArray<readonly [string, string]>): AddressRange[] {
  return entries.map(([cidr, reason]) => ({ cidr: ipaddr.parseCIDR(cidr), reason }));
}

const METADATA = "cloud metadata endpoint";

/** Always refused unless an explicit CIDR entry covers them. */
const METADATA_RANGES = defineRanges([
  ["169.254.169.254/32", METADATA], // AWS, GCP, Azure, OpenStack, …
  ["169.254.170.2/32", METADATA], // AWS ECS task metadata
  ["100.100.100.200/32", METADATA], // Alibaba Cloud
  ["fd00:ec2::254/128", METADATA], // AWS IMDS over IPv6
]);

/** Refused IPv4 ranges; first match wins, so order specific before general. */
const IPV4_REFUSED = defineRanges([
  ["0.0.0.0/8", "unspecified address"],
  ["10.0.0.0/8", "private network"],
  ["100.64.0.0/10", "carrier-grade NAT (shared address space)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private network"],
  ["192.0.0.0/24", "reserved (IETF protocol assignments)"],
  ["192.0.2.0/24", "reserved (documentation)"],
  ["192.88.99.0/24", "reserved (6to4 relay anycast)"],
  ["192.168.0.0/16", "private network"],
  ["198.18.0.0/15", "reserved (benchmarking)"],
  ["198.51.100.0/24", "reserved (documentation)"],
  ["203.0.113.0/24", "reserved (documentation)"],
  ["224.0.0.0/4", "multicast"],
  ["255.255.255.255/32", "broadcast"],
  ["240.0.0.0/4", "reserved"],
]);

/**
 * Refused IPv6 ranges. Anything outside global unicast 2000::/3 is refused
 * afterwards anyway; the entries below give a precise reason. 6to4 and the
 * well-known NAT64 prefix are handled separately (embedded IPv4 is checked).
 */
const IPV6_REFUSED = defineRanges([
  ["::/128", "unspecified address"],
  ["::1/128", "loopback"],
  ["::ffff:0:0/96", "IPv4-mapped IPv6 address"],
  ["::/96", "IPv4-compatible IPv6 address"],
  ["64:ff9b:1::/48", "local-use NAT64 prefix"],
  ["100::/64", "reserved (discard prefix)"],
  ["fc00::/7", "unique local address (private network)"],
  ["fe80::/10", "link-local"],
  ["fec0::/10", "site-local (deprecated private network)"],
  ["ff00::/8", "multicast"],
  ["2001::/32", "Teredo tunnel address"],
  ["2001:db8::/32", "reserved (documentation)"],
  ["2001::/23", "reserved (IETF protocol assignments)"],
  ["3fff::/20", "reserved (documentation)"],
]);

const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");
const SIX_TO_FOUR = ipaddr.parseCIDR("2002::/16");
const GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3");

function matchesRange(address: ParsedAddress, cidr: Cidr): boolean {
  return address.kind() === cidr[0].kind() && address.match(cidr);
}

function findRange(address: ParsedAddress, ranges: readonly AddressRange[]): AddressRange | undefined {
  return ranges.find((range) => matchesRange(address, range.cidr));
}

/** Parses an address, tolerating brackets and an IPv6 zone id. */
function parseAddress(ip: string): ParsedAddress | null {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  // Only strict forms: dotted-quad IPv4 or IPv6. Odd IPv4 encodings must have
  // been normalised by WHATWG URL before reaching here.
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  return null;
}

const allowListCache = new WeakMap<readonly string[], Cidr[]>();

/** Parses the allow list into CIDRs; bare addresses become /32 or /128. */
export function parseAllowList(entries: readonly string[]): Cidr[] {
  const cached = allowListCache.get(entries);
  if (cached) return cached;
  const parsed = entries.map((entry): Cidr => {
    const text = entry.trim();
    if (ipaddr.isValidCIDR(text)) return ipaddr.parseCIDR(text);
    const single = parseAddress(text);
    if (single) return [single, single.kind() === "ipv4" ? 32 : 128];
    throw new TypeError(`allowPrivate entry "${entry}" is not a valid CIDR or IP address`);
  });
  allowListCache.set(entries, parsed);
  return parsed;
}

function isExplicitlyAllowed(address: ParsedAddress, allowList: readonly Cidr[]): boolean {
  const candidates: ParsedAddress[] = [address];
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    candidates.push((address as ipaddr.IPv6).toIPv4Address());
  }
  return candidates.some((candidate) => allowList.some((cidr) => matchesRange(candidate, cidr)));
}

function extractEmbeddedIPv4(address: ipaddr.IPv6, firstPart: number): ipaddr.IPv4 {
  const hi = address.parts[firstPart] ?? 0;
  const lo = address.parts[firstPart + 1] ?? 0;
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

function classifyIPv4(address: ipaddr.IPv4): string | null {
  return findRange(address, IPV4_REFUSED)?.reason ?? null;
}

function classifyEmbedded(label: string, embedded: ipaddr.IPv4): string | null {
  const metadata = findRange(embedded, METADATA_RANGES);
  const reason = metadata?.reason ?? classifyIPv4(embedded);
  return reason ? `${label} embedding ${embedded.toString()} (${reason})` : null;
}

function classifyIPv6(address: ipaddr.IPv6): string | null {
  if (address.isIPv4MappedAddress()) return `IPv4-mapped IPv6 address (embeds ${address.toIPv4Address().toString()})`;
  if (address.match(NAT64_WELL_KNOWN)) return classifyEmbedded("NAT64 address", extractEmbeddedIPv4(address, 6));
  if (address.match(SIX_TO_FOUR)) return classifyEmbedded("6to4 address", extractEmbeddedIPv4(address, 1));
  const refused = findRange(address, IPV6_REFUSED);
  if (refused) return refused.reason;
  if (!address.match(GLOBAL_UNICAST)) return "not a global unicast address";
  return null;
}

/** Returns why an address is refused, or null when it is a public address. */
function classifyAddress(address: ParsedAddress): string | null {
  const metadata = findRange(address, METADATA_RANGES);
  if (metadata) return metadata.reason;
  return address.kind() === "ipv4"
    ? classifyIPv4(address as ipaddr.IPv4)
    : classifyIPv6(address as ipaddr.IPv6);
}

/**
 * Checks one IP address (dotted-quad IPv4 or IPv6, optionally bracketed)
 * against the policy. The reason is a short class name such as
 * "private network" or "loopback".
 */
export function checkAddress(ip: string, allow: AllowPrivate): AddressCheck {
  const address = parseAddress(ip);
  if (!address) return { ok: false, reason: "not a valid IP address" };
  if (Array.isArray(allow) && isExplicitlyAllowed(address, parseAllowList(allow))) return { ok: true };
  const reason = classifyAddress(address);
  if (reason === null) return { ok: true };
  if (allow === true && reason !== METADATA) return { ok: true };
  return { ok: false, reason };
}

/** Returns the bare IP when the URL host is an IP literal, else null. */
export function extractIpLiteral(hostname: string): string | null {
  if (hostname.startsWith("[") && hostname.endsWith("]")) return hostname.slice(1, -1);
  return ipaddr.IPv4.isValidFourPartDecimal(hostname) ? hostname : null;
}

function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Validates a webhook target URL. Reasons are written for the form field:
 * "URL must start with http:// or https://", "… private network", etc.
 * Hostnames are NOT resolved here; the HTTP client checks resolved addresses.
 */
export function checkTargetUrl(url: string, opts: TargetUrlOptions): TargetUrlCheck {
  if (url.length > MAX_URL_LENGTH) {
    return { ok: false, reason: `URL is too long (${url.length} characters, at most ${MAX_URL_LENGTH})` };
  }
  const parsed = parseUrl(url.trim());
  if (!parsed) return { ok: false, reason: "not a valid URL" };
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return { ok: false, reason: `URL must start with http:// or https:// (got ${parsed.protocol}//)` };
  }
  if (parsed.username !== "" || parsed.password !== "") {
    return { ok: false, reason: "URL must not contain a user name or password (user@host); use the authentication settings instead" };
  }
  if (parsed.hostname === "") return { ok: false, reason: "URL has no host" };

  const literal = extractIpLiteral(parsed.hostname);
  if (literal !== null) {
    const check = checkAddress(literal, opts.allowPrivate);
    if (!check.ok) return { ok: false, reason: `target address ${literal} is not allowed: ${check.reason}` };
  } else if (opts.allowPrivate === false && isLocalhostName(parsed.hostname)) {
    return { ok: false, reason: `target host ${parsed.hostname} is not allowed: loopback` };
  }
  return { ok: true, url: parsed };
}
