/**
 * @module
 * Listing objects: ListObjects (v1, marker), ListObjectsV2 (continuation token, start-after) and
 * ListObjectVersions (key and version-id markers), with prefix, delimiter and `encoding-type=url`.
 */
import type {
  ListObjectVersionsCommandInput, ListObjectVersionsCommandOutput, ListObjectsCommandInput, ListObjectsCommandOutput,
  ListObjectsV2CommandInput, ListObjectsV2CommandOutput, _Object,
} from '@aws-sdk/client-s3';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { StoredS3ObjectVersion } from '../../store/types.js';
import type { CallContext, Handler, Out } from '../service.js';
import { bucketScope, getBucket, type BucketDocument } from './buckets.js';
import { InvalidArgument } from './errors.js';
import { encodeKey, itemsOf, lastKey, pageSize, prefixesOf, urlEncoded, walk, type Cursor, type Entry } from './listing.js';
import { attributesOf, checkVersionId, type ObjectVersion } from './objects.js';

interface ListRequest {
  readonly bucket: BucketDocument;
  readonly prefix: string;
  readonly delimiter?: string;
  readonly max: number;
  readonly encode: (value: string | undefined) => string | undefined;
}

async function listRequest(ctx: CallContext, input: ListObjectsCommandInput): Promise<ListRequest> {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const encoded = urlEncoded(input.EncodingType);
  return {
    bucket,
    prefix: input.Prefix ?? '',
    delimiter: input.Delimiter || undefined,
    max: pageSize(input.MaxKeys, 'max-keys'),
    encode: (value) => (encoded && value !== undefined ? encodeKey(value) : value),
  };
}

function walkCurrent(ctx: CallContext, request: ListRequest, marker: string | undefined) {
  const scope = bucketScope(request.bucket);
  return walk<StoredS3ObjectVersion, Cursor>({
    prefix: request.prefix,
    delimiter: request.delimiter,
    marker,
    max: request.max,
    fetch: (cursor, limit) => ctx.tx.s3Objects.list(scope, request.bucket.name, { prefix: request.prefix, ...cursor, limit }),
    keyOf: (v) => v.key,
    next: (v) => ({ after: v.key }),
  });
}

function owner(version: StoredS3ObjectVersion): { ID: string } {
  return { ID: attributesOf(version).owner };
}

function content(version: StoredS3ObjectVersion, request: ListRequest, withOwner: boolean): _Object {
  const a = attributesOf(version);
  return {
    Key: request.encode(version.key),
    LastModified: new Date(version.lastModified),
    ETag: version.etag,
    ChecksumAlgorithm: a.checksum ? [a.checksum.algorithm] : undefined,
    ChecksumType: a.checksum?.type,
    Size: version.size,
    StorageClass: (a.storageClass ?? 'STANDARD') as _Object['StorageClass'],
    Owner: withOwner ? owner(version) : undefined,
  };
}

function commonPrefixes<T>(entries: readonly Entry<T>[], request: ListRequest): { Prefix?: string }[] | undefined {
  const prefixes = prefixesOf(entries);
  return prefixes.length > 0 ? prefixes.map((p) => ({ Prefix: request.encode(p) })) : undefined;
}

/** ListObjects (v1): up to max-keys entries after the marker; NextMarker when a delimiter was given. */
export const listObjects: Handler<ListObjectsCommandInput, Out<ListObjectsCommandOutput>> = async (input, ctx) => {
  const request = await listRequest(ctx, input);
  const { entries, truncated } = await walkCurrent(ctx, request, input.Marker || undefined);
  const objects = itemsOf(entries);
  return {
    IsTruncated: truncated,
    Marker: request.encode(input.Marker ?? ''),
    NextMarker: truncated && request.delimiter ? request.encode(lastKey(entries, (v) => v.key)) : undefined,
    Contents: objects.length > 0 ? objects.map((v) => content(v, request, true)) : undefined,
    Name: request.bucket.name,
    Prefix: request.encode(request.prefix),
    Delimiter: request.encode(request.delimiter),
    MaxKeys: request.max,
    CommonPrefixes: commonPrefixes(entries, request),
    EncodingType: input.EncodingType,
  };
};

/** ListObjectsV2: like v1, resumed by an opaque continuation token (or after StartAfter). */
export const listObjectsV2: Handler<ListObjectsV2CommandInput, Out<ListObjectsV2CommandOutput>> = async (input, ctx) => {
  const request = await listRequest(ctx, input);
  const tokenParams = { bucket: request.bucket.name };
  let marker = input.StartAfter || undefined;
  if (input.ContinuationToken !== undefined) {
    marker = decodeToken<string>(input.ContinuationToken, tokenParams);
    if (marker === undefined) throw new InvalidArgument('The continuation token provided is incorrect', 'continuation-token', input.ContinuationToken);
  }
  const { entries, truncated } = await walkCurrent(ctx, request, marker);
  const objects = itemsOf(entries);
  const next = truncated ? lastKey(entries, (v) => v.key) : undefined;
  return {
    IsTruncated: truncated,
    Contents: objects.length > 0 ? objects.map((v) => content(v, request, input.FetchOwner === true)) : undefined,
    Name: request.bucket.name,
    Prefix: request.encode(request.prefix),
    Delimiter: request.encode(request.delimiter),
    MaxKeys: request.max,
    CommonPrefixes: commonPrefixes(entries, request),
    EncodingType: input.EncodingType,
    KeyCount: entries.length,
    ContinuationToken: input.ContinuationToken,
    NextContinuationToken: next !== undefined ? encodeToken(next, tokenParams) : undefined,
    StartAfter: request.encode(input.StartAfter),
  };
};

/** ListObjectVersions: every version and delete marker, by key then newest first. */
export const listObjectVersions: Handler<ListObjectVersionsCommandInput, Out<ListObjectVersionsCommandOutput>> = async (input, ctx) => {
  const request = await listRequest(ctx, input);
  const scope = bucketScope(request.bucket);
  if (input.VersionIdMarker && !input.KeyMarker) throw new InvalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', input.VersionIdMarker);
  let start: (Cursor & { afterVersion?: number }) | undefined;
  if (input.KeyMarker && input.VersionIdMarker) {
    checkVersionId(input.VersionIdMarker);
    const at = await ctx.tx.s3Objects.get(scope, request.bucket.name, input.KeyMarker, input.VersionIdMarker);
    if (!at) throw new InvalidArgument('Invalid version id specified', 'version-id-marker', input.VersionIdMarker);
    start = { after: input.KeyMarker, afterVersion: at.seq };
  }
  const { entries, truncated } = await walk<StoredS3ObjectVersion, Cursor & { afterVersion?: number }>({
    prefix: request.prefix,
    delimiter: request.delimiter,
    marker: input.KeyMarker || undefined,
    start,
    max: request.max,
    fetch: (cursor, limit) => ctx.tx.s3Objects.listVersions(scope, request.bucket.name, { prefix: request.prefix, ...cursor, limit }),
    keyOf: (v) => v.key,
    next: (v) => ({ after: v.key, afterVersion: v.seq }),
  });
  const versions = itemsOf(entries) as ObjectVersion[];
  const last = entries[entries.length - 1];
  const lastVersion = truncated && last && 'item' in last ? last.item : undefined;
  return {
    IsTruncated: truncated,
    KeyMarker: request.encode(input.KeyMarker ?? ''),
    VersionIdMarker: input.VersionIdMarker ?? '',
    NextKeyMarker: truncated ? request.encode(lastKey(entries, (v) => v.key)) : undefined,
    NextVersionIdMarker: lastVersion?.versionId,
    Versions: versions.filter((v) => !v.deleteMarker).map((v) => ({
      ...content(v, request, true), StorageClass: 'STANDARD' as const, VersionId: v.versionId, IsLatest: v.isLatest,
    })),
    DeleteMarkers: versions.filter((v) => v.deleteMarker).map((v) => ({
      Key: request.encode(v.key), VersionId: v.versionId, IsLatest: v.isLatest, LastModified: new Date(v.lastModified), Owner: owner(v),
    })),
    Name: request.bucket.name,
    Prefix: request.encode(request.prefix),
    Delimiter: request.encode(request.delimiter),
    MaxKeys: request.max,
    CommonPrefixes: commonPrefixes(entries, request),
    EncodingType: input.EncodingType,
  };
};
