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

/**
 * A CloudTrail eventID: a UUID, of version 7 (RFC 9562), whose leading bits are the time in ms.
 * Time-ordered ids land at the end of the eventID index instead of all over it, which keeps
 * appends to the audit log cheap; to clients they are GUIDs like any other.
 */
export function newEventId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
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
