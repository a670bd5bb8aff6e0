/**
 * @module
 * SigV4 signing keys: `HMAC("AWS4" + secret, date) → region → service → "aws4_request"`, and a
 * bounded cache of them, since deriving one costs four HMACs and a key serves a whole day.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#derive-signing-key
 */
import { createHmac, hash } from 'node:crypto';

/** Derives the signing key for a secret access key and a credential scope (`date` is `yyyymmdd`). */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secretAccessKey).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

/** HMAC-SHA256 of `message` under `key`, as lower-case hex: a signature. */
export function signHex(key: Buffer, message: string): string {
  return createHmac('sha256', key).update(message).digest('hex');
}

/**
 * Signing keys by (secret, date, region, service), at most `maxEntries` of them; the oldest entry
 * goes first when full. Secrets are not kept: entries are keyed by the secret's SHA-256. Make one
 * per server; it holds no global state.
 */
export class SigningKeyCache {
  readonly #keys = new Map<string, Buffer>();

  constructor(readonly maxEntries = 4096) {}

  /** The signing key for the secret and scope, derived on first use. */
  get(secretAccessKey: string, date: string, region: string, service: string): Buffer {
    const id = date + '/' + region + '/' + service + '/' + hash('sha256', secretAccessKey, 'base64');
    let key = this.#keys.get(id);
    if (key === undefined) {
      key = deriveSigningKey(secretAccessKey, date, region, service);
      if (this.#keys.size >= this.maxEntries) this.#keys.delete(this.#keys.keys().next().value!);
      this.#keys.set(id, key);
    }
    return key;
  }

  /** How many keys are cached. */
  get size(): number {
    return this.#keys.size;
  }
}
