import { describe, expect, it } from 'vitest';
import {
  contains, formatCidr4, formatIp4, hostAddress, includes, isAligned, isCidr6, overlaps, parseCidr4, parseIp4, usableAddresses,
} from './cidr.js';

const cidr = (text: string) => {
  const parsed = parseCidr4(text);
  if (!parsed) throw new Error(`not a CIDR: ${text}`);
  return parsed;
};

describe('CIDR blocks', () => {
  it('parses IPv4 blocks and rejects what is not one', () => {
    expect(parseCidr4('10.0.0.0/16')).toEqual({ address: 0x0a000000, prefix: 16 });
    expect(parseCidr4('0.0.0.0/0')).toEqual({ address: 0, prefix: 0 });
    expect(parseCidr4('255.255.255.255/32')).toEqual({ address: 0xffffffff, prefix: 32 });
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0/16', '10.0.0.256/16', '010.0.0.0/8', '10.0.0.0/-1', '10.0.0.0/1a', 'a.b.c.d/8', '', '/8', '10.0.0.0/08x', ' 10.0.0.0/8']) {
      expect(parseCidr4(bad), bad).toBeUndefined();
    }
  });

  it('formats addresses and clears host bits', () => {
    expect(parseIp4('172.31.16.5')).toBe(0xac1f1005);
    expect(formatIp4(0xac1f1005)).toBe('172.31.16.5');
    expect(formatCidr4(cidr('10.1.2.3/16'))).toBe('10.1.0.0/16');
    expect(isAligned(cidr('10.1.0.0/16'))).toBe(true);
    expect(isAligned(cidr('10.1.2.0/16'))).toBe(false);
  });

  it('tells containment and overlap', () => {
    expect(contains(cidr('172.31.0.0/16'), cidr('172.31.32.0/20'))).toBe(true);
    expect(contains(cidr('172.31.0.0/16'), cidr('172.32.0.0/20'))).toBe(false);
    expect(contains(cidr('172.31.32.0/20'), cidr('172.31.0.0/16'))).toBe(false);
    expect(overlaps(cidr('10.0.0.0/24'), cidr('10.0.0.128/25'))).toBe(true);
    expect(overlaps(cidr('10.0.0.0/25'), cidr('10.0.0.128/25'))).toBe(false);
    expect(includes(cidr('0.0.0.0/0'), parseIp4('8.8.8.8')!)).toBe(true);
  });

  it('counts and picks subnet addresses past the four AWS reserves', () => {
    expect(usableAddresses(cidr('172.31.0.0/20'))).toBe(4091);
    expect(usableAddresses(cidr('10.0.1.0/24'))).toBe(251);
    expect(formatIp4(hostAddress(cidr('10.0.1.0/24'), 0))).toBe('10.0.1.4');
  });

  it('accepts IPv6 blocks', () => {
    expect(isCidr6('::/0')).toBe(true);
    expect(isCidr6('2001:db8::/32')).toBe(true);
    expect(isCidr6('2001:db8::/129')).toBe(false);
    expect(isCidr6('10.0.0.0/8')).toBe(false);
    expect(isCidr6('::')).toBe(false);
  });
});
