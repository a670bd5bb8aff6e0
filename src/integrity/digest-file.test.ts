import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkDigest, DigestInvalidError, signDigest, type Digest } from './digest-file.js';
import { keyFingerprint, publicKeyDer, signText, verifyText } from './signing.js';

interface Vector {
  name: string;
  description: string;
  bucket: string;
  key: string;
  digestJson: string;
  gzipBase64: string;
  metadata: Record<string, string>;
  publicKeyFingerprint: string;
  publicKeyDerBase64: string;
  expected: string;
}

const testdata = new URL('./testdata/', import.meta.url);
const PRIVATE_KEY = readFileSync(new URL('signing-key.pem', testdata), 'utf8');
const { vectors, fingerprint } = JSON.parse(readFileSync(new URL('digest-vectors.json', testdata), 'utf8')) as { vectors: Vector[]; fingerprint: string };

function verdict(vector: Vector): string {
  let bytes: Buffer | undefined;
  try {
    bytes = gunzipSync(Buffer.from(vector.gzipBase64, 'base64'));
  } catch {
    bytes = undefined;
  }
  try {
    checkDigest({
      bucket: vector.bucket, key: vector.key, bytes, signature: vector.metadata.signature,
      signatureAlgorithm: vector.metadata['signature-algorithm'], keyRegion: 'us-east-1',
      publicKeys: new Map([[vector.publicKeyFingerprint, Buffer.from(vector.publicKeyDerBase64, 'base64')]]),
    });
    return 'valid';
  } catch (error) {
    if (error instanceof DigestInvalidError) return error.message;
    throw error;
  }
}

describe('digest vectors judged by awscli validate-logs', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s: checkDigest agrees with the CLI', (_name, vector) => {
    expect(verdict(vector)).toBe(vector.expected);
  });

  it.each(vectors.filter((v) => v.name.endsWith('digest')).map((v) => [v.name, v] as const))(
    '%s: signDigest writes the same bytes and signature',
    (_name, vector) => {
      const d = JSON.parse(vector.digestJson) as Digest;
      const signed = signDigest({
        accountId: d.awsAccountId,
        startTime: Date.parse(d.digestStartTime),
        endTime: Date.parse(d.digestEndTime),
        bucket: d.digestS3Bucket,
        key: d.digestS3Object,
        fingerprint: d.digestPublicKeyFingerprint,
        previous: d.previousDigestS3Object === null ? undefined : {
          bucket: d.previousDigestS3Bucket!, key: d.previousDigestS3Object, hash: d.previousDigestHashValue!, signature: d.previousDigestSignature!,
        },
        logFiles: d.logFiles,
      }, PRIVATE_KEY);
      expect(signed.bytes.toString('utf8')).toBe(vector.digestJson);
      expect(signed.signature).toBe(vector.metadata.signature);
    },
  );
});

describe('signing keys', () => {
  it('serves the public key as DER PKCS#1 and fingerprints it with MD5', () => {
    const der = publicKeyDer(PRIVATE_KEY);
    expect(der.toString('base64')).toMatch(/^MIIBCgKCAQEA/);
    expect(der.length).toBe(270);
    expect(keyFingerprint(der)).toBe(fingerprint);
  });

  it('verifies its own signatures and nothing else', () => {
    const der = publicKeyDer(PRIVATE_KEY);
    const signature = signText('hello', PRIVATE_KEY);
    expect(signature).toHaveLength(512);
    expect(verifyText('hello', signature, der)).toBe(true);
    expect(verifyText('hello!', signature, der)).toBe(false);
    expect(verifyText('hello', 'zz' + signature.slice(2), der)).toBe(false);
    expect(verifyText('hello', signature.slice(2), der)).toBe(false);
    expect(() => verifyText('hello', signature, Buffer.from('not a key'))).toThrow('Unable to load PKCS #1 key');
  });
});
