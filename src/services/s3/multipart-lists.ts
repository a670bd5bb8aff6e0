/**
 * @module
 * Listing multipart state: ListParts (by part number) and ListMultipartUploads (by key, then by
 * initiation, with prefix, delimiter and markers).
 */
import type {
  ListMultipartUploadsCommandInput, ListMultipartUploadsCommandOutput, ListPartsCommandInput, ListPartsCommandOutput,
} from '@aws-sdk/client-s3';
import type { S3Upload } from '../../store/types.js';
import type { Handler, Out } from '../service.js';
import { bucketScope, getBucket } from './buckets.js';
import { CHECKSUM_MEMBERS } from './checksums.js';
import { InvalidArgument } from './errors.js';
import { encodeKey, itemsOf, lastKey, pageSize, prefixesOf, urlEncoded, walk, type Cursor } from './listing.js';
import { partAttributes, requireUpload, uploadAttributes } from './multipart.js';

/** ListParts: the parts of an upload after PartNumberMarker, MaxParts (default 1,000) at a time. */
export const listParts: Handler<ListPartsCommandInput, Out<ListPartsCommandOutput>> = async (input, ctx) => {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const upload = await requireUpload(ctx, bucket, input.UploadId, input.Key);
  const marker = input.PartNumberMarker === undefined ? 0 : Number(input.PartNumberMarker);
  if (!Number.isInteger(marker) || marker < 0) throw new InvalidArgument('Provided part-number-marker not an integer or within integer range', 'part-number-marker', input.PartNumberMarker);
  const max = pageSize(input.MaxParts, 'max-parts');
  const parts = await ctx.tx.s3Uploads.listParts(bucketScope(bucket), upload.uploadId, { after: marker, limit: max + 1 });
  const page = parts.slice(0, max);
  const truncated = parts.length > max;
  const attributes = uploadAttributes(upload);
  const algorithm = attributes.checksumAlgorithm;
  return {
    Bucket: bucket.name,
    Key: upload.key,
    UploadId: upload.uploadId,
    PartNumberMarker: String(marker),
    NextPartNumberMarker: page.length > 0 ? String(page[page.length - 1]!.partNumber) : undefined,
    MaxParts: max,
    IsTruncated: truncated,
    Parts: page.map((p) => ({
      PartNumber: p.partNumber, LastModified: new Date(p.lastModified), ETag: p.etag, Size: p.size,
      ...(algorithm && partAttributes(p).checksum ? { [CHECKSUM_MEMBERS[algorithm]]: partAttributes(p).checksum } : {}),
    })),
    Initiator: { ID: attributes.initiator },
    Owner: { ID: attributes.object.owner },
    StorageClass: (attributes.object.storageClass ?? 'STANDARD') as ListPartsCommandOutput['StorageClass'],
    ChecksumAlgorithm: algorithm,
    ChecksumType: attributes.checksumType,
  };
};

/** ListMultipartUploads: uploads in progress, by key then initiation, rolled up by delimiter. */
export const listMultipartUploads: Handler<ListMultipartUploadsCommandInput, Out<ListMultipartUploadsCommandOutput>> = async (input, ctx) => {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const scope = bucketScope(bucket);
  const encoded = urlEncoded(input.EncodingType);
  const encode = (value: string | undefined) => (encoded && value !== undefined ? encodeKey(value) : value);
  const prefix = input.Prefix ?? '';
  const delimiter = input.Delimiter || undefined;
  const max = pageSize(input.MaxUploads, 'max-uploads');
  const keyMarker = input.KeyMarker || undefined;
  const start = keyMarker && input.UploadIdMarker ? { after: keyMarker, afterUploadId: input.UploadIdMarker } : undefined;
  const { entries, truncated } = await walk<S3Upload, Cursor & { afterUploadId?: string }>({
    prefix,
    delimiter,
    marker: keyMarker,
    start,
    max,
    fetch: (cursor, limit) => ctx.tx.s3Uploads.list(scope, bucket.name, { prefix, ...cursor, limit }),
    keyOf: (u) => u.key,
    next: (u) => ({ after: u.key, afterUploadId: u.uploadId }),
  });
  const uploads = itemsOf(entries);
  const last = entries[entries.length - 1];
  const prefixes = prefixesOf(entries);
  return {
    Bucket: bucket.name,
    KeyMarker: encode(input.KeyMarker ?? ''),
    UploadIdMarker: input.UploadIdMarker ?? '',
    NextKeyMarker: truncated ? encode(lastKey(entries, (u) => u.key)) : undefined,
    NextUploadIdMarker: truncated && last && 'item' in last ? last.item.uploadId : undefined,
    Prefix: encode(prefix),
    Delimiter: encode(delimiter),
    MaxUploads: max,
    IsTruncated: truncated,
    Uploads: uploads.map((u) => {
      const attributes = uploadAttributes(u);
      return {
        UploadId: u.uploadId, Key: encode(u.key), Initiated: new Date(u.initiated),
        StorageClass: (attributes.object.storageClass ?? 'STANDARD') as 'STANDARD',
        Owner: { ID: attributes.object.owner }, Initiator: { ID: attributes.initiator },
        ChecksumAlgorithm: attributes.checksumAlgorithm, ChecksumType: attributes.checksumType,
      };
    }),
    CommonPrefixes: prefixes.length > 0 ? prefixes.map((p) => ({ Prefix: encode(p) })) : undefined,
    EncodingType: input.EncodingType,
  };
};
