/**
 * @module
 * What every object write (PutObject, CopyObject with REPLACE, CreateMultipartUpload) turns its
 * headers into: content headers, user metadata, owner and ACL (by the bucket's object ownership and
 * Block Public Access), tags, encryption, storage class and object lock retention.
 */
import type { BlobInfo } from '../../blob/blob-store.js';
import type { CallContext } from '../service.js';
import { canonicalUserId, isPublicAcl, privateAcl, requestedAcl, type AclRequest, type StoredAcl } from './acl.js';
import type { BucketDocument } from './buckets.js';
import { objectEncryption, type EncryptionRequest } from './encryption.js';
import {
  AccessControlListNotSupported, AccessDenied, InvalidArgument, InvalidRequest, InvalidStorageClass, KeyTooLongError, MetadataTooLarge,
} from './errors.js';
import type { ObjectAttributes } from './objects.js';
import { effectivePublicAccessBlock } from './public-access-block.js';
import { parseTaggingHeader } from './tags.js';

/** The headers of an object write. */
export interface WriteRequest extends AclRequest, EncryptionRequest {
  ContentType?: string;
  CacheControl?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  Expires?: Date;
  Metadata?: Record<string, string>;
  StorageClass?: string;
  Tagging?: string;
  WebsiteRedirectLocation?: string;
  ObjectLockMode?: string;
  ObjectLockRetainUntilDate?: Date;
  ObjectLockLegalHoldStatus?: string;
}

const STORAGE_CLASSES = new Set([
  'STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR',
]);
const MAX_KEY_BYTES = 1024;
const MAX_METADATA_BYTES = 2048;

/** A key S3 accepts (1 to 1,024 bytes of UTF-8). */
export function checkKey(key: string | undefined): string {
  if (key === undefined || key === '') throw new InvalidArgument('The key must not be empty', 'key', '');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new KeyTooLongError();
  return key;
}

function userMetadata(metadata: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!metadata || Object.keys(metadata).length === 0) return undefined;
  const out: Record<string, string> = {};
  let size = 0;
  for (const [key, value] of Object.entries(metadata)) {
    out[key.toLowerCase()] = value;
    size += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  if (size > MAX_METADATA_BYTES) throw new MetadataTooLarge();
  return out;
}

/** The owner and ACL of a new object, by the bucket's object ownership and Block Public Access. */
async function ownerAndAcl(ctx: CallContext, bucket: BucketDocument, request: AclRequest): Promise<{ owner: string; acl?: StoredAcl }> {
  const bucketOwner = canonicalUserId(bucket.owner);
  const wantsAcl = request.ACL !== undefined || request.GrantFullControl !== undefined || request.GrantRead !== undefined
    || request.GrantReadACP !== undefined || request.GrantWriteACP !== undefined;
  if (bucket.ownership === 'BucketOwnerEnforced') {
    if (wantsAcl && request.ACL !== 'bucket-owner-full-control') throw new AccessControlListNotSupported();
    return { owner: bucketOwner };
  }
  const writer = ctx.principal.type === 'Anonymous' ? bucketOwner : canonicalUserId(ctx.principal.accountId);
  const owner = bucket.ownership === 'BucketOwnerPreferred' && request.ACL === 'bucket-owner-full-control' ? bucketOwner : writer;
  const acl = requestedAcl(request, owner, bucketOwner) ?? privateAcl(owner);
  if (isPublicAcl(acl) && (await effectivePublicAccessBlock(ctx.tx, bucket)).BlockPublicAcls) throw new AccessDenied();
  return { owner, acl };
}

function retention(request: WriteRequest, bucket: BucketDocument, now: number): Pick<ObjectAttributes, 'retention' | 'legalHold'> {
  const asked = request.ObjectLockMode !== undefined || request.ObjectLockRetainUntilDate !== undefined || request.ObjectLockLegalHoldStatus !== undefined;
  if (!bucket.objectLockEnabled) {
    if (asked) throw new InvalidRequest('Bucket is missing Object Lock Configuration');
    return {};
  }
  const legalHold = request.ObjectLockLegalHoldStatus as ObjectAttributes['legalHold'];
  if ((request.ObjectLockMode === undefined) !== (request.ObjectLockRetainUntilDate === undefined)) {
    throw new InvalidArgument('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', 'x-amz-object-lock-mode');
  }
  if (request.ObjectLockMode !== undefined) {
    const mode = request.ObjectLockMode;
    if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') throw new InvalidArgument('Unknown wormMode directive.', 'x-amz-object-lock-mode', mode);
    const until = request.ObjectLockRetainUntilDate!.getTime();
    if (until <= now) throw new InvalidArgument('The retain until date must be in the future!', 'x-amz-object-lock-retain-until-date');
    return { retention: { mode, retainUntil: until }, legalHold };
  }
  const rule = (bucket.config.objectLock as { Rule?: { DefaultRetention?: { Mode?: 'GOVERNANCE' | 'COMPLIANCE'; Days?: number; Years?: number } } } | undefined)?.Rule?.DefaultRetention;
  if (!rule?.Mode) return { legalHold };
  const days = rule.Days ?? (rule.Years ?? 0) * 365;
  return { retention: { mode: rule.Mode, retainUntil: now + days * 86_400_000 }, legalHold };
}

/** The attributes of a new object written with these headers into this bucket, holding `blobs`. */
export async function newObjectAttributes(ctx: CallContext, bucket: BucketDocument, request: WriteRequest, blobs: readonly BlobInfo[]): Promise<ObjectAttributes> {
  if (request.StorageClass !== undefined && !STORAGE_CLASSES.has(request.StorageClass)) throw new InvalidStorageClass();
  const tags = request.Tagging !== undefined ? parseTaggingHeader(request.Tagging) : undefined;
  const { owner, acl } = await ownerAndAcl(ctx, bucket, request);
  return {
    blobs,
    owner,
    contentType: request.ContentType,
    cacheControl: request.CacheControl,
    contentDisposition: request.ContentDisposition,
    contentEncoding: request.ContentEncoding,
    contentLanguage: request.ContentLanguage,
    expires: request.Expires?.toUTCString(),
    metadata: userMetadata(request.Metadata),
    encryption: objectEncryption(request, bucket),
    storageClass: request.StorageClass === 'STANDARD' ? undefined : request.StorageClass,
    tags: tags && tags.length > 0 ? tags : undefined,
    acl,
    websiteRedirectLocation: request.WebsiteRedirectLocation,
    ...retention(request, bucket, ctx.now),
  };
}
