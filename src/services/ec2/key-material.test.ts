import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newKeyMaterial, readPublicKey } from './key-material.js';

/** Made with ssh-keygen; fingerprints computed as AWS documents, with ssh-keygen and openssl. */
const RSA_PUBLIC = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCprTDOA+IudvG9o1/hPMXQoGfrInCaQDeprz6EROMc/Tye5L4+hUNoEHoeI+f8p5+yKC3JWyEaXKSH0didY8Gf3g2ZJ/gY1ntsuqWmri2VAb79UW2ZkA6xsOKwTZ7VPLUjkCTt43D+ICa6R8IrRJElTrynpMPXBZgkyxy81kDr+JYJNKmTgA/MQ8pHH4/fmBDp6RUs0xbuhmKkWCZl3dEk3tydW57PK+L3nmlyMsw3byXD55uBfO0uAP8eLBDVbLgen1aTKzVOkTLjclQoMWayg9M0D8fQM2Ef3El+KrWzmO+30RZCAiwJqNVKaKF9LSe31jvvVct0guzAdz1I+gt5 vector@example';
const RSA_FINGERPRINT = 'ac:2f:e3:6e:f9:db:c1:4a:df:d2:63:48:7d:cd:05:f2';
const ED25519_PUBLIC = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJzUaKDj1mYEACW2FNFT0DkCwKdZHU8Xuimi4ydZUU3J vector@example';
const ED25519_FINGERPRINT = 'licIN2OhnmD7w9BIEFo9naG5Vt/j0YZzJaszLd8kXuU=';

/** Reads OpenSSH's unencrypted ed25519 private key format independently of the writer. */
function readOpenSshEd25519(pem: string): { publicKey: Buffer; seed: Buffer } {
  const body = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  let offset = 0;
  const take = (n: number) => body.subarray(offset, (offset += n));
  const string = () => take(take(4).readUInt32BE(0));
  expect(take(15).toString()).toBe('openssh-key-v1\0');
  expect([string().toString(), string().toString(), string().length, take(4).readUInt32BE(0)]).toEqual(['none', 'none', 0, 1]);
  string();
  const section = string();
  const inner = { buf: section, at: 0 };
  const next = (n: number) => inner.buf.subarray(inner.at, (inner.at += n));
  const str = () => next(next(4).readUInt32BE(0));
  const [check1, check2] = [next(4), next(4)];
  expect(check1.equals(check2)).toBe(true);
  expect(str().toString()).toBe('ssh-ed25519');
  const publicKey = str();
  const secret = str();
  expect(secret.subarray(32).equals(publicKey)).toBe(true);
  return { publicKey, seed: secret.subarray(0, 32) };
}

describe('key material', () => {
  it('reads OpenSSH public keys with AWS’s fingerprints (golden vectors)', () => {
    expect(readPublicKey(RSA_PUBLIC)).toEqual({ type: 'rsa', publicKey: RSA_PUBLIC.replace(' vector@example', ''), fingerprint: RSA_FINGERPRINT });
    expect(readPublicKey(ED25519_PUBLIC)).toEqual({ type: 'ed25519', publicKey: ED25519_PUBLIC.replace(' vector@example', ''), fingerprint: ED25519_FINGERPRINT });
  });

  it('rejects keys that are not OpenSSH public keys, corrupted ones included', () => {
    const [type, data] = RSA_PUBLIC.split(' ');
    const blob = Buffer.from(data!, 'base64');
    const truncated = blob.subarray(0, blob.length - 10).toString('base64');
    const mislabelled = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-dss'), blob.subarray(11)]).toString('base64');
    const trailing = Buffer.concat([blob, Buffer.from([1, 2, 3])]).toString('base64');
    for (const bad of ['', 'hello', `ssh-dss ${data}`, `${type} ${truncated}`, `${type} ${mislabelled}`, `${type} ${trailing}`, `ssh-ed25519 ${data}`, `${type} !!notbase64`]) {
      expect(readPublicKey(bad), bad).toBeUndefined();
    }
  });

  it('makes RSA keys as PKCS#1 PEM, fingerprinted by SHA-1 of the PKCS#8 key', async () => {
    const made = await newKeyMaterial('rsa');
    expect(made.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----$/);
    const key = createPrivateKey(made.privateKey);
    const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
    expect(made.fingerprint).toBe([...createHash('sha1').update(pkcs8).digest()].map((b) => b.toString(16).padStart(2, '0')).join(':'));
    expect(readPublicKey(made.publicKey)?.type).toBe('rsa');
    const signature = sign('sha256', Buffer.from('x'), key);
    const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
    expect(readPublicKey(made.publicKey)!.fingerprint).toBe([...createHash('md5').update(spki).digest()].map((b) => b.toString(16).padStart(2, '0')).join(':'));
    expect(verify('sha256', Buffer.from('x'), createPublicKey(key), signature)).toBe(true);
  });

  it('makes ED25519 keys in OpenSSH’s format whose public half matches', async () => {
    const made = await newKeyMaterial('ed25519');
    expect(made.privateKey.startsWith('-----BEGIN OPENSSH PRIVATE KEY-----\n')).toBe(true);
    const { publicKey, seed } = readOpenSshEd25519(made.privateKey);
    expect(made.publicKey).toBe(`ssh-ed25519 ${Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), publicKey]).toString('base64')}`);
    expect(made.fingerprint).toBe(readPublicKey(made.publicKey)!.fingerprint);
    const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: publicKey.toString('base64url') }, format: 'jwk' });
    const signature = sign(null, Buffer.from('x'), privateKey);
    expect(verify(null, Buffer.from('x'), createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') }, format: 'jwk' }), signature)).toBe(true);
  });
});
