/** The chain keeps an axon's ip as an integer (u128): these convert to and from the written form. */

export class IpAddressError extends Error {}

/** An IPv4 or IPv6 address from the chain's integer form. */
export function ipFromInteger(value: bigint, ipType: number): string {
  if (ipType === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return groups.join(':');
}

/** A dotted IPv4 address as the chain's integer; refuses anything else. */
export function ipv4ToInteger(ip: string): bigint {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255))
    throw new IpAddressError(`${ip} is not an IPv4 address`);
  return parts.reduce((acc, part) => (acc << 8n) + BigInt(part), 0n);
}
