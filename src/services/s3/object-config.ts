/**
 * @module
 * What is kept on an object version beside its bytes: its ACL, its tags, its object lock retention
 * and legal hold; and GetObjectAttributes. Changing them changes the version in place.
 */
import type * as S3 from '@aws-sdk/client-s3';
import type { CallContext, Handler, Out } from '../service.js';
import { isPublicAcl, privateAcl, requestedAcl, toAccessControlPolicy } from './acl.js';
import { bucketScope, getBucket, type BucketDocument } from './buckets.js';
import { CHECKSUM_MEMBERS } from './checksums.js';
import {
  AccessControlListNotSupported, AccessDenied, InvalidArgument, InvalidRequest, MalformedXML, MissingRequestBodyError, NoSuchConfiguration,
} from './errors.js';
import { attributesOf, readableVersion, type ObjectAttributes, type ObjectVersion } from './objects.js';
import { partSizes } from './object-bytes.js';
import { effectivePublicAccessBlock } from './public-access-block.js';
import { checkTags } from './tags.js';

interface ObjectInput {
  Bucket?: string;
  Key?: string;
  VersionId?: string;
  ExpectedBucketOwner?: string;
}

async function target(ctx: CallContext, input: ObjectInput, method: string): Promise<{ bucket: BucketDocument; version: ObjectVersion }> {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  return { bucket, version: await readableVersion(ctx, bucket, input.Key ?? '', input.VersionId, method) };
}

async function change(ctx: CallContext, input: ObjectInput, update: (a: ObjectAttributes, bucket: BucketDocument) => ObjectAttributes | Promise<ObjectAttributes>): Promise<{ VersionId?: string }> {
  const { bucket, version } = await target(ctx, input, 'PUT');
  const attributes = await update(attributesOf(version), bucket);
  await ctx.tx.s3Objects.setAttributes(bucketScope(bucket), bucket.name, version.key, version.versionId, attributes);
  return { VersionId: bucket.versioning !== undefined ? version.versionId : undefined };
}

/** PutObjectAcl: refused on buckets whose object ownership is BucketOwnerEnforced. */
export const putObjectAcl: Handler<S3.PutObjectAclCommandInput, Out<S3.PutObjectAclCommandOutput>> = async (input, ctx) => {
  await change(ctx, input, async (attributes, bucket) => {
    if (bucket.ownership === 'BucketOwnerEnforced') throw new AccessControlListNotSupported();
    const acl = requestedAcl(input, attributes.owner, bucket.acl.owner);
    if (!acl) throw new MalformedXML();
    if (isPublicAcl(acl) && (await effectivePublicAccessBlock(ctx.tx, bucket)).BlockPublicAcls) throw new AccessDenied();
    return { ...attributes, acl };
  });
  return {};
};

/** GetObjectAcl. */
export const getObjectAcl: Handler<S3.GetObjectAclCommandInput, Out<S3.GetObjectAclCommandOutput>> = async (input, ctx) => {
  const { version } = await target(ctx, input, 'GET');
  const attributes = attributesOf(version);
  return toAccessControlPolicy(attributes.acl ?? privateAcl(attributes.owner));
};

/** PutObjectTagging: replaces the version's tags. */
export const putObjectTagging: Handler<S3.PutObjectTaggingCommandInput, Out<S3.PutObjectTaggingCommandOutput>> = async (input, ctx) => {
  if (!input.Tagging) throw new MissingRequestBodyError();
  const tags = checkTags(input.Tagging.TagSet ?? [], 'object');
  return change(ctx, input, (attributes) => ({ ...attributes, tags: tags.length > 0 ? tags : undefined }));
};

/** GetObjectTagging. */
export const getObjectTagging: Handler<S3.GetObjectTaggingCommandInput, Out<S3.GetObjectTaggingCommandOutput>> = async (input, ctx) => {
  const { bucket, version } = await target(ctx, input, 'GET');
  return { TagSet: [...(attributesOf(version).tags ?? [])], VersionId: bucket.versioning !== undefined ? version.versionId : undefined };
};

/** DeleteObjectTagging. */
export const deleteObjectTagging: Handler<S3.DeleteObjectTaggingCommandInput, Out<S3.DeleteObjectTaggingCommandOutput>> = async (input, ctx) =>
  change(ctx, input, (attributes) => ({ ...attributes, tags: undefined }));

function requireLock(bucket: BucketDocument): void {
  if (!bucket.objectLockEnabled) throw new InvalidRequest('Bucket is missing Object Lock Configuration');
}

/** PutObjectRetention: COMPLIANCE may only be extended; GOVERNANCE may be shortened with the bypass header. */
export const putObjectRetention: Handler<S3.PutObjectRetentionCommandInput, Out<S3.PutObjectRetentionCommandOutput>> = async (input, ctx) => {
  const retention = input.Retention;
  if (!retention?.Mode || !retention.RetainUntilDate) throw new MalformedXML();
  const until = retention.RetainUntilDate.getTime();
  if (until <= ctx.now) throw new InvalidArgument('The retain until date must be in the future!', 'RetainUntilDate');
  await change(ctx, input, (attributes, bucket) => {
    requireLock(bucket);
    const current = attributes.retention;
    const shortening = current !== undefined && current.retainUntil > ctx.now && (until < current.retainUntil || retention.Mode !== current.mode);
    if (shortening && (current.mode === 'COMPLIANCE' || input.BypassGovernanceRetention !== true)) throw new AccessDenied();
    return { ...attributes, retention: { mode: retention.Mode!, retainUntil: until } };
  });
  return {};
};

/** GetObjectRetention. */
export const getObjectRetention: Handler<S3.GetObjectRetentionCommandInput, Out<S3.GetObjectRetentionCommandOutput>> = async (input, ctx) => {
  const { bucket, version } = await target(ctx, input, 'GET');
  requireLock(bucket);
  const retention = attributesOf(version).retention;
  if (!retention) throw new NoSuchConfiguration('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', bucket.name);
  return { Retention: { Mode: retention.mode, RetainUntilDate: new Date(retention.retainUntil) } };
};

/** PutObjectLegalHold. */
export const putObjectLegalHold: Handler<S3.PutObjectLegalHoldCommandInput, Out<S3.PutObjectLegalHoldCommandOutput>> = async (input, ctx) => {
  const status = input.LegalHold?.Status;
  if (status !== 'ON' && status !== 'OFF') throw new MalformedXML();
  await change(ctx, input, (attributes, bucket) => {
    requireLock(bucket);
    return { ...attributes, legalHold: status };
  });
  return {};
};

/** GetObjectLegalHold. */
export const getObjectLegalHold: Handler<S3.GetObjectLegalHoldCommandInput, Out<S3.GetObjectLegalHoldCommandOutput>> = async (input, ctx) => {
  const { bucket, version } = await target(ctx, input, 'GET');
  requireLock(bucket);
  const status = attributesOf(version).legalHold;
  if (!status) throw new NoSuchConfiguration('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', bucket.name);
  return { LegalHold: { Status: status } };
};

const ATTRIBUTE_NAMES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);

/** GetObjectAttributes: the attributes asked for in `x-amz-object-attributes`. */
export const getObjectAttributes: Handler<S3.GetObjectAttributesCommandInput, Out<S3.GetObjectAttributesCommandOutput>> = async (input, ctx) => {
  const wanted = new Set(input.ObjectAttributes ?? []);
  if (wanted.size === 0 || [...wanted].some((a) => !ATTRIBUTE_NAMES.has(a))) {
    throw new InvalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', [...wanted].join(','));
  }
  const { bucket, version } = await target(ctx, input, 'GET');
  const a = attributesOf(version);
  const checksum = a.checksum;
  const parts = a.partsCount !== undefined ? partSizes(a) : undefined;
  const marker = Number(input.PartNumberMarker ?? 0);
  const max = input.MaxParts ?? 1000;
  const listed = parts?.map((size, i) => ({ PartNumber: i + 1, Size: size })).filter((p) => p.PartNumber > marker).slice(0, max);
  return {
    LastModified: new Date(version.lastModified),
    VersionId: bucket.versioning !== undefined ? version.versionId : undefined,
    ETag: wanted.has('ETag') ? version.etag.replace(/"/g, '') : undefined,
    Checksum: wanted.has('Checksum') && checksum ? { [CHECKSUM_MEMBERS[checksum.algorithm]]: checksum.value, ChecksumType: checksum.type } : undefined,
    ObjectParts: wanted.has('ObjectParts') && parts ? {
      TotalPartsCount: parts.length, PartNumberMarker: String(marker), MaxParts: max, Parts: listed,
      IsTruncated: (listed?.length ?? 0) > 0 && listed![listed!.length - 1]!.PartNumber < parts.length,
      NextPartNumberMarker: listed?.length ? String(listed[listed.length - 1]!.PartNumber) : undefined,
    } : undefined,
    StorageClass: wanted.has('StorageClass') ? ((a.storageClass ?? 'STANDARD') as S3.StorageClass) : undefined,
    ObjectSize: wanted.has('ObjectSize') ? version.size : undefined,
  };
};
