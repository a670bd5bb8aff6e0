import { describe, expect, it } from 'vitest';
import { acceptedStep, base32Decode, base32Encode, hotp, totp } from './totp.js';

/** RFC 6238 appendix B (SHA-1 seed "12345678901234567890"), the last 6 of the 8 digits. */
const SEED = base32Encode(Buffer.from('12345678901234567890'));
const RFC6238: [number, string][] = [
  [59, '287082'], [1111111109, '081804'], [1111111111, '050471'], [1234567890, '005924'], [2000000000, '279037'], [20000000000, '353130'],
];

describe('TOTP', () => {
  it('round-trips base32', () => {
    expect(SEED).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(SEED).toString()).toBe('12345678901234567890');
    expect(() => base32Decode('1!')).toThrow();
  });

  it('matches the RFC 4226 HOTP vectors', () => {
    expect([0, 1, 2, 3, 9].map((c) => hotp(SEED, c))).toEqual(['755224', '287082', '359152', '969429', '520489']);
  });

  it.each(RFC6238)('matches RFC 6238 at %i s', (seconds, code) => {
    expect(totp(SEED, seconds * 1000)).toBe(code);
  });

  it('accepts a code once, within one step back or ahead, and nothing corrupted', () => {
    const now = 1234567890_000;
    const step = Math.floor(now / 30_000);
    expect(acceptedStep(SEED, totp(SEED, now), now, undefined)).toBe(step);
    expect(acceptedStep(SEED, totp(SEED, now - 30_000), now, undefined)).toBe(step - 1);
    expect(acceptedStep(SEED, totp(SEED, now + 30_000), now, undefined)).toBe(step + 1);
    expect(acceptedStep(SEED, totp(SEED, now - 90_000), now, undefined)).toBeUndefined();
    expect(acceptedStep(SEED, totp(SEED, now), now, step)).toBeUndefined();
    const corrupted = String((Number(totp(SEED, now)) + 1) % 1_000_000).padStart(6, '0');
    expect(acceptedStep(SEED, corrupted, now, undefined)).toBeUndefined();
  });
});
