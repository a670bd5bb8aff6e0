import { describe, expect, it } from 'vitest';
import { KEY_ROTATION_MS, KEY_VALIDITY_MS, newSigningKey, signingKeyAt } from './signing-keys.js';

describe('signing key rotation', () => {
  it('signs with the newest key until it is due for rotation, with overlapping validity', async () => {
    const t0 = Date.UTC(2024, 0, 1);
    const key = await newSigningKey(t0);
    expect(key.validityEnd - key.validityStart).toBe(KEY_VALIDITY_MS);
    expect(Buffer.from(key.publicKey, 'base64').toString('base64')).toMatch(/^MIIBCgKCAQEA/);
    expect(key.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(signingKeyAt([], t0)).toBeUndefined();
    expect(signingKeyAt([key], t0)).toBe(key);
    expect(signingKeyAt([key], t0 + KEY_ROTATION_MS - 1)).toBe(key);
    expect(signingKeyAt([key], t0 + KEY_ROTATION_MS)).toBeUndefined();
    expect(signingKeyAt([key], t0 - 1)).toBeUndefined();
    expect(KEY_ROTATION_MS).toBeLessThan(KEY_VALIDITY_MS);
  });
});
