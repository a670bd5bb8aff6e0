/**
 * @module
 * CopyObject, and the copy source every copy reads (`x-amz-copy-source` with its conditions).
 * The bytes are copied into a new blob in `prepare`, from the source version read there; the
 * handler records the copy like a PutObject.
 */
import type { CopyObjectCommandInput, CopyObjectCommandOutput } from '@aws-sdk/client-s3';
import type { ByteRange } from '../../blob/blob-store.js';
import type { Handler, Out, Permission, PrepareContext } from '../service.js';
import { bucketArn, bucketScope, findBucket, getBucket, type BucketDocument } from './buckets.js';
import { objectBytes } from './object-bytes.js';
import { prepareAccess, type SseKms } from './sse-kms.js';
import { checksumOutput, requestedChecksum, type ChecksumRequest } from './checksums.js';
import { checkReadConditions } from './conditions.js';
import { encryptionOutput, objectEncryption } from './encryption.js';
import { InvalidArgument, InvalidRequest, NoSuchBucket, NoSuchKey, NoSuchVersion, NotModified, PreconditionFailed } from './errors.js';
import { checkWriteConditions } from './object-handlers.js';
import { checkKey, newObjectAttributes } from './object-writes.js';
import { attributesOf, checkVersionId, lastModifiedAt, writeObject, type ObjectVersion } from './objects.js';
import { stageBody, type StagedBody, type WithStaged } from './staging.js';

/** What `x-amz-copy-source` names. */
export interface CopySource {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/** The source version a copy read in `prepare`, its bucket, and whether that bucket reports version ids. */
export interface ReadSource {
  readonly version: ObjectVersion;
  readonly bucket: BucketDocument;
  readonly versioned: boolean;
}

/** The conditions a copy puts on its source. */
export interface SourceConditions {
  CopySourceIfMatch?: string;
  CopySourceIfNoneMatch?: string;
  CopySourceIfModifiedSince?: Date;
  CopySourceIfUnmodifiedSince?: Date;
}

/** Parses `x-amz-copy-source`: `[/]bucket/key[?versionId=id]`, the key URL-encoded. */
export function parseCopySource(header: string | undefined): CopySource {
  const text = (header ?? '').replace(/^\//, '');
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const slash = path.indexOf('/');
  const invalid = () => new InvalidArgument('Invalid copy source object key', 'x-amz-copy-source', header);
  if (slash <= 0 || slash === path.length - 1) throw invalid();
  let key: string;
  try {
    key = decodeURIComponent(path.slice(slash + 1));
  } catch {
    throw invalid();
  }
  const versionId = q < 0 ? undefined : new URLSearchParams(text.slice(q + 1)).get('versionId') ?? undefined;
  if (versionId !== undefined) checkVersionId(versionId);
  return { bucket: decodeURIComponent(path.slice(0, slash)), key, versionId };
}

/** The permission a copy needs on its source: s3:GetObject, or s3:GetObjectVersion for a version by id (none for a malformed source, which `prepare` rejects). */
export function copySourcePermission(input: { CopySource?: string }): Permission[] {
  let source: CopySource;
  try {
    source = parseCopySource(input.CopySource);
  } catch {
    return [];
  }
  const resources = [bucketArn(source.bucket, source.key)];
  if (source.versionId === undefined) return [{ action: 's3:GetObject', resources }];
  return [{ action: 's3:GetObjectVersion', resources, conditions: { 's3:VersionId': source.versionId } }];
}

/** Reads a copy source (committed state) and checks its conditions; copies fail 412 where reads would 304. */
export async function readCopySource(ctx: PrepareContext, source: CopySource, conditions: SourceConditions): Promise<ReadSource> {
  const { bucket, version } = await ctx.env.store.read(async (tx) => {
    const found = await findBucket(tx, source.bucket);
    if (!found) throw new NoSuchBucket(source.bucket);
    return { bucket: found, version: await tx.s3Objects.get(bucketScope(found), source.bucket, source.key, source.versionId) as ObjectVersion | undefined };
  });
  if (!version) throw source.versionId === undefined ? new NoSuchKey(source.key) : new NoSuchVersion(source.key, source.versionId);
  if (version.deleteMarker) {
    if (source.versionId === undefined) throw new NoSuchKey(source.key);
    throw new InvalidRequest('The source of a copy request may not specifically refer to a delete marker by version id.');
  }
  try {
    checkReadConditions({
      IfMatch: conditions.CopySourceIfMatch, IfNoneMatch: conditions.CopySourceIfNoneMatch,
      IfModifiedSince: conditions.CopySourceIfModifiedSince, IfUnmodifiedSince: conditions.CopySourceIfUnmodifiedSince,
    }, version.etag, version.lastModified, { match: 'x-amz-copy-source-If-Match', unmodified: 'x-amz-copy-source-If-Unmodified-Since' });
  } catch (error) {
    if (error instanceof NotModified) throw new PreconditionFailed(conditions.CopySourceIfNoneMatch !== undefined ? 'x-amz-copy-source-If-None-Match' : 'x-amz-copy-source-If-Modified-Since');
    throw error;
  }
  return { version, bucket, versioned: bucket.versioning !== undefined };
}

/**
 * Copies a source's bytes (or a range of them) into a new staged blob: decrypted when the source is
 * SSE-KMS (the caller needs kms:Decrypt on its key), sealed under `sealKey` when the copy is.
 */
export async function stageCopy(ctx: PrepareContext, sse: SseKms, source: ReadSource, checksum: ChecksumRequest, range?: ByteRange, sealKey?: Buffer): Promise<StagedBody> {
  const attributes = attributesOf(source.version);
  const algorithm = checksum.algorithm ?? attributes.checksum?.algorithm;
  const openKey = await sse.opening(prepareAccess(ctx), attributes.encryption, source.bucket, source.version.key);
  return stageBody(ctx.env.blobs, objectBytes(ctx.env.blobs, attributes, range, openKey), { algorithm }, sealKey);
}

/** CopyObject's input once prepared. */
export type CopyObjectInput = WithStaged<CopyObjectCommandInput> & { source?: ReadSource };

function isSelfCopy(input: CopyObjectCommandInput, source: CopySource): boolean {
  return source.bucket === input.Bucket && source.key === input.Key && source.versionId === undefined && input.MetadataDirective !== 'REPLACE'
    && input.StorageClass === undefined && input.ServerSideEncryption === undefined && input.WebsiteRedirectLocation === undefined;
}

/** Reads CopyObject's source and copies its bytes before the transaction. */
export async function prepareCopyObject(input: CopyObjectInput, ctx: PrepareContext, sse: SseKms): Promise<CopyObjectInput> {
  const bucket = await ctx.env.store.read((tx) => findBucket(tx, input.Bucket ?? ''));
  if (!bucket) throw new NoSuchBucket(input.Bucket ?? '');
  const key = checkKey(input.Key);
  const where = parseCopySource(input.CopySource);
  if (isSelfCopy(input, where)) {
    throw new InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  if (input.MetadataDirective !== undefined && input.MetadataDirective !== 'COPY' && input.MetadataDirective !== 'REPLACE') {
    throw new InvalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', input.MetadataDirective);
  }
  const source = await readCopySource(ctx, where, input);
  const encryption = objectEncryption(input, bucket);
  const sealing = await sse.sealing(prepareAccess(ctx), encryption, bucket, key);
  const staged = await stageCopy(ctx, sse, source, requestedChecksum({ ChecksumAlgorithm: input.ChecksumAlgorithm }), undefined, sealing?.plaintext);
  return { ...input, staged: { ...staged, encryption: sealing?.encryption ?? encryption }, source };
}

/** The headers a copy is written with: the request's (REPLACE) or the source's (COPY); encryption follows the request or the bucket. */
function copiedHeaders(input: CopyObjectCommandInput, source: ObjectVersion): CopyObjectCommandInput {
  const a = attributesOf(source);
  const tags = input.TaggingDirective === 'REPLACE' ? input.Tagging : a.tags?.map((t) => `${encodeURIComponent(t.Key!)}=${encodeURIComponent(t.Value!)}`).join('&');
  if (input.MetadataDirective === 'REPLACE') return { ...input, Tagging: tags };
  return {
    ...input,
    ContentType: a.contentType, CacheControl: a.cacheControl, ContentDisposition: a.contentDisposition, ContentEncoding: a.contentEncoding,
    ContentLanguage: a.contentLanguage, Expires: a.expires !== undefined ? new Date(a.expires) : undefined, Metadata: a.metadata,
    WebsiteRedirectLocation: input.WebsiteRedirectLocation ?? a.websiteRedirectLocation,
    Tagging: tags || undefined,
  };
}

/** CopyObject: records the copied bytes as the destination key's new version. */
export const copyObject: Handler<CopyObjectInput, Out<CopyObjectCommandOutput>> = async (input, ctx) => {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const key = checkKey(input.Key);
  const staged = input.staged!;
  const source = input.source!;
  await checkWriteConditions(ctx, bucket, key, input);
  const written = await newObjectAttributes(ctx, bucket, copiedHeaders(input, source.version), [staged.blob]);
  const attributes = { ...written, checksum: staged.checksum, encryption: staged.encryption ?? written.encryption };
  const etag = `"${staged.md5}"`;
  const lastModified = lastModifiedAt(ctx.now);
  const versionId = await writeObject(ctx, bucket, { key, lastModified, size: staged.size, etag, attributes });
  return {
    CopyObjectResult: { ETag: etag, LastModified: new Date(lastModified), ...checksumOutput(staged.checksum) },
    VersionId: versionId,
    CopySourceVersionId: source.versioned ? source.version.versionId : undefined,
    ...encryptionOutput(attributes.encryption),
  };
};
