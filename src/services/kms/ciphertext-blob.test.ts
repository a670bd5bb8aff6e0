import { describe, expect, it } from 'vitest';
import { canonicalContext, openBlob, parseBlob, sealBlob } from './ciphertext-blob.js';

const MATERIAL = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const HEADER = {
  keyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  materialId: 'ab'.repeat(32),
};
const IV = Buffer.from('cafebabefacedbaddecaf888', 'hex');
const CONTEXT = { department: 'audit', 'aws:cloudtrail:arn': 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t' };

/**
 * The blob for the inputs above, computed independently with Python's `cryptography` (AESGCM):
 * header | IV | tag | ciphertext, the AAD being the header and the canonical context.
 */
const GOLDEN = '01004b61726e3a6177733a6b6d733a75732d656173742d313a3132333435363738393031323a6b65792f31323334616263642d313261622d333463642d353665662d313233343536373839306162'
  + 'ab'.repeat(32) + 'cafebabefacedbaddecaf888' + 'f0c5675cef119b404e85269a62a63bad' + 'ebd7d447c9116f7a322b39bc0c73';

describe('ciphertext blobs', () => {
  const blob = sealBlob(MATERIAL, HEADER, Buffer.from('attack at dawn'), CONTEXT, IV);

  it('have a fixed layout (golden vector) and open with the same material and context', () => {
    expect(blob.toString('hex')).toBe(GOLDEN);
    const parsed = parseBlob(blob)!;
    expect(parsed).toMatchObject(HEADER);
    expect(openBlob(MATERIAL, parsed, CONTEXT)?.toString()).toBe('attack at dawn');
    expect(sealBlob(MATERIAL, HEADER, Buffer.from('attack at dawn'), CONTEXT, IV).equals(blob)).toBe(true);
  });

  it('authenticate the context in any key order, and only that context', () => {
    const parsed = parseBlob(blob)!;
    const reordered = { 'aws:cloudtrail:arn': CONTEXT['aws:cloudtrail:arn'], department: 'audit' };
    expect(openBlob(MATERIAL, parsed, reordered)?.toString()).toBe('attack at dawn');
    expect(openBlob(MATERIAL, parsed)).toBeUndefined();
    expect(openBlob(MATERIAL, parsed, { ...CONTEXT, department: 'Audit' })).toBeUndefined();
    expect(openBlob(MATERIAL, parsed, { ...CONTEXT, extra: '' })).toBeUndefined();
    expect(canonicalContext({ a: 'b=c' }).equals(canonicalContext({ 'a=b': 'c' }))).toBe(false);
    expect(canonicalContext({}).length).toBe(0);
  });

  it('fail to open when any byte is changed, or under other material (corrupted vectors)', () => {
    for (let at = 0; at < blob.length; at++) {
      const changed = Buffer.from(blob);
      changed[at] ^= 0x80;
      const parsed = parseBlob(changed);
      if (parsed) expect(openBlob(MATERIAL, parsed, CONTEXT), `byte ${at}`).toBeUndefined();
    }
    const other = Buffer.from(MATERIAL);
    other[0] ^= 1;
    expect(openBlob(other, parseBlob(blob)!, CONTEXT)).toBeUndefined();
  });

  it('are not parsed from foreign or truncated bytes', () => {
    expect(parseBlob(Buffer.from('not a ciphertext'))).toBeUndefined();
    expect(parseBlob(Buffer.alloc(0))).toBeUndefined();
    expect(parseBlob(blob.subarray(0, blob.length - 'attack at dawn'.length - 1))).toBeUndefined();
    const badArn = Buffer.from(blob.toString('latin1').replace(':key/', ':kay/'), 'latin1');
    expect(parseBlob(badArn)).toBeUndefined();
  });
});
