/**
 * @module
 * IPv4 and IPv6 CIDR blocks: parsing as EC2 accepts them, containment, overlap and address
 * arithmetic for VPCs, subnets and rules. Pure functions.
 */
import { isIPv6 } from 'node:net';

/** A parsed IPv4 CIDR block. */
export interface Cidr4 {
  /** The address as an unsigned 32-bit number (host bits as given). */
  readonly address: number;
  readonly prefix: number;
}

const OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses a dotted-quad IPv4 address, or undefined. */
export function parseIp4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Formats an unsigned 32-bit number as a dotted quad. */
export function formatIp4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** Parses `a.b.c.d/n`, or undefined when it is not an IPv4 CIDR block. */
export function parseCidr4(text: string): Cidr4 | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIp4(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (address === undefined || !/^(?:3[0-2]|[12]?\d)$/.test(bits)) return undefined;
  return { address, prefix: Number(bits) };
}

/** Whether `text` is an IPv6 CIDR block (`addr/n`, n ≤ 128). */
export function isCidr6(text: string): boolean {
  const slash = text.indexOf('/');
  return slash > 0 && isIPv6(text.slice(0, slash)) && /^(?:12[0-8]|1[01]\d|[1-9]?\d)$/.test(text.slice(slash + 1));
}

/** The number of addresses in a block. */
export function size(cidr: Cidr4): number {
  return 2 ** (32 - cidr.prefix);
}

/** The first address of the block (host bits cleared). */
export function network(cidr: Cidr4): number {
  return cidr.address - (cidr.address % size(cidr));
}

/** Whether the block's address has no host bits set. */
export function isAligned(cidr: Cidr4): boolean {
  return network(cidr) === cidr.address;
}

/** Whether `inner` lies wholly within `outer`. */
export function contains(outer: Cidr4, inner: Cidr4): boolean {
  return inner.prefix >= outer.prefix && network({ address: inner.address, prefix: outer.prefix }) === network(outer);
}

/** Whether two blocks share any address. */
export function overlaps(a: Cidr4, b: Cidr4): boolean {
  return contains(a, b) || contains(b, a);
}

/** Whether an address lies within a block. */
export function includes(cidr: Cidr4, address: number): boolean {
  return contains(cidr, { address, prefix: 32 });
}

/** The block as text, with host bits cleared. */
export function formatCidr4(cidr: Cidr4): string {
  return `${formatIp4(network(cidr))}/${cidr.prefix}`;
}

/** Addresses AWS reserves in every subnet: the first four and the last. */
const RESERVED_PER_SUBNET = 5;

/** The usable addresses of a subnet block (what AvailableIpAddressCount starts at). */
export function usableAddresses(cidr: Cidr4): number {
  return size(cidr) - RESERVED_PER_SUBNET;
}

/** The n-th usable address of a subnet (0-based; skips the four reserved at the start). */
export function hostAddress(cidr: Cidr4, n: number): number {
  return network(cidr) + 4 + n;
}
