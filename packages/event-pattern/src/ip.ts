// IP addresses as event-ruler reads them: the same two shapes it accepts (dotted quad, or hex and colons),
// so a string that looks like neither is never an IP, exactly as EventBridge decides.
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** An inclusive range of addresses of one family (4 or 16 bytes). */
export interface IpRange {
  readonly low: Uint8Array;
  readonly high: Uint8Array;
}

/** Parses an IPv4 or IPv6 literal to its bytes; null when the text is not one. */
export function parseIp(text: string): Uint8Array | null {
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  if (IPV6_SHAPE.test(text)) return parseIpv6(text);
  return null;
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Number(parts[i]);
    if (n > 255) return null;
    bytes[i] = n;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const compressed = halves.length === 2;
  const count = head.length + tail.length;
  if (compressed ? count > 7 : count !== 8) return null;
  const words = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[i * 2] = word >> 8;
    bytes[i * 2 + 1] = word & 0xff;
  });
  return ipv4Mapped(bytes) ?? bytes;
}

function groups(part: string): number[] | null {
  if (part === '') return [];
  const out: number[] = [];
  for (const group of part.split(':')) {
    if (!HEX_GROUP.test(group)) return null;
    out.push(Number.parseInt(group, 16));
  }
  return out;
}

/** Java's InetAddress (which event-ruler uses) turns ::ffff:a.b.c.d into the IPv4 address; so do we. */
function ipv4Mapped(bytes: Uint8Array): Uint8Array | null {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return null;
  if (bytes[10] !== 0xff || bytes[11] !== 0xff) return null;
  return bytes.slice(12);
}

/**
 * Parses a `cidr` operand; throws an Error whose message says what is wrong.
 * Like event-ruler, the range runs from the address as written to that address with every host bit set,
 * and the mask must leave at least one host bit (IPv4 /0-/31, IPv6 /0-/127).
 */
export function parseCidr(text: string): IpRange {
  const slashed = text.split('/');
  if (slashed.length !== 2 || slashed[1] === '')
    throw new Error(`Malformed CIDR "${text}", one '/' required`);
  if (!/^[+-]?[0-9]+$/.test(slashed[1]!))
    throw new Error(`Malformed CIDR "${text}", mask bits must be an integer`);
  const maskBits = Number(slashed[1]);
  if (maskBits < 0) throw new Error(`Malformed CIDR "${text}", mask bits must not be negative`);
  const address = slashed[0]!;
  const low = parseIp(address);
  if (low === null) throw new Error(`Invalid IP address "${address}" in CIDR "${text}"`);
  const bits = low.length * 8;
  if (maskBits > bits - 1) {
    throw new Error(`${low.length === 4 ? 'IPv4' : 'IPv6'} mask bits must be < ${bits} in CIDR "${text}"`);
  }
  const high = low.slice();
  let hostBits = bits - maskBits;
  for (let i = high.length - 1; i >= 0 && hostBits > 0; i--, hostBits -= 8) {
    high[i]! |= hostBits >= 8 ? 0xff : (1 << hostBits) - 1;
  }
  return { low, high };
}

export function singleAddress(bytes: Uint8Array): IpRange {
  return { low: bytes, high: bytes };
}

export function inRange(ip: Uint8Array, range: IpRange): boolean {
  return ip.length === range.low.length && compare(ip, range.low) >= 0 && compare(ip, range.high) <= 0;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}
