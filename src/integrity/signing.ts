/**
 * @module
 * SHA256withRSA (RSA PKCS#1 v1.5 over SHA-256), the algorithm of CloudTrail digest signatures, and
 * the public-key forms ListPublicKeys serves: DER-encoded PKCS#1 `RSAPublicKey` and its MD5
 * fingerprint. Pure (node:crypto only).
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** The signature algorithm name digests and their object metadata carry. */
export const SIGNATURE_ALGORITHM = 'SHA256withRSA';

/** Signs UTF-8 text with an RSA private key (PEM or KeyObject); returns the signature as lowercase hex. */
export function signText(text: string, privateKey: string | KeyObject): string {
  return sign('sha256', Buffer.from(text, 'utf8'), privateKey).toString('hex');
}

/**
 * Whether `signatureHex` is a valid SHA256withRSA signature of `text` under a DER PKCS#1 public
 * key. Throws `UnusableKeyError` when the key bytes are not a PKCS#1 RSA public key; a signature
 * that is not hex, or of the wrong length, is simply invalid.
 */
export function verifyText(text: string, signatureHex: string, publicKeyDer: Uint8Array): boolean {
  const key = pkcs1PublicKey(publicKeyDer);
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
  return verify('sha256', Buffer.from(text, 'utf8'), key, Buffer.from(signatureHex, 'hex'));
}

/** A public key that cannot be read as DER PKCS#1 (the CLI's "Unable to load PKCS #1 key"). */
export class UnusableKeyError extends Error {
  constructor() {
    super('Unable to load PKCS #1 key');
  }
}

/** Reads DER PKCS#1 `RSAPublicKey` bytes; throws UnusableKeyError otherwise. */
export function pkcs1PublicKey(der: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'pkcs1' });
  } catch {
    throw new UnusableKeyError();
  }
}

/** The DER PKCS#1 `RSAPublicKey` encoding of a public (or private) key, as ListPublicKeys' `Value` holds it. */
export function publicKeyDer(key: KeyObject | string): Buffer {
  return createPublicKey(key).export({ type: 'pkcs1', format: 'der' });
}

/** The fingerprint of a public key: lowercase hex MD5 of its DER PKCS#1 bytes. */
export function keyFingerprint(der: Uint8Array): string {
  return createHash('md5').update(der).digest('hex');
}

/** Lowercase hex SHA-256 of bytes. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
