/**
 * @module
 * Identifiers in the shapes AWS uses for them.
 */
import { randomBytes, randomUUID } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random string of `length` characters from `alphabet`. */
export function randomString(length: number, alphabet = ALNUM): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** A request id as AWS JSON and Query services show it (a UUID). */
export function newRequestId(): string {
  return randomUUID();
}

/** A CloudTrail eventID (a UUID). */
export function newEventId(): string {
  return randomUUID();
}

/**
 * An IAM-style unique id or access key id: a four-letter prefix (`AKIA`, `ASIA`, `AIDA`, `AROA`...)
 * and 16 characters of base32, as AWS issues them.
 */
export function newIamId(prefix: string): string {
  return prefix + randomString(16, UPPER_ALNUM);
}

/** A secret access key: 40 characters of base64. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}
