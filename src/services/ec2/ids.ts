/**
 * @module
 * EC2 identifiers as AWS makes them: a prefix and 17 hexadecimal digits (`i-0abc...`), and the
 * other generated values of a resource (MAC addresses, public addresses, DNS names).
 */
import { randomBytes } from 'node:crypto';
import { randomString } from '../../core/ids.js';

const HEX = '0123456789abcdef';

/** A new resource id: `<prefix>-` and 17 hex digits. */
export function newEc2Id(prefix: string): string {
  return `${prefix}-${randomString(17, HEX)}`;
}

/** A locally administered unicast MAC address, as EC2 gives network interfaces. */
export function newMacAddress(): string {
  const bytes = randomBytes(6);
  bytes[0] = (bytes[0]! & 0xfc) | 0x02;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** A public IPv4 address from a range AWS uses for EC2 (3.80.0.0/12). */
export function newPublicIp(): string {
  const bytes = randomBytes(3);
  return `3.${80 + (bytes[0]! & 0x0f)}.${bytes[1]}.${Math.max(1, bytes[2]!)}`;
}

/** The internal DNS name of a private address in a region. */
export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** The public DNS name of a public address in a region. */
export function publicDnsName(ip: string, region: string): string {
  const host = `ec2-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}
