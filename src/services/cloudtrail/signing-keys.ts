/**
 * @module
 * CloudTrail's digest signing keys: one RSA-2048 key pair per region at a time, shared by every
 * account (as AWS's are), kept in the store, and rotated. Each key is valid for 30 days from its
 * creation; a new one takes over after 25, so validity windows overlap as in AWS's published
 * ListPublicKeys samples. Generating a key is slow, so only background work does it.
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { Scope } from '../../core/scope.js';
import { keyFingerprint, publicKeyDer } from '../../integrity/signing.js';
import type { Store, Tx } from '../../store/types.js';

const generate = promisify(generateKeyPair);

/** The document kind of signing keys. */
export const SIGNING_KEY_KIND = 'cloudtrail.signing-key';
/** The pseudo-account signing keys are stored under: they belong to the service, not to an account. */
const SERVICE_ACCOUNT = 'cloudtrail';
const DAY = 86_400_000;
/** How long a key is valid, from its creation. */
export const KEY_VALIDITY_MS = 30 * DAY;
/** How old the current key may grow before a new one is made. */
export const KEY_ROTATION_MS = 25 * DAY;

/** A signing key as stored. */
export interface SigningKey {
  readonly fingerprint: string;
  /** Base64 of the DER PKCS#1 public key. */
  readonly publicKey: string;
  readonly privateKeyPem: string;
  readonly validityStart: number;
  readonly validityEnd: number;
}

function keysScope(region: string): Scope {
  return { accountId: SERVICE_ACCOUNT, region };
}

/** A region's keys, oldest first. */
export async function regionKeys(tx: Tx, region: string): Promise<SigningKey[]> {
  return (await tx.documents.list<SigningKey>(keysScope(region), SIGNING_KEY_KIND)).map((entry) => entry.doc);
}

/** The keys of a region whose validity overlaps [start, end]. */
export async function keysOverlapping(tx: Tx, region: string, start: number, end: number): Promise<SigningKey[]> {
  return (await regionKeys(tx, region)).filter((key) => key.validityStart <= end && key.validityEnd >= start);
}

/** The key to sign with at `now`, if the newest key is young enough. */
export function signingKeyAt(keys: readonly SigningKey[], now: number): SigningKey | undefined {
  const newest = keys.at(-1);
  return newest && now >= newest.validityStart && now - newest.validityStart < KEY_ROTATION_MS ? newest : undefined;
}

/** Makes a new key pair valid from `now`. */
export async function newSigningKey(now: number): Promise<SigningKey> {
  const { privateKey } = await generate('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const der = publicKeyDer(privateKey);
  return {
    fingerprint: keyFingerprint(der),
    publicKey: der.toString('base64'),
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    validityStart: now,
    validityEnd: now + KEY_VALIDITY_MS,
  };
}

/** The region's current signing key, made (outside any transaction) and stored when it is due. */
export async function currentSigningKey(store: Store, region: string, now: number): Promise<SigningKey> {
  const current = signingKeyAt(await store.read((tx) => regionKeys(tx, region)), now);
  if (current) return current;
  const key = await newSigningKey(now);
  return store.transaction(async (tx) => {
    const raced = signingKeyAt(await regionKeys(tx, region), now);
    if (raced) return raced;
    await tx.documents.put(keysScope(region), SIGNING_KEY_KIND, `${String(key.validityStart).padStart(15, '0')}-${key.fingerprint}`, key);
    return key;
  });
}
