/**
 * @module
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, SHA-1, 6 digits, 30-second steps)
 * for virtual MFA devices, with base32 seeds (RFC 4648). Pure functions.
 */
import { createHmac, randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STEP_SECONDS = 30;

/** Encodes bytes as base32 without padding. */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (padding and case ignored). */
export function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.toUpperCase().replace(/=+$/, '')) {
    const index = ALPHABET.indexOf(c);
    if (index < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new random seed: 320 bits, 64 base32 characters, as AWS issues. */
export function newSeed(): string {
  return base32Encode(randomBytes(40));
}

/** The HOTP code for a counter (RFC 4226). */
export function hotp(seed: string, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(seed)).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** The time step of a moment (ms). */
export function timeStep(ms: number): number {
  return Math.floor(ms / 1000 / STEP_SECONDS);
}

/** The TOTP code at a moment (ms). */
export function totp(seed: string, ms: number): string {
  return hotp(seed, timeStep(ms));
}

/**
 * The step at which `code` is valid, looking `window` steps back and one ahead of `now`, and only
 * after `lastStep` (a code already accepted is never accepted again); undefined when none.
 */
export function acceptedStep(seed: string, code: string, now: number, lastStep: number | undefined, window = 1): number | undefined {
  const current = timeStep(now);
  for (let step = current - window; step <= current + 1; step++) {
    if (lastStep !== undefined && step <= lastStep) continue;
    if (hotp(seed, step) === code) return step;
  }
  return undefined;
}
