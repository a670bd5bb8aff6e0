/**
 * @module
 * CopyObject, and the copy source every copy reads (`x-amz-copy-source` with its conditions).
 * The bytes are copied into a new blob in `prepare`, from the source version read there; the
 * handler records the copy like a PutObject.
 */
import type { CopyObjectCommandInput, CopyObjectCommandOutput } from '@aws-sdk/client-s3';
import type { ByteRange } from '../../blob/blob-store.js';
import type { Handler, Out, Permission, PrepareContext } from '../service.js';
import { bucketArn, bucketScope, findBucket, getBucket } from './buckets.js';
import { checksumOutput, requestedChecksum, type ChecksumRequest } from './checksums.js';
import { checkReadConditions } from './conditions.js';
import { encryptionOutput } from './encryption.js';
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

/** The source version a copy read in `prepare`, and whether its bucket reports version ids. */
export interface ReadSource {
  readonly version: ObjectVersion;
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
  return { version, versioned: bucket.versioning !== undefined };
}

/** Copies a source's bytes (or a range of them) into a new staged blob. */
export async function stageCopy(ctx: PrepareContext, source: ReadSource, checksum: ChecksumRequest, range?: ByteRange): Promise<StagedBody> {
  const algorithm = checksum.algorithm ?? attributesOf(source.version).checksum?.algorithm;
  return stageBody(ctx.env.blobs, ctx.env.blobs.get(attributesOf(source.version).blobs, range), { algorithm });
}

/** CopyObject's input once prepared. */
export type CopyObjectInput = WithStaged<CopyObjectCommandInput> & { source?: ReadSource };

function isSelfCopy(input: CopyObjectCommandInput, source: CopySource): boolean {
  return source.bucket === input.Bucket && source.key === input.Key && source.versionId === undefined && input.MetadataDirective !== 'REPLACE'
    && input.StorageClass === undefined && input.ServerSideEncryption === undefined && input.WebsiteRedirectLocation === undefined;
}

/** Reads CopyObject's source and copies its bytes before the transaction. */
export async function prepareCopyObject(input: CopyObjectInput, ctx: PrepareContext): Promise<CopyObjectInput> {
  if (!(await ctx.env.store.read((tx) => findBucket(tx, input.Bucket ?? '')))) throw new NoSuchBucket(input.Bucket ?? '');
  checkKey(input.Key);
  const where = parseCopySource(input.CopySource);
  if (isSelfCopy(input, where)) {
    throw new InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  if (input.MetadataDirective !== undefined && input.MetadataDirective !== 'COPY' && input.MetadataDirective !== 'REPLACE') {
    throw new InvalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', input.MetadataDirective);
  }
  const source = await readCopySource(ctx, where, input);
  const staged = await stageCopy(ctx, source, requestedChecksum({ ChecksumAlgorithm: input.ChecksumAlgorithm }));
  return { ...input, staged, source };
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
  const attributes = { ...(await newObjectAttributes(ctx, bucket, copiedHeaders(input, source.version), [staged.blob])), checksum: staged.checksum };
  const etag = `"${staged.md5}"`;
  const lastModified = lastModifiedAt(ctx.now);
  const versionId = await writeObject(ctx, bucket, { key, lastModified, size: staged.blob.size, etag, attributes });
  return {
    CopyObjectResult: { ETag: etag, LastModified: new Date(lastModified), ...checksumOutput(staged.checksum) },
    VersionId: versionId,
    CopySourceVersionId: source.versioned ? source.version.versionId : undefined,
    ...encryptionOutput(attributes.encryption),
  };
};
