/**
 * @module
 * Objects: PutObject (staged in `prepare`, recorded in the handler), GetObject (with Range,
 * conditions and partNumber), HeadObject, DeleteObject, DeleteObjects.
 */
import type {
  DeleteObjectCommandInput, DeleteObjectCommandOutput, DeleteObjectsCommandInput, DeleteObjectsCommandOutput, GetObjectCommandInput,
  GetObjectCommandOutput, HeadObjectCommandInput, HeadObjectCommandOutput, PutObjectCommandInput, PutObjectCommandOutput,
} from '@aws-sdk/client-s3';
import type { ByteRange } from '../../blob/blob-store.js';
import { ServiceError } from '../../core/errors.js';
import type { CallContext, Handler, Out, PrepareContext } from '../service.js';
import { findBucket, getBucket, type BucketDocument } from './buckets.js';
import { checksumOutput, requestedChecksum } from './checksums.js';
import { checkReadConditions, parseRange } from './conditions.js';
import { encryptionOutput, objectEncryption } from './encryption.js';
import { EntityTooLarge, InvalidArgument, InvalidPart, InvalidRequest, MalformedXML, NoSuchBucket, NoSuchKey, PreconditionFailed } from './errors.js';
import { checkKey, newObjectAttributes } from './object-writes.js';
import { attributesOf, deleteObject, readableVersion, lastModifiedAt, writeObject, type ObjectVersion } from './objects.js';
import { objectBytes, partSizes } from './object-bytes.js';
import { callAccess, prepareAccess, type SseKms } from './sse-kms.js';
import { discardStaged, stageBody, type WithStaged } from './staging.js';

/** The largest object a single PUT may carry (5 GiB). */
const MAX_PUT_BYTES = 5 * 1024 ** 3;
const MAX_DELETE_KEYS = 1000;

/** PutObject's input once prepared. */
export type PutObjectInput = WithStaged<PutObjectCommandInput>;

/** Stages PutObject's body before the transaction, once the bucket is known to exist. */
export async function preparePutObject(input: PutObjectInput, ctx: PrepareContext, sse: SseKms): Promise<PutObjectInput> {
  const bucket = await ctx.env.store.read((tx) => findBucket(tx, input.Bucket ?? ''));
  if (!bucket) throw new NoSuchBucket(input.Bucket ?? '');
  const key = checkKey(input.Key);
  if ((input.ContentLength ?? 0) > MAX_PUT_BYTES) throw new EntityTooLarge();
  const encryption = objectEncryption(input, bucket);
  const sealing = await sse.sealing(prepareAccess(ctx), encryption, bucket, key);
  const staged = await stageBody(ctx.env.blobs, input.Body, requestedChecksum(input), sealing?.plaintext);
  return { ...input, Body: undefined, staged: { ...staged, encryption: sealing?.encryption ?? encryption } };
}

/** Removes PutObject's staged blob when the call did not commit. */
export async function settleStaged(input: WithStaged<object>, committed: boolean, ctx: PrepareContext): Promise<void> {
  if (!committed) await discardStaged(ctx.env.blobs, input.staged);
}

/** The conditions of a write: If-None-Match `*` (only if absent) and If-Match (only if it is this ETag). */
export async function checkWriteConditions(ctx: CallContext, bucket: BucketDocument, key: string, conditions: { IfMatch?: string; IfNoneMatch?: string }): Promise<void> {
  if (conditions.IfMatch === undefined && conditions.IfNoneMatch === undefined) return;
  const current = await ctx.tx.s3Objects.get({ accountId: bucket.owner, region: bucket.region }, bucket.name, key);
  const exists = current !== undefined && !current.deleteMarker;
  if (conditions.IfNoneMatch !== undefined) {
    if (conditions.IfNoneMatch.trim() !== '*') throw new InvalidArgument('If-None-Match only supports *', 'If-None-Match', conditions.IfNoneMatch);
    if (exists) throw new PreconditionFailed('If-None-Match');
  }
  if (conditions.IfMatch !== undefined) {
    if (!exists) throw new NoSuchKey(key);
    const wanted = conditions.IfMatch.trim();
    if (wanted !== '*' && wanted !== current.etag && `"${wanted}"` !== current.etag) throw new PreconditionFailed('If-Match');
  }
}

/** PutObject: records the staged bytes as the key's new current version. */
export const putObject: Handler<PutObjectInput, Out<PutObjectCommandOutput>> = async (input, ctx) => {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const key = checkKey(input.Key);
  const staged = input.staged!;
  await checkWriteConditions(ctx, bucket, key, input);
  const written = await newObjectAttributes(ctx, bucket, input, [staged.blob]);
  const attributes = { ...written, checksum: staged.checksum, encryption: staged.encryption ?? written.encryption };
  const etag = `"${staged.md5}"`;
  const versionId = await writeObject(ctx, bucket, { key, lastModified: lastModifiedAt(ctx.now), size: staged.size, etag, attributes });
  return { ETag: etag, VersionId: versionId, ...checksumOutput(staged.checksum), ...encryptionOutput(attributes.encryption) };
};

/** The response headers that describe an object version (GetObject and HeadObject). */
function objectHeaders(version: ObjectVersion, bucket: BucketDocument, checksums: boolean): Record<string, unknown> {
  const a = attributesOf(version);
  const retention = a.retention;
  return {
    LastModified: new Date(version.lastModified),
    ContentLength: version.size,
    ETag: version.etag,
    ContentType: a.contentType ?? 'binary/octet-stream',
    CacheControl: a.cacheControl,
    ContentDisposition: a.contentDisposition,
    ContentEncoding: a.contentEncoding,
    ContentLanguage: a.contentLanguage,
    Expires: a.expires !== undefined ? new Date(a.expires) : undefined,
    Metadata: a.metadata,
    VersionId: bucket.versioning !== undefined ? version.versionId : undefined,
    StorageClass: a.storageClass,
    TagCount: a.tags?.length,
    WebsiteRedirectLocation: a.websiteRedirectLocation,
    AcceptRanges: 'bytes',
    ObjectLockMode: retention?.mode,
    ObjectLockRetainUntilDate: retention ? new Date(retention.retainUntil) : undefined,
    ObjectLockLegalHoldStatus: a.legalHold,
    ...encryptionOutput(a.encryption),
    ...(checksums ? checksumOutput(a.checksum) : {}),
  };
}

/** The bytes a read selects: a part (partNumber), a Range, or the whole object. */
function selection(version: ObjectVersion, partNumber: number | undefined, range: string | undefined): { range?: ByteRange; partsCount?: number } {
  const a = attributesOf(version);
  if (partNumber === undefined) return { range: parseRange(range, version.size) };
  if (range !== undefined) throw new InvalidRequest('Cannot specify both Range header and partNumber query parameter');
  const parts = a.partsCount !== undefined ? partSizes(a) : [version.size];
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) throw new InvalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(partNumber));
  if (partNumber > parts.length) throw new InvalidPart();
  const start = parts.slice(0, partNumber - 1).reduce((sum, p) => sum + p, 0);
  const size = parts[partNumber - 1]!;
  return { range: size === 0 ? undefined : { start, end: start + size - 1 }, partsCount: a.partsCount ?? 1 };
}

/** The response-* query parameters of a signed GetObject, which override the stored headers. */
function overrides(input: GetObjectCommandInput | HeadObjectCommandInput, ctx: CallContext): Record<string, unknown> {
  const given = {
    CacheControl: input.ResponseCacheControl,
    ContentDisposition: input.ResponseContentDisposition,
    ContentEncoding: input.ResponseContentEncoding,
    ContentLanguage: input.ResponseContentLanguage,
    ContentType: input.ResponseContentType,
    Expires: input.ResponseExpires,
  };
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length > 0 && ctx.principal.type === 'Anonymous') {
    throw new InvalidRequest('Request specific response headers cannot be used for anonymous GET requests.');
  }
  return set;
}

async function readObject(input: GetObjectCommandInput | HeadObjectCommandInput, ctx: CallContext, method: string) {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  if (input.SSECustomerAlgorithm !== undefined) throw new InvalidRequest('The encryption parameters are not applicable to this object.');
  const version = await readableVersion(ctx, bucket, input.Key ?? '', input.VersionId, method);
  checkReadConditions(input, version.etag, version.lastModified);
  const { range, partsCount } = selection(version, input.PartNumber, input.Range);
  const whole = range === undefined || (range.start === 0 && range.end === version.size - 1 && partsCount === undefined);
  const headers = {
    ...objectHeaders(version, bucket, input.ChecksumMode === 'ENABLED' && whole),
    ...overrides(input, ctx),
    PartsCount: partsCount,
    ...(range ? { ContentLength: range.end - range.start + 1, ContentRange: `bytes ${range.start}-${range.end}/${version.size}` } : {}),
  };
  return { bucket, version, range, headers };
}

/** GetObject: the bytes (a stream from the blob store, pinned until sent, decrypted for SSE-KMS) and the object's headers. */
export const getObject = (sse: SseKms): Handler<GetObjectCommandInput, Out<GetObjectCommandOutput>> => async (input, ctx) => {
  const { bucket, version, range, headers } = await readObject(input, ctx, 'GET');
  const attributes = attributesOf(version);
  const dataKey = await sse.opening(callAccess(ctx), attributes.encryption, bucket, version.key);
  const body = objectBytes(ctx.env.blobs, attributes, range, dataKey);
  return { ...headers, Body: body as unknown as GetObjectCommandOutput['Body'] } as Out<GetObjectCommandOutput>;
};

/** HeadObject: GetObject's headers without the bytes. */
export const headObject: Handler<HeadObjectCommandInput, Out<HeadObjectCommandOutput>> = async (input, ctx) =>
  (await readObject(input, ctx, 'HEAD')).headers as Out<HeadObjectCommandOutput>;

/** DeleteObject: a delete marker, the null version, or one version by id (see objects.ts). */
export const deleteObjectHandler: Handler<DeleteObjectCommandInput, Out<DeleteObjectCommandOutput>> = async (input, ctx) => {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const key = checkKey(input.Key);
  const result = await deleteObject(ctx, bucket, key, input.VersionId, input.BypassGovernanceRetention === true);
  return { DeleteMarker: result.deleteMarker, VersionId: result.versionId };
};

/** DeleteObjects: up to 1,000 keys; each key's failure is reported, not thrown. */
export const deleteObjects: Handler<DeleteObjectsCommandInput, Out<DeleteObjectsCommandOutput>> = async (input, ctx) => {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const objects = input.Delete?.Objects ?? [];
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw new MalformedXML();
  const deleted: NonNullable<DeleteObjectsCommandOutput['Deleted']> = [];
  const errors: NonNullable<DeleteObjectsCommandOutput['Errors']> = [];
  for (const object of objects) {
    try {
      const key = checkKey(object.Key);
      const result = await ctx.tx.atomic(() => deleteObject(ctx, bucket, key, object.VersionId, input.BypassGovernanceRetention === true));
      if (input.Delete?.Quiet) continue;
      deleted.push(object.VersionId !== undefined
        ? { Key: key, VersionId: object.VersionId, DeleteMarker: result.deleteMarker }
        : { Key: key, DeleteMarker: result.deleteMarker, DeleteMarkerVersionId: result.deleteMarker ? result.versionId : undefined });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      errors.push({ Key: object.Key, VersionId: object.VersionId, Code: error.code, Message: error.message });
    }
  }
  return { Deleted: deleted.length > 0 ? deleted : undefined, Errors: errors.length > 0 ? errors : undefined };
};
