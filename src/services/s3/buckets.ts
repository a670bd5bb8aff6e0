/**
 * @module
 * Buckets as stored: one document per bucket in its owner's account and region, plus an entry in
 * the global name index (bucket names are one namespace across all accounts), so that any caller
 * finds a bucket, its owner and its region from the name alone.
 */
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import { recordResourceChange } from '../resource-changes.js';
import type { CallContext } from '../service.js';
import type { StoredAcl } from './acl.js';
import { AccessDenied, NoSuchBucket, WrongRegion } from './errors.js';

/** The scope of the global bucket-name index (not an account: bucket names are global). */
export const BUCKET_INDEX_SCOPE: Scope = { accountId: 'global', region: 'global' };

const INDEX_KIND = 's3-bucket-name';
const BUCKET_KIND = 's3-bucket';

/** Object ownership (ownership controls); undefined once the controls are deleted. */
export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

/** The sub-resource configurations a bucket may carry, stored in the shapes of the S3 API. */
export interface BucketConfigurations {
  encryption?: unknown;
  publicAccessBlock?: unknown;
  policy?: string;
  tagging?: unknown;
  logging?: unknown;
  lifecycle?: unknown;
  replication?: unknown;
  objectLock?: unknown;
  cors?: unknown;
  website?: unknown;
  notification?: unknown;
  accelerate?: unknown;
  requestPayment?: unknown;
}

/** A bucket and everything configured on it. */
export interface BucketDocument {
  readonly name: string;
  /** The owning account. */
  readonly owner: string;
  readonly region: string;
  /** ms */
  readonly createdAt: number;
  /** Undefined until versioning is first configured ("never enabled"). */
  readonly versioning?: 'Enabled' | 'Suspended';
  readonly mfaDelete?: 'Enabled' | 'Disabled';
  readonly objectLockEnabled?: boolean;
  readonly ownership?: ObjectOwnership;
  readonly acl: StoredAcl;
  readonly config: BucketConfigurations;
}

interface IndexEntry {
  readonly owner: string;
  readonly region: string;
}

/** The ARN of a bucket, or of an object in it. */
export function bucketArn(bucket: string, key?: string): string {
  return key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
}

/** The scope a bucket's state lives in: its owner's account and its region. */
export function bucketScope(bucket: Pick<BucketDocument, 'owner' | 'region'>): Scope {
  return { accountId: bucket.owner, region: bucket.region };
}

/** The bucket of that name, whoever owns it, or undefined. */
export async function findBucket(tx: Tx, name: string): Promise<BucketDocument | undefined> {
  const entry = await tx.documents.get<IndexEntry>(BUCKET_INDEX_SCOPE, INDEX_KIND, name);
  return entry && tx.documents.get<BucketDocument>({ accountId: entry.owner, region: entry.region }, BUCKET_KIND, name);
}

/**
 * The bucket a call names; NoSuchBucket when there is none, AccessDenied when it is not owned by
 * the `expectedOwner` the caller named. A request signed (SigV4) for another region than the
 * bucket's is redirected to the bucket's region, as S3 does.
 */
export async function getBucket(ctx: CallContext, name: string, expectedOwner?: string): Promise<BucketDocument> {
  const bucket = await findBucket(ctx.tx, name);
  if (!bucket) throw new NoSuchBucket(name);
  if (expectedOwner !== undefined && expectedOwner !== bucket.owner) throw new AccessDenied();
  const signing = ctx.request.signing;
  if (signing?.signatureVersion === 'SigV4' && ctx.scope.region !== bucket.region) {
    throw new WrongRegion(bucket.name, ctx.scope.region, bucket.region, signing.authenticationMethod === 'QueryString');
  }
  return bucket;
}

/** Every bucket an account owns, in every region, by name. */
export async function ownedBuckets(tx: Tx, accountId: string): Promise<BucketDocument[]> {
  return (await tx.documents.listInAccount<BucketDocument>(accountId, BUCKET_KIND)).map((e) => e.doc).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Stores a bucket (new or changed) and claims its name in the index. */
export async function saveBucket(tx: Tx, bucket: BucketDocument): Promise<void> {
  await tx.documents.put(bucketScope(bucket), BUCKET_KIND, bucket.name, bucket);
  await tx.documents.put<IndexEntry>(BUCKET_INDEX_SCOPE, INDEX_KIND, bucket.name, { owner: bucket.owner, region: bucket.region });
}

/** Removes a bucket and frees its name. */
export async function removeBucket(tx: Tx, bucket: BucketDocument): Promise<void> {
  await tx.documents.delete(bucketScope(bucket), BUCKET_KIND, bucket.name);
  await tx.documents.delete(BUCKET_INDEX_SCOPE, INDEX_KIND, bucket.name);
}

/** Saves a changed bucket and tells Config (AWS::S3::Bucket, in the bucket's account and region). */
export async function updateBucket(ctx: CallContext, bucket: BucketDocument): Promise<void> {
  await saveBucket(ctx.tx, bucket);
  await noteBucketChange(ctx, bucket);
}

/** Writes the ResourceChanged entry of a bucket. */
export async function noteBucketChange(ctx: CallContext, bucket: BucketDocument, deleted = false): Promise<void> {
  await recordResourceChange({ ...ctx, scope: bucketScope(bucket) }, {
    resourceType: 'AWS::S3::Bucket',
    resourceId: bucket.name,
    resourceName: bucket.name,
    arn: bucketArn(bucket.name),
    deleted,
  });
}
