// Where Sync 365 may send a partner's data. A webhook URL is typed by any staff user and the answer is shown in the
// delivery log, so an address inside our own network (the cloud metadata service at 169.254.169.254, a database on
// 10.x, the app itself on 127.0.0.1) would turn webhooks into a way to probe and call it (SSRF). Only addresses on
// the public internet are sent to, unless the operator allows a host by name (WEBHOOK_ALLOWED_HOSTS).
// Ranges from the IANA special-purpose registries (RFC 6890 and its updates); whatever cannot be parsed is refused.

type Range = readonly [bytes: readonly number[], prefixLength: number];

const IPV4_NOT_PUBLIC: readonly Range[] = [
  [[0, 0, 0, 0], 8], // "this network" (0.0.0.0 reaches the local host on Linux)
  [[10, 0, 0, 0], 8], // private (RFC 1918)
  [[100, 64, 0, 0], 10], // carrier-grade NAT (RFC 6598)
  [[127, 0, 0, 0], 8], // loopback
  [[169, 254, 0, 0], 16], // link-local, cloud metadata services
  [[172, 16, 0, 0], 12], // private (RFC 1918)
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation (TEST-NET-1)
  [[192, 88, 99, 0], 24], // 6to4 relay anycast (deprecated)
  [[192, 168, 0, 0], 16], // private (RFC 1918)
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // documentation (TEST-NET-2)
  [[203, 0, 113, 0], 24], // documentation (TEST-NET-3)
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, and 255.255.255.255 broadcast
];

// Inside global unicast (2000::/3), the blocks that are not reachable hosts on the internet.
const IPV6_GLOBAL_NOT_PUBLIC: readonly Range[] = [
  [[0x20, 0x01, 0x00, 0x00], 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID…
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x3f, 0xff, 0x00, 0x00], 20], // documentation (RFC 9637)
];

export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((part) => (/^(0|[1-9]\d{0,2})$/.test(part) ? Number(part) : NaN));
  return bytes.every((b) => b <= 255) ? bytes : null;
}

// 16 bytes, or null. A zone (fe80::1%eth0) is refused: only link-local addresses carry one.
export function parseIPv6(text: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): number[] | null => {
    if (half === '') return [];
    const words: number[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIPv4(part);
        if (!v4) return null;
        words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        words.push(parseInt(part, 16));
      } else {
        return null;
      }
    }
    return words;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  // An embedded IPv4 address may only end the address.
  if (halves.length === 2 && halves[0].includes('.')) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

function inRange(bytes: readonly number[], [prefix, length]: Range): boolean {
  for (let bit = 0; bit < length; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((bytes[Math.floor(bit / 8)] & mask) !== (prefix[Math.floor(bit / 8)] & mask)) return false;
  }
  return true;
}

const isPublicIPv4 = (bytes: readonly number[]) => !IPV4_NOT_PUBLIC.some((range) => inRange(bytes, range));

function isPublicIPv6(bytes: readonly number[]): boolean {
  const startsWith = (prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the IPv4 address they carry.
  if (startsWith([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]) || startsWith([0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]))
    return isPublicIPv4(bytes.slice(12));
  // 6to4 (2002:AABB:CCDD::/48) carries one in its second and third groups.
  if (startsWith([0x20, 0x02])) return isPublicIPv4(bytes.slice(2, 6));
  // Everything outside global unicast is special: ::, ::1, ULA fc00::/7, link-local fe80::/10, multicast ff00::/8…
  if (!inRange(bytes, [[0x20], 3])) return false;
  return !IPV6_GLOBAL_NOT_PUBLIC.some((range) => inRange(bytes, range));
}

// True only for an IPv4 or IPv6 address on the public internet ("[::1]" brackets allowed).
export function isPublicAddress(ip: string): boolean {
  const address = unbracket(ip.trim());
  const v4 = parseIPv4(address);
  if (v4) return isPublicIPv4(v4);
  const v6 = parseIPv6(address);
  return v6 ? isPublicIPv6(v6) : false;
}

export const isIpAddress = (host: string): boolean => {
  const address = unbracket(host);
  return parseIPv4(address) !== null || parseIPv6(address) !== null;
};

// localhost and every name under it resolve to the machine itself (RFC 6761), whatever DNS says.
export function isLocalhostName(host: string): boolean {
  const name = normalizedHost(host);
  return name === 'localhost' || name.endsWith('.localhost');
}

// The host an operator allowed (WEBHOOK_ALLOWED_HOSTS): by its name, or, for an address, by its value however written.
export function isAllowedHost(host: string, allowedHosts: readonly string[]): boolean {
  const name = normalizedHost(host);
  const bytes = addressBytes(name);
  return allowedHosts.some((allowed) => {
    const other = normalizedHost(allowed);
    if (other === name) return true;
    const otherBytes = bytes && addressBytes(other);
    return !!otherBytes && otherBytes.every((b, i) => b === bytes[i]);
  });
}

// When a webhook is added: a host written as a private address or as localhost is refused at once (a name that
// resolves to one is caught when sending, since DNS can change in between).
export function isRefusedUrlHost(host: string, allowedHosts: readonly string[]): boolean {
  if (isAllowedHost(host, allowedHosts)) return false;
  if (isLocalhostName(host)) return true;
  return isIpAddress(host) && !isPublicAddress(host);
}

// When sending: may the connection to `host` go to `address`, one it resolved to?
export function mayConnect(host: string, address: string, allowedHosts: readonly string[]): boolean {
  return isPublicAddress(address) || isAllowedHost(host, allowedHosts) || isAllowedHost(address, allowedHosts);
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function normalizedHost(host: string): string {
  return unbracket(host.trim().toLowerCase()).replace(/\.$/, '');
}

// 16 bytes for comparison (IPv4 as IPv4-mapped IPv6), or null for a name.
function addressBytes(host: string): number[] | null {
  const v4 = parseIPv4(host);
  if (v4) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4];
  return parseIPv6(host);
}
