/**
 * @module
 * CloudTrail digest files: their JSON (AWS's field order), the string CloudTrail signs, and the
 * checks `aws cloudtrail validate-logs` makes on one digest. Pure.
 *
 * The signature covers, joined by newlines: `digestEndTime` exactly as written, `bucket/key`, the
 * hex SHA-256 of the uncompressed digest bytes (the very bytes that are gzipped, never a
 * re-serialisation), and the previous digest's signature or the text `null`. Each digest thus
 * carries its predecessor's signature inside what it signs.
 */
import { isoSeconds } from '../core/clock.js';
import { SIGNATURE_ALGORITHM, sha256Hex, signText, UnusableKeyError, verifyText } from './signing.js';

/** The hash algorithm name digests use. */
export const HASH_ALGORITHM = 'SHA-256';

/** One log file as a digest lists it. */
export interface DigestLogFile {
  readonly s3Bucket: string;
  readonly s3Object: string;
  /** Hex SHA-256 of the uncompressed log file. */
  readonly hashValue: string;
  readonly hashAlgorithm: string;
  readonly newestEventTime: string;
  readonly oldestEventTime: string;
}

/** A digest file's content. */
export interface Digest {
  readonly awsAccountId: string;
  readonly digestStartTime: string;
  readonly digestEndTime: string;
  readonly digestS3Bucket: string;
  readonly digestS3Object: string;
  readonly digestPublicKeyFingerprint: string;
  readonly digestSignatureAlgorithm: string;
  readonly newestEventTime: string | null;
  readonly oldestEventTime: string | null;
  readonly previousDigestS3Bucket: string | null;
  readonly previousDigestS3Object: string | null;
  readonly previousDigestHashValue: string | null;
  readonly previousDigestHashAlgorithm: string | null;
  readonly previousDigestSignature: string | null;
  readonly logFiles: readonly DigestLogFile[];
}

/** The digest before this one in the chain. */
export interface PreviousDigest {
  readonly bucket: string;
  readonly key: string;
  /** Hex SHA-256 of its uncompressed bytes. */
  readonly hash: string;
  readonly signature: string;
}

/** What a digest is made from. Times in ms. */
export interface DigestInput {
  readonly accountId: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly bucket: string;
  readonly key: string;
  readonly fingerprint: string;
  /** Absent for the first digest of a chain. */
  readonly previous?: PreviousDigest;
  readonly logFiles: readonly DigestLogFile[];
}

/** A serialised, signed digest: the uncompressed bytes to gzip, their hash, and the hex signature. */
export interface SignedDigest {
  readonly digest: Digest;
  readonly bytes: Buffer;
  readonly hash: string;
  readonly signature: string;
}

/** The text CloudTrail signs for a digest whose uncompressed bytes hash to `digestHash`. */
export function digestStringToSign(digest: Pick<Digest, 'digestEndTime' | 'digestS3Bucket' | 'digestS3Object' | 'previousDigestSignature'>, digestHash: string): string {
  return `${digest.digestEndTime}\n${digest.digestS3Bucket}/${digest.digestS3Object}\n${digestHash}\n${digest.previousDigestSignature ?? 'null'}`;
}

/** Builds a digest (event times span its log files) and signs it with a region's private key. */
export function signDigest(input: DigestInput, privateKey: Parameters<typeof signText>[1]): SignedDigest {
  const times = input.logFiles.flatMap((f) => [f.newestEventTime, f.oldestEventTime]).sort();
  const digest: Digest = {
    awsAccountId: input.accountId,
    digestStartTime: isoSeconds(input.startTime),
    digestEndTime: isoSeconds(input.endTime),
    digestS3Bucket: input.bucket,
    digestS3Object: input.key,
    digestPublicKeyFingerprint: input.fingerprint,
    digestSignatureAlgorithm: SIGNATURE_ALGORITHM,
    newestEventTime: times.at(-1) ?? null,
    oldestEventTime: times[0] ?? null,
    previousDigestS3Bucket: input.previous?.bucket ?? null,
    previousDigestS3Object: input.previous?.key ?? null,
    previousDigestHashValue: input.previous?.hash ?? null,
    previousDigestHashAlgorithm: input.previous ? HASH_ALGORITHM : null,
    previousDigestSignature: input.previous?.signature ?? null,
    logFiles: input.logFiles,
  };
  const bytes = Buffer.from(JSON.stringify(digest), 'utf8');
  const hash = sha256Hex(bytes);
  return { digest, bytes, hash, signature: signText(digestStringToSign(digest, hash), privateKey) };
}

/** Why a digest failed validation, in the words validate-logs prints after `INVALID: `. */
export type DigestFailure =
  | { readonly kind: 'format' }
  | { readonly kind: 'signature' }
  | { readonly kind: 'moved' }
  | { readonly kind: 'unknown-key'; readonly fingerprint: string; readonly region: string }
  | { readonly kind: 'unusable-key'; readonly fingerprint: string };

/** A digest that failed validation. */
export class DigestInvalidError extends Error {
  constructor(readonly failure: DigestFailure) {
    super(describeDigestFailure(failure));
  }
}

/** The CLI's wording of a digest failure. */
export function describeDigestFailure(failure: DigestFailure): string {
  switch (failure.kind) {
    case 'format':
      return 'invalid format';
    case 'signature':
      return 'signature verification failed';
    case 'moved':
      return 'has been moved from its original location';
    case 'unknown-key':
      return `public key not found in region ${failure.region} for fingerprint ${failure.fingerprint}`;
    case 'unusable-key':
      return `Unable to load PKCS #1 key with fingerprint ${failure.fingerprint}`;
  }
}

const REQUIRED = ['digestPublicKeyFingerprint', 'digestS3Bucket', 'digestS3Object', 'previousDigestSignature', 'digestEndTime', 'digestStartTime'] as const;

/** What checkDigest needs to know about where the digest was found and which keys are trusted. */
export interface DigestCheck {
  readonly bucket: string;
  readonly key: string;
  /** The uncompressed digest bytes, or undefined when they could not be gunzipped. */
  readonly bytes: Buffer | undefined;
  /** The `signature` object metadata (hex), if any. */
  readonly signature?: string;
  /** The `signature-algorithm` object metadata, if any. */
  readonly signatureAlgorithm?: string;
  /** Trusted public keys (DER PKCS#1) by fingerprint. */
  readonly publicKeys: ReadonlyMap<string, Uint8Array>;
  /** The region named when a fingerprint is unknown (the trail's home region, as the CLI says). */
  readonly keyRegion: string;
}

/**
 * Checks one digest as validate-logs does, in the same order: gunzipped JSON, signature metadata
 * present, required fields present, found where it says it lives, signed by a known key.
 * Returns the parsed digest, or throws DigestInvalidError.
 */
export function checkDigest(check: DigestCheck): Digest {
  let digest: Digest;
  try {
    if (!check.bytes) throw new Error('not gzip');
    digest = JSON.parse(check.bytes.toString('utf8')) as Digest;
  } catch {
    throw new DigestInvalidError({ kind: 'format' });
  }
  if (check.signature === undefined || check.signatureAlgorithm === undefined) throw new DigestInvalidError({ kind: 'signature' });
  if (!digest || typeof digest !== 'object' || REQUIRED.some((field) => !(field in digest)) || !Array.isArray(digest.logFiles)) {
    throw new DigestInvalidError({ kind: 'format' });
  }
  if (digest.digestS3Bucket !== check.bucket || digest.digestS3Object !== check.key) throw new DigestInvalidError({ kind: 'moved' });
  const fingerprint = digest.digestPublicKeyFingerprint;
  const publicKey = check.publicKeys.get(fingerprint);
  if (!publicKey) throw new DigestInvalidError({ kind: 'unknown-key', fingerprint, region: check.keyRegion });
  let valid: boolean;
  try {
    valid = verifyText(digestStringToSign(digest, sha256Hex(check.bytes!)), check.signature, publicKey);
  } catch (error) {
    if (error instanceof UnusableKeyError) throw new DigestInvalidError({ kind: 'unusable-key', fingerprint });
    throw error;
  }
  if (!valid) throw new DigestInvalidError({ kind: 'signature' });
  return digest;
}
