/** An IPv4 CIDR block, parsed. */
export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly address: number;
  /** The prefix length, 0–32. */
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; undefined when it is not a valid IPv4 CIDR block with its host bits zero. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const m = CIDR.exec(text);
  if (m === null) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined;
  return { address, prefix };
}

/** Formats a CIDR block. */
export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.address / 2 ** shift) % 256);
  return `${octets.join(".")}/${cidr.prefix}`;
}

/**
 * Terraform's `cidrsubnet(prefix, newbits, netnum)`: the `netnum`-th block of `prefix + newbits` bits
 * inside `cidr`. Computed at synth so the plan shows literal subnets.
 */
export function cidrSubnet(cidr: Ipv4Cidr, newbits: number, netnum: number): Ipv4Cidr {
  const prefix = cidr.prefix + newbits;
  if (prefix > 32 || netnum < 0 || netnum >= 2 ** newbits) {
    throw new RangeError(`no subnet ${netnum} of /${prefix} in ${formatIpv4Cidr(cidr)}`);
  }
  return { address: cidr.address + netnum * 2 ** (32 - prefix), prefix };
}
