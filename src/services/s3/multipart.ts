/**
 * @module
 * Multipart uploads: CreateMultipartUpload, UploadPart and UploadPartCopy (staged in `prepare`),
 * CompleteMultipartUpload (the object is its parts' blobs, read back to back: nothing is copied),
 * AbortMultipartUpload, ListParts, ListMultipartUploads. The ETag of the object is
 * `"<MD5 of the parts' binary MD5s>-<number of parts>"`, as S3 computes it.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
import { createHash } from 'node:crypto';
import type {
  AbortMultipartUploadCommandInput, AbortMultipartUploadCommandOutput, CompleteMultipartUploadCommandInput, CompleteMultipartUploadCommandOutput,
  CreateMultipartUploadCommandInput, CreateMultipartUploadCommandOutput, UploadPartCommandInput, UploadPartCommandOutput,
  UploadPartCopyCommandInput, UploadPartCopyCommandOutput,
} from '@aws-sdk/client-s3';
import type { BlobInfo } from '../../blob/blob-store.js';
import { randomString } from '../../core/ids.js';
import type { S3Part, S3Upload } from '../../store/types.js';
import type { CallContext, Handler, Out, PrepareContext } from '../service.js';
import { bucketScope, findBucket, getBucket, type BucketDocument } from './buckets.js';
import { CHECKSUM_MEMBERS, checksumOutput, type ChecksumMembers, compositeChecksum, requestedChecksum, type S3ChecksumAlgorithm, type StoredChecksum } from './checksums.js';
import { parseRange } from './conditions.js';
import { parseCopySource, readCopySource, stageCopy, type ReadSource } from './copy.js';
import { encryptionOutput } from './encryption.js';
import {
  EntityTooSmall, InvalidArgument, InvalidPart, InvalidPartOrder, InvalidRequest, MalformedXML, NoSuchBucket, NoSuchUpload,
} from './errors.js';
import { checkWriteConditions } from './object-handlers.js';
import { checkKey, newObjectAttributes } from './object-writes.js';
import { releaseBlobs, lastModifiedAt, writeObject, type ObjectAttributes } from './objects.js';
import { callAccess, prepareAccess, type SseKms } from './sse-kms.js';
import { stageBody, type StagedBody, type WithStaged } from './staging.js';

/** The smallest part other than the last (5 MiB). */
const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;

/** What an upload keeps: the attributes its object will have, and its checksum settings. */
export interface UploadAttributes {
  readonly object: ObjectAttributes;
  readonly initiator: string;
  readonly checksumAlgorithm?: S3ChecksumAlgorithm;
  readonly checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
}

/** What a part keeps. */
export interface PartAttributes {
  readonly blob: BlobInfo;
  readonly checksum?: string;
}

/** The attributes of a stored upload. */
export function uploadAttributes(upload: S3Upload): UploadAttributes {
  return upload.attributes as UploadAttributes;
}

/** The attributes of a stored part. */
export function partAttributes(part: S3Part): PartAttributes {
  return part.attributes as PartAttributes;
}

/** A new upload id: the time first, so that ids sort by initiation, as S3 lists them. */
function newUploadId(now: number): string {
  return now.toString(36).padStart(9, '0') + randomString(55);
}

/** The upload a call names, in a bucket; NoSuchUpload when it is not in progress (or is for another key). */
export async function requireUpload(ctx: Pick<CallContext, 'tx'>, bucket: BucketDocument, uploadId: string | undefined, key: string | undefined): Promise<S3Upload> {
  const upload = uploadId ? await ctx.tx.s3Uploads.get(bucketScope(bucket), bucket.name, uploadId) : undefined;
  if (!upload || upload.key !== key) throw new NoSuchUpload(uploadId ?? '');
  return upload;
}

/** Releases the blobs of parts and removes every upload of a bucket (DeleteBucket). */
export async function abortAllUploads(ctx: CallContext, bucket: BucketDocument): Promise<void> {
  const scope = bucketScope(bucket);
  for (let uploads = await ctx.tx.s3Uploads.list(scope, bucket.name, { limit: 1000 }); uploads.length > 0; uploads = await ctx.tx.s3Uploads.list(scope, bucket.name, { limit: 1000 })) {
    for (const upload of uploads) {
      const parts = await ctx.tx.s3Uploads.delete(scope, bucket.name, upload.uploadId);
      await releaseBlobs(ctx, scope, parts.map((p) => partAttributes(p).blob));
    }
  }
}

/** CreateMultipartUpload: an upload whose object will have the headers given now. */
export const createMultipartUpload = (sse: SseKms): Handler<CreateMultipartUploadCommandInput, Out<CreateMultipartUploadCommandOutput>> => async (input, ctx) => {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const key = checkKey(input.Key);
  const written = await newObjectAttributes(ctx, bucket, input, []);
  const sealing = written.encryption ? await sse.sealing(callAccess(ctx), written.encryption, bucket, key) : undefined;
  const object: ObjectAttributes = { ...written, encryption: sealing?.encryption ?? written.encryption };
  const { algorithm } = requestedChecksum({ ChecksumAlgorithm: input.ChecksumAlgorithm });
  const checksumType = input.ChecksumType ?? (algorithm === undefined ? undefined : algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
  if (checksumType === 'FULL_OBJECT' && (algorithm === 'SHA1' || algorithm === 'SHA256')) {
    throw new InvalidRequest(`The ${algorithm} checksum algorithm does not support the FULL_OBJECT checksum type.`);
  }
  const uploadId = newUploadId(ctx.now);
  const attributes: UploadAttributes = { object, initiator: ctx.principal.arn, checksumAlgorithm: algorithm, checksumType };
  await ctx.tx.s3Uploads.put(bucketScope(bucket), { bucket: bucket.name, key, uploadId, initiated: ctx.now, attributes });
  return {
    Bucket: bucket.name, Key: key, UploadId: uploadId, ChecksumAlgorithm: algorithm, ChecksumType: checksumType,
    ...encryptionOutput(object.encryption),
  };
};

function checkPartNumber(partNumber: number | undefined): number {
  if (partNumber === undefined || !Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new InvalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(partNumber));
  }
  return partNumber;
}

async function readUpload(ctx: PrepareContext, input: { Bucket?: string; Key?: string; UploadId?: string }): Promise<{ bucket: BucketDocument; upload: S3Upload }> {
  return ctx.env.store.read(async (tx) => {
    const bucket = await findBucket(tx, input.Bucket ?? '');
    if (!bucket) throw new NoSuchBucket(input.Bucket ?? '');
    return { bucket, upload: await requireUpload({ tx }, bucket, input.UploadId, input.Key) };
  });
}

/** The data key an SSE-KMS upload's parts are sealed under (the caller needs kms:Decrypt on its key). */
function partKey(ctx: PrepareContext, sse: SseKms, bucket: BucketDocument, upload: S3Upload): Promise<Buffer | undefined> {
  return sse.opening(prepareAccess(ctx), uploadAttributes(upload).object.encryption, bucket, upload.key);
}

/** The checksum a part keeps: the upload's algorithm, which the part may not contradict. */
function partChecksum(upload: S3Upload, input: ChecksumMembers) {
  const asked = requestedChecksum(input);
  const algorithm = uploadAttributes(upload).checksumAlgorithm;
  if (asked.algorithm !== undefined && algorithm !== undefined && asked.algorithm !== algorithm) {
    throw new InvalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${algorithm.toLowerCase()}, actual checksum Type: ${asked.algorithm.toLowerCase()}`);
  }
  return { algorithm: algorithm ?? asked.algorithm, claimed: asked.claimed };
}

/** UploadPart's input once prepared. */
export type UploadPartInput = WithStaged<UploadPartCommandInput>;

/** Stages a part's body before the transaction, once its upload is known to be in progress. */
export async function prepareUploadPart(input: UploadPartInput, ctx: PrepareContext, sse: SseKms): Promise<UploadPartInput> {
  checkPartNumber(input.PartNumber);
  const { bucket, upload } = await readUpload(ctx, input);
  const checksum = partChecksum(upload, input);
  const staged = await stageBody(ctx.env.blobs, input.Body, checksum, await partKey(ctx, sse, bucket, upload));
  return { ...input, Body: undefined, staged };
}

async function recordPart(ctx: CallContext, input: { Bucket?: string; Key?: string; UploadId?: string; PartNumber?: number; ExpectedBucketOwner?: string }, staged: StagedBody) {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const upload = await requireUpload(ctx, bucket, input.UploadId, input.Key);
  const etag = `"${staged.md5}"`;
  const lastModified = lastModifiedAt(ctx.now);
  const attributes: PartAttributes = { blob: staged.blob, checksum: staged.checksum?.value };
  const replaced = await ctx.tx.s3Uploads.putPart(bucketScope(bucket), {
    uploadId: upload.uploadId, partNumber: checkPartNumber(input.PartNumber), lastModified, size: staged.size, etag, attributes,
  });
  if (replaced) await releaseBlobs(ctx, bucketScope(bucket), [partAttributes(replaced).blob]);
  return { etag, lastModified, encryption: encryptionOutput(uploadAttributes(upload).object.encryption) };
}

/** UploadPart: records a staged part (replacing a part with the same number). */
export const uploadPart: Handler<UploadPartInput, Out<UploadPartCommandOutput>> = async (input, ctx) => {
  const { etag, encryption } = await recordPart(ctx, input, input.staged!);
  return { ETag: etag, ...checksumOutput(input.staged!.checksum), ChecksumType: undefined, ...encryption };
};

/** UploadPartCopy's input once prepared. */
export type UploadPartCopyInput = WithStaged<UploadPartCopyCommandInput> & { source?: ReadSource };

/** Copies a part's bytes (all of a source, or `x-amz-copy-source-range` of it) before the transaction. */
export async function prepareUploadPartCopy(input: UploadPartCopyInput, ctx: PrepareContext, sse: SseKms): Promise<UploadPartCopyInput> {
  checkPartNumber(input.PartNumber);
  const { bucket, upload } = await readUpload(ctx, input);
  const source = await readCopySource(ctx, parseCopySource(input.CopySource), input);
  let range;
  if (input.CopySourceRange !== undefined) {
    const valid = /^bytes=\d+-\d+$/.test(input.CopySourceRange);
    range = valid ? parseRange(input.CopySourceRange, source.version.size) : undefined;
    if (!range || range.end >= source.version.size || Number(input.CopySourceRange.split('-')[1]) >= source.version.size) {
      throw new InvalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', input.CopySourceRange);
    }
  }
  const staged = await stageCopy(ctx, sse, source, { algorithm: uploadAttributes(upload).checksumAlgorithm }, range, await partKey(ctx, sse, bucket, upload));
  return { ...input, staged, source };
}

/** UploadPartCopy: records a part copied from another object. */
export const uploadPartCopy: Handler<UploadPartCopyInput, Out<UploadPartCopyCommandOutput>> = async (input, ctx) => {
  const { etag, lastModified, encryption } = await recordPart(ctx, input, input.staged!);
  return {
    CopyPartResult: { ETag: etag, LastModified: new Date(lastModified), ...checksumOutput(input.staged!.checksum), ChecksumType: undefined },
    CopySourceVersionId: input.source!.versioned ? input.source!.version.versionId : undefined,
    ...encryption,
  };
};

/** The parts a CompleteMultipartUpload names, checked against those uploaded. */
async function chosenParts(ctx: CallContext, bucket: BucketDocument, upload: S3Upload, input: CompleteMultipartUploadCommandInput): Promise<{ chosen: S3Part[]; unused: S3Part[] }> {
  const listed = input.MultipartUpload?.Parts ?? [];
  if (listed.length === 0) throw new MalformedXML();
  const uploaded = new Map((await ctx.tx.s3Uploads.listParts(bucketScope(bucket), upload.uploadId)).map((p) => [p.partNumber, p]));
  const chosen: S3Part[] = [];
  let previous = 0;
  for (const part of listed) {
    const number = part.PartNumber ?? 0;
    if (number <= previous) throw new InvalidPartOrder();
    previous = number;
    const found = uploaded.get(number);
    const etag = part.ETag?.startsWith('"') ? part.ETag : `"${part.ETag}"`;
    if (!found || found.etag !== etag) throw new InvalidPart();
    chosen.push(found);
  }
  if (chosen.slice(0, -1).some((p) => p.size < MIN_PART_BYTES)) throw new EntityTooSmall();
  const used = new Set(chosen.map((p) => p.partNumber));
  return { chosen, unused: [...uploaded.values()].filter((p) => !used.has(p.partNumber)) };
}

function multipartChecksum(attributes: UploadAttributes, chosen: readonly S3Part[], input: CompleteMultipartUploadCommandInput): StoredChecksum | undefined {
  const algorithm = attributes.checksumAlgorithm;
  if (algorithm === undefined) return undefined;
  const values = chosen.map((p) => partAttributes(p).checksum);
  if (values.some((v) => v === undefined)) return undefined;
  if (attributes.checksumType === 'FULL_OBJECT') {
    const claimed = (input as ChecksumMembers)[CHECKSUM_MEMBERS[algorithm]];
    return claimed === undefined ? undefined : { algorithm, value: claimed, type: 'FULL_OBJECT' };
  }
  return compositeChecksum(algorithm, values as string[]);
}

/** CompleteMultipartUpload: the object made of the parts listed, in order; the others are released. */
export const completeMultipartUpload: Handler<CompleteMultipartUploadCommandInput, Out<CompleteMultipartUploadCommandOutput>> = async (input, ctx) => {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const key = checkKey(input.Key);
  const upload = await requireUpload(ctx, bucket, input.UploadId, key);
  await checkWriteConditions(ctx, bucket, key, input);
  const { chosen, unused } = await chosenParts(ctx, bucket, upload, input);
  const md5 = createHash('md5');
  for (const part of chosen) md5.update(Buffer.from(part.etag.slice(1, -1), 'hex'));
  const etag = `"${md5.digest('hex')}-${chosen.length}"`;
  const attributes = uploadAttributes(upload);
  const checksum = multipartChecksum(attributes, chosen, input);
  const object: ObjectAttributes = { ...attributes.object, blobs: chosen.map((p) => partAttributes(p).blob), partsCount: chosen.length, checksum };
  const size = chosen.reduce((sum, p) => sum + p.size, 0);
  const scope = bucketScope(bucket);
  await ctx.tx.s3Uploads.delete(scope, bucket.name, upload.uploadId);
  await releaseBlobs(ctx, scope, unused.map((p) => partAttributes(p).blob));
  const versionId = await writeObject(ctx, bucket, { key, lastModified: lastModifiedAt(ctx.now), size, etag, attributes: object });
  const host = ctx.request.host ?? 's3.amazonaws.com';
  return {
    Location: `http://${host}/${bucket.name}/${key.split('/').map(encodeURIComponent).join('/')}`,
    Bucket: bucket.name, Key: key, ETag: etag, VersionId: versionId,
    ...checksumOutput(checksum), ...encryptionOutput(object.encryption),
  };
};

/** AbortMultipartUpload: removes an upload and releases its parts. */
export const abortMultipartUpload: Handler<AbortMultipartUploadCommandInput, Out<AbortMultipartUploadCommandOutput>> = async (input, ctx) => {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const upload = await requireUpload(ctx, bucket, input.UploadId, input.Key);
  const parts = await ctx.tx.s3Uploads.delete(bucketScope(bucket), bucket.name, upload.uploadId);
  await releaseBlobs(ctx, bucketScope(bucket), parts.map((p) => partAttributes(p).blob));
  return {};
};
