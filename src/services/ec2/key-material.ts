/**
 * @module
 * Key pair material as EC2 hands it out and takes it in: new RSA keys as PKCS#1 PEM and ED25519
 * keys in OpenSSH's private key format, OpenSSH public keys, and EC2's fingerprints (created RSA:
 * SHA-1 of the PKCS#8 private key; imported RSA: MD5 of the public key; ED25519: SHA-256 of the
 * OpenSSH public key, base64). Uses node:crypto only.
 */
import { createHash, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

/** A key pair's type. */
export type KeyType = 'rsa' | 'ed25519';

/** New key material: the private key to hand out once, the public key and the fingerprint to keep. */
export interface KeyMaterial {
  readonly type: KeyType;
  readonly privateKey: string;
  readonly publicKey: string;
  readonly fingerprint: string;
}

/** A public key read from OpenSSH's `type base64 [comment]` form. */
export interface PublicKeyInfo {
  readonly type: KeyType;
  /** `type base64`, without the comment. */
  readonly publicKey: string;
  readonly fingerprint: string;
}

function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function sshMpint(value: Buffer): Buffer {
  let bytes = value;
  while (bytes.length > 1 && bytes[0] === 0 && bytes[1]! < 0x80) bytes = bytes.subarray(1);
  return sshString(bytes[0]! & 0x80 ? Buffer.concat([Buffer.alloc(1), bytes]) : bytes);
}

function colonHex(digest: Buffer): string {
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The OpenSSH public key blob of a key. */
function publicBlob(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType === 'ed25519') return Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.from(jwk.x!, 'base64url'))]);
  return Buffer.concat([sshString('ssh-rsa'), sshMpint(Buffer.from(jwk.e!, 'base64url')), sshMpint(Buffer.from(jwk.n!, 'base64url'))]);
}

function ed25519Fingerprint(blob: Buffer): string {
  return createHash('sha256').update(blob).digest('base64');
}

/** OpenSSH's unencrypted private key format for an ED25519 key. */
function opensshPrivateKey(privateKey: KeyObject, blob: Buffer): string {
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d!, 'base64url');
  const pub = Buffer.from(jwk.x!, 'base64url');
  const check = randomBytes(4);
  let section = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString('')]);
  const padding = Buffer.from(Array.from({ length: (8 - (section.length % 8)) % 8 }, (_, i) => i + 1));
  section = Buffer.concat([section, padding]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'), sshString('none'), sshString('none'), sshString(''), Buffer.from([0, 0, 0, 1]), sshString(blob), sshString(section),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');
}

/** New key material of a type (RSA keys are 2048 bits). */
export async function newKeyMaterial(type: KeyType): Promise<KeyMaterial> {
  if (type === 'ed25519') {
    const { privateKey, publicKey } = await generate('ed25519');
    const blob = publicBlob(publicKey);
    return { type, privateKey: opensshPrivateKey(privateKey, blob), publicKey: `ssh-ed25519 ${blob.toString('base64')}`, fingerprint: ed25519Fingerprint(blob) };
  }
  const { privateKey, publicKey } = await generate('rsa', { modulusLength: 2048 });
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  return {
    type,
    privateKey: (privateKey.export({ format: 'pem', type: 'pkcs1' }) as string).trimEnd(),
    publicKey: `ssh-rsa ${publicBlob(publicKey).toString('base64')}`,
    fingerprint: colonHex(createHash('sha1').update(pkcs8).digest()),
  };
}

function readSshString(blob: Buffer, offset: number): [Buffer, number] {
  const length = blob.readUInt32BE(offset);
  const end = offset + 4 + length;
  if (end > blob.length) throw new RangeError('truncated');
  return [blob.subarray(offset + 4, end), end];
}

/** Reads an OpenSSH public key (`ssh-rsa ...` or `ssh-ed25519 ...`); undefined when it is not one. */
export function readPublicKey(text: string): PublicKeyInfo | undefined {
  const [kind, data] = text.trim().split(/\s+/);
  if ((kind !== 'ssh-rsa' && kind !== 'ssh-ed25519') || !data || !/^[A-Za-z0-9+/]+=*$/.test(data)) return undefined;
  const blob = Buffer.from(data, 'base64');
  try {
    const [name, afterName] = readSshString(blob, 0);
    if (name.toString() !== kind) return undefined;
    if (kind === 'ssh-ed25519') {
      const [key, end] = readSshString(blob, afterName);
      if (key.length !== 32 || end !== blob.length) return undefined;
      return { type: 'ed25519', publicKey: `${kind} ${data}`, fingerprint: ed25519Fingerprint(blob) };
    }
    const [e, afterE] = readSshString(blob, afterName);
    const [n, end] = readSshString(blob, afterE);
    if (end !== blob.length) return undefined;
    const key = createPublicKey({ key: { kty: 'RSA', e: e.toString('base64url'), n: n.toString('base64url') }, format: 'jwk' });
    const spki = key.export({ format: 'der', type: 'spki' });
    return { type: 'rsa', publicKey: `${kind} ${data}`, fingerprint: colonHex(createHash('md5').update(spki).digest()) };
  } catch {
    return undefined;
  }
}
