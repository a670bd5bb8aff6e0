/**
 * @module
 * Walking a trail's digest chain the way `aws cloudtrail validate-logs` (awscli 1.45) does, over
 * any source of objects: newest digest first, following `previousDigestS3Object`, skipping to the
 * next older listed digest after a missing or invalid one, and reporting gaps where a chain
 * restarted. Log files are checked by hashing their uncompressed bytes. The walk reads only
 * through `ObjectSource`, so the same code serves a live store and an exported bucket on disk.
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { checkDigest, DigestInvalidError, type Digest, type DigestLogFile } from './digest-file.js';
import { compactTime, digestKeyPattern, digestKeyTime, digestPrefix, isBackfillDigestKey, parseCompactTime, type TrailLocation } from './object-keys.js';
import { sha256Hex } from './signing.js';

const gunzipAsync = promisify(gunzip);

/** An object as read from a bucket. */
export interface SourceObject {
  readonly body: Buffer;
  /** User metadata without the `x-amz-meta-` prefix (`signature`, `signature-algorithm`). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Where digests and log files are read from. */
export interface ObjectSource {
  /** Every key of a bucket under a prefix, sorted ascending. */
  listKeys(bucket: string, prefix: string): Promise<string[]>;
  /** An object, or undefined when there is no such key. */
  getObject(bucket: string, key: string): Promise<SourceObject | undefined>;
}

/** The trail and time range to validate (times in ms, inclusive). */
export interface ChainQuery {
  readonly bucket: string;
  readonly location: TrailLocation;
  readonly trailName: string;
  readonly homeRegion: string;
  /** The region whose digests are checked (the CLI's own region). */
  readonly region: string;
  readonly startTime: number;
  readonly endTime: number;
  /** Trusted public keys (DER PKCS#1) by fingerprint. */
  readonly publicKeys: ReadonlyMap<string, Uint8Array>;
}

/** One finding of the walk, in the order validate-logs reports them. */
export type ChainFinding =
  | { readonly type: 'digest'; readonly bucket: string; readonly key: string; readonly digest: Digest }
  | { readonly type: 'digest-invalid'; readonly bucket: string; readonly key: string; readonly reason: string }
  | { readonly type: 'digest-missing'; readonly bucket: string; readonly key: string }
  | { readonly type: 'gap'; readonly from: number; readonly to: number };

/** The digest keys of the query's trail and region whose key times fall within [start, end + 1 h], sorted. */
export async function listDigestKeys(source: ObjectSource, query: ChainQuery, bucket = query.bucket): Promise<string[]> {
  const pattern = digestKeyPattern(query.location, query.region, query.trailName, query.homeRegion);
  const from = compactTime(query.startTime);
  const to = compactTime(query.endTime + 3_600_000);
  const keys: string[] = [];
  for (const key of await source.listKeys(bucket, digestPrefix(query.location, query.region))) {
    if (!pattern.test(key) || isBackfillDigestKey(key)) continue;
    const time = digestKeyTime(key);
    if (time > to) break;
    if (time >= from) keys.push(key);
  }
  return keys;
}

/** Pops the newest listed key older than `before` (or the newest of all). */
function nextOlder(keys: string[], before?: string): string | undefined {
  const limit = before === undefined ? undefined : digestKeyTime(before);
  while (keys.length > 0) {
    const key = keys.pop()!;
    if (limit === undefined || digestKeyTime(key) < limit) return key;
  }
  return undefined;
}

/** Reads and gunzips an object; undefined body when it is not gzip. */
async function inflate(object: SourceObject): Promise<Buffer | undefined> {
  try {
    return await gunzipAsync(object.body);
  } catch {
    return undefined;
  }
}

/** Walks the digest chain of a trail and region from the newest digest in range back to the start time. */
export async function* walkDigests(source: ObjectSource, query: ChainQuery): AsyncGenerator<ChainFinding> {
  let bucket = query.bucket;
  let keys = await listDigestKeys(source, query, bucket);
  let key = nextOlder(keys);
  let lastStart = key === undefined ? Number.NaN : parseCompactTime(digestKeyTime(key));
  while (key !== undefined && query.startTime <= lastStart) {
    const object = await source.getObject(bucket, key);
    if (!object) {
      yield { type: 'digest-missing', bucket, key };
      key = nextOlder(keys, key);
      continue;
    }
    let digest: Digest;
    try {
      digest = checkDigest({
        bucket, key, bytes: await inflate(object), signature: object.metadata.signature,
        signatureAlgorithm: object.metadata['signature-algorithm'], publicKeys: query.publicKeys, keyRegion: query.homeRegion,
      });
    } catch (error) {
      if (!(error instanceof DigestInvalidError)) throw error;
      yield { type: 'digest-invalid', bucket, key, reason: error.message };
      key = nextOlder(keys, key);
      continue;
    }
    lastStart = Date.parse(digest.digestStartTime);
    yield { type: 'digest', bucket, key, digest };
    if (digest.previousDigestS3Bucket === null || digest.previousDigestS3Object === null) {
      const next = nextOlder(keys, key);
      if (next !== undefined) yield { type: 'gap', from: parseCompactTime(digestKeyTime(next)), to: lastStart };
      key = next;
    } else {
      key = digest.previousDigestS3Object;
      if (digest.previousDigestS3Bucket !== bucket) {
        bucket = digest.previousDigestS3Bucket;
        keys = await listDigestKeys(source, query, bucket);
      }
    }
  }
}

/** The verdict on one log file listed in a digest. */
export type LogVerdict = 'valid' | 'mismatch' | 'missing' | 'format';

/** Checks one log file against its digest entry: present, gzip, and the SHA-256 of its uncompressed bytes. */
export async function checkLogFile(source: ObjectSource, entry: DigestLogFile): Promise<LogVerdict> {
  const object = await source.getObject(entry.s3Bucket, entry.s3Object);
  if (!object) return 'missing';
  const bytes = await inflate(object);
  if (!bytes) return 'format';
  return sha256Hex(bytes) === entry.hashValue ? 'valid' : 'mismatch';
}

/** The CLI's wording of a log verdict after `INVALID: `. */
export function describeLogVerdict(verdict: Exclude<LogVerdict, 'valid'>): string {
  return { mismatch: "hash value doesn't match", missing: 'not found', format: 'invalid format' }[verdict];
}
