/**
 * @module
 * Objects and their versions, following the bucket's versioning state: writes and deletes make a
 * new version (versioning enabled), replace the null version (never enabled, or suspended), or
 * remove one version by id. Blobs no version refers to any more are released through the outbox
 * (`BLOBS_RELEASED`), in the call's transaction, and deleted after it commits.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
 */
import type { Tag } from '@aws-sdk/client-s3';
import type { BlobInfo } from '../../blob/blob-store.js';
import { randomString } from '../../core/ids.js';
import type { Scope } from '../../core/scope.js';
import type { S3ObjectVersion, StoredS3ObjectVersion } from '../../store/types.js';
import type { CallContext } from '../service.js';
import { canonicalUserId, type StoredAcl } from './acl.js';
import { bucketScope, type BucketDocument } from './buckets.js';
import type { StoredChecksum } from './checksums.js';
import type { StoredEncryption } from './encryption.js';
import { AccessDenied, InvalidArgument, MethodNotAllowed, NoSuchKey, NoSuchVersion } from './errors.js';

/** The outbox kind of blobs to delete once the call that released them has committed. */
export const BLOBS_RELEASED = 's3.BlobsReleased';

/** What S3 keeps with an object version beside its size and ETag. */
export interface ObjectAttributes {
  /** The bytes: one blob, or one per part for a multipart object. */
  readonly blobs: readonly BlobInfo[];
  /** The canonical user id of the object's owner. */
  readonly owner: string;
  readonly contentType?: string;
  readonly cacheControl?: string;
  readonly contentDisposition?: string;
  readonly contentEncoding?: string;
  readonly contentLanguage?: string;
  /** The Expires header as sent. */
  readonly expires?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly checksum?: StoredChecksum;
  readonly encryption?: StoredEncryption;
  readonly storageClass?: string;
  readonly tags?: readonly Tag[];
  readonly acl?: StoredAcl;
  /** Set for objects made by CompleteMultipartUpload. */
  readonly partsCount?: number;
  readonly websiteRedirectLocation?: string;
  readonly retention?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly retainUntil: number };
  readonly legalHold?: 'ON' | 'OFF';
}

/** A stored version with its attributes typed. */
export type ObjectVersion = StoredS3ObjectVersion & { readonly attributes: ObjectAttributes };

/** The S3 version id of the null version. */
export const NULL_VERSION = 'null';

/** A new version id: 32 URL-safe characters, as S3's look. */
export function newVersionId(): string {
  return randomString(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._');
}

/** Whether a version id could have been issued (a real id or `null`). */
export function checkVersionId(versionId: string): void {
  if (versionId !== NULL_VERSION && !/^[A-Za-z0-9._-]{1,1024}$/.test(versionId)) {
    throw new InvalidArgument('Invalid version id specified', 'versionId', versionId);
  }
}

/** Releases blobs: they are deleted after the call commits (by the blob collector). */
export async function releaseBlobs(ctx: CallContext, scope: Scope, blobs: readonly BlobInfo[]): Promise<void> {
  if (blobs.length > 0) await ctx.tx.outbox.append(scope, BLOBS_RELEASED, { ids: blobs.map((b) => b.id) });
}

/** The attributes of a stored version. */
export function attributesOf(version: StoredS3ObjectVersion): ObjectAttributes {
  return version.attributes as ObjectAttributes;
}

async function release(ctx: CallContext, scope: Scope, version: StoredS3ObjectVersion | undefined): Promise<void> {
  if (version && !version.deleteMarker) await releaseBlobs(ctx, scope, attributesOf(version).blobs);
}

/** The version id a write gets in this bucket, and what output should report (nothing when never versioned). */
function versionFor(bucket: BucketDocument): { id: string; reported?: string } {
  if (bucket.versioning === 'Enabled') {
    const id = newVersionId();
    return { id, reported: id };
  }
  return { id: NULL_VERSION, reported: bucket.versioning === 'Suspended' ? NULL_VERSION : undefined };
}

/** Writes a new current version of a key; returns the version id to report. */
export async function writeObject(
  ctx: CallContext,
  bucket: BucketDocument,
  version: Omit<S3ObjectVersion, 'versionId' | 'deleteMarker' | 'bucket'> & { attributes: ObjectAttributes },
): Promise<string | undefined> {
  const scope = bucketScope(bucket);
  const { id, reported } = versionFor(bucket);
  const replaced = await ctx.tx.s3Objects.put(scope, { ...version, bucket: bucket.name, versionId: id, deleteMarker: false });
  await release(ctx, scope, replaced);
  return reported;
}

/**
 * The version a read names: the given version id, or the current version. NoSuchKey when the key
 * has none (or its current version is a delete marker), NoSuchVersion for an unknown id, and
 * MethodNotAllowed when the version asked for is a delete marker.
 */
export async function readableVersion(ctx: CallContext, bucket: BucketDocument, key: string, versionId: string | undefined, method: string): Promise<ObjectVersion> {
  if (versionId !== undefined) checkVersionId(versionId);
  const version = await ctx.tx.s3Objects.get(bucketScope(bucket), bucket.name, key, versionId) as ObjectVersion | undefined;
  if (!version) throw versionId === undefined ? new NoSuchKey(key) : new NoSuchVersion(key, versionId);
  if (version.deleteMarker) {
    const headers = { 'x-amz-delete-marker': 'true', 'x-amz-version-id': version.versionId };
    if (versionId === undefined) throw new NoSuchKey(key, headers);
    throw new MethodNotAllowed(method, 'DeleteMarker', { ...headers, allow: 'DELETE' });
  }
  return version;
}

function isLocked(version: StoredS3ObjectVersion, now: number, bypassGovernance: boolean): boolean {
  const attributes = attributesOf(version);
  if (attributes.legalHold === 'ON') return true;
  const retention = attributes.retention;
  return retention !== undefined && retention.retainUntil > now && !(retention.mode === 'GOVERNANCE' && bypassGovernance);
}

/** What a delete did, as DeleteObject reports it. */
export interface DeleteResult {
  readonly deleteMarker?: boolean;
  readonly versionId?: string;
}

/**
 * Deletes a key: with a version id, that version for good (refused while object lock protects it);
 * otherwise by the bucket's versioning state (a delete marker, or removing the null version).
 */
export async function deleteObject(ctx: CallContext, bucket: BucketDocument, key: string, versionId: string | undefined, bypassGovernance = false): Promise<DeleteResult> {
  const scope = bucketScope(bucket);
  if (versionId !== undefined) {
    checkVersionId(versionId);
    const existing = await ctx.tx.s3Objects.get(scope, bucket.name, key, versionId);
    if (!existing) return { versionId };
    if (bucket.objectLockEnabled && isLocked(existing, ctx.now, bypassGovernance)) throw new AccessDenied('Access Denied because object protected by object lock.');
    const removed = await ctx.tx.s3Objects.delete(scope, bucket.name, key, versionId);
    await release(ctx, scope, removed);
    return { versionId, deleteMarker: removed?.deleteMarker || undefined };
  }
  if (bucket.versioning === undefined) {
    await release(ctx, scope, await ctx.tx.s3Objects.delete(scope, bucket.name, key, NULL_VERSION));
    return {};
  }
  const { id } = versionFor(bucket);
  const replaced = await ctx.tx.s3Objects.put(scope, {
    bucket: bucket.name, key, versionId: id, deleteMarker: true, lastModified: lastModifiedAt(ctx.now), size: 0, etag: '',
    attributes: { blobs: [], owner: canonicalUserId(ctx.principal.accountId || bucket.owner) },
  });
  await release(ctx, scope, replaced);
  return { deleteMarker: true, versionId: id };
}

/**
 * The Last-Modified of a write at `ms`: S3 reports whole seconds, and the time is rounded up so that
 * it is never earlier than the write (`aws s3 sync` compares it with the local file's mtime).
 */
export function lastModifiedAt(ms: number): number {
  return Math.ceil(ms / 1000) * 1000;
}
