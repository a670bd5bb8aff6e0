/**
 * @module
 * Buckets: CreateBucket, HeadBucket, ListBuckets, DeleteBucket, GetBucketLocation.
 */
import type {
  CreateBucketCommandInput, CreateBucketCommandOutput, DeleteBucketCommandInput, DeleteBucketCommandOutput,
  GetBucketLocationCommandInput, GetBucketLocationCommandOutput, HeadBucketCommandInput, HeadBucketCommandOutput,
  ListBucketsCommandInput, ListBucketsCommandOutput,
} from '@aws-sdk/client-s3';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { CallContext, Handler, Out, PrepareContext } from '../service.js';
import { canonicalUserId, isOwnerOnly, isPublicAcl, privateAcl, requestedAcl } from './acl.js';
import { isValidBucketName, regionOfConstraint } from './bucket-names.js';
import {
  bucketArn, bucketScope, findBucket, getBucket, noteBucketChange, ownedBuckets, removeBucket, saveBucket, type BucketDocument, type ObjectOwnership,
} from './buckets.js';
import {
  AccessDenied, BucketAlreadyExists, BucketAlreadyOwnedByYou, BucketNotEmpty, IllegalLocationConstraintException, InvalidArgument,
  InvalidBucketAclWithObjectOwnership, InvalidBucketName, InvalidLocationConstraint, NoSuchBucket,
} from './errors.js';
import { abortAllUploads } from './multipart.js';
import { BLOCK_ALL } from './public-access-block.js';

const OWNERSHIPS: readonly ObjectOwnership[] = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

/** The region a CreateBucket asks for, checked against the region the request was sent to. */
function creationRegion(input: CreateBucketCommandInput, ctx: CallContext): string {
  const constraint = input.CreateBucketConfiguration?.LocationConstraint;
  const region = constraint ? regionOfConstraint(constraint) : 'us-east-1';
  if (!region) throw new InvalidLocationConstraint(constraint!);
  const signedFor = ctx.request.signing?.signatureVersion === 'SigV4' ? ctx.scope.region : undefined;
  if (signedFor !== undefined && signedFor !== 'us-east-1' && signedFor !== region) throw new IllegalLocationConstraintException(constraint || undefined);
  return region;
}

/**
 * Answers BucketAlreadyExists before authorisation when another account owns the name: the
 * resource policy of someone else's bucket has no say in whether a caller may create buckets.
 */
export async function prepareCreateBucket(input: CreateBucketCommandInput, ctx: PrepareContext): Promise<CreateBucketCommandInput> {
  const existing = await ctx.env.store.read((tx) => findBucket(tx, input.Bucket ?? ''));
  if (existing && existing.owner !== ctx.principal.accountId) throw new BucketAlreadyExists(existing.name);
  return input;
}

/** CreateBucket: a bucket in the region of its LocationConstraint (us-east-1 without one), owned by the caller. */
export const createBucket: Handler<CreateBucketCommandInput, Out<CreateBucketCommandOutput>> = async (input, ctx) => {
  const name = input.Bucket ?? '';
  if (!isValidBucketName(name)) throw new InvalidBucketName(name);
  const region = creationRegion(input, ctx);
  const owner = ctx.principal.accountId;
  const existing = await findBucket(ctx.tx, name);
  if (existing) {
    if (existing.owner !== owner) throw new BucketAlreadyExists(name);
    if (existing.region === 'us-east-1' && region === 'us-east-1') return { Location: `/${name}` };
    throw new BucketAlreadyOwnedByYou(name);
  }
  const ownership = (input.ObjectOwnership ?? 'BucketOwnerEnforced') as ObjectOwnership;
  if (!OWNERSHIPS.includes(ownership)) throw new InvalidArgument('Invalid x-amz-object-ownership header', 'x-amz-object-ownership', ownership);
  const ownerId = canonicalUserId(owner);
  const acl = requestedAcl(input, ownerId) ?? privateAcl(ownerId);
  if (ownership === 'BucketOwnerEnforced' && !isOwnerOnly(acl)) throw new InvalidBucketAclWithObjectOwnership();
  if (isPublicAcl(acl)) throw new AccessDenied();
  const bucket: BucketDocument = {
    name,
    owner,
    region,
    createdAt: ctx.now,
    ownership,
    acl,
    ...(input.ObjectLockEnabledForBucket ? { objectLockEnabled: true, versioning: 'Enabled' as const } : {}),
    config: { publicAccessBlock: { ...BLOCK_ALL } },
  };
  await saveBucket(ctx.tx, bucket);
  await noteBucketChange(ctx, bucket);
  return { Location: region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/` };
};

/** HeadBucket: whether the bucket exists (and may be reached), and its region, from any region. */
export const headBucket: Handler<HeadBucketCommandInput, Out<HeadBucketCommandOutput>> = async (input, ctx) => {
  const bucket = await findBucket(ctx.tx, input.Bucket ?? '');
  if (!bucket) throw new NoSuchBucket(input.Bucket ?? '');
  if (input.ExpectedBucketOwner !== undefined && input.ExpectedBucketOwner !== bucket.owner) throw new AccessDenied();
  return { BucketRegion: bucket.region, AccessPointAlias: false };
};

/** ListBuckets: the caller's buckets in every region, by name; paged when MaxBuckets is given. */
export const listBuckets: Handler<ListBucketsCommandInput, Out<ListBucketsCommandOutput>> = async (input, ctx) => {
  const params = { prefix: input.Prefix, region: input.BucketRegion };
  let buckets = (await ownedBuckets(ctx.tx, ctx.principal.accountId))
    .filter((b) => (input.Prefix === undefined || b.name.startsWith(input.Prefix)) && (input.BucketRegion === undefined || b.region === input.BucketRegion));
  if (input.ContinuationToken !== undefined) {
    const after = decodeToken<string>(input.ContinuationToken, params);
    if (after === undefined) throw new InvalidArgument('The continuation token provided is incorrect', 'continuation-token', input.ContinuationToken);
    buckets = buckets.filter((b) => b.name > after);
  }
  const max = input.MaxBuckets ?? 10_000;
  if (!Number.isInteger(max) || max < 1 || max > 10_000) throw new InvalidArgument('Argument max-buckets must be an integer between 1 and 10000', 'max-buckets', String(max));
  const page = buckets.slice(0, max);
  return {
    Buckets: page.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt), BucketRegion: b.region })),
    Owner: { ID: canonicalUserId(ctx.principal.accountId) },
    ContinuationToken: buckets.length > max ? encodeToken(page[page.length - 1]!.name, params) : undefined,
    Prefix: input.Prefix,
  };
};

/** DeleteBucket: removes an empty bucket (no objects, versions or delete markers); its uploads in progress go with it. */
export const deleteBucket: Handler<DeleteBucketCommandInput, Out<DeleteBucketCommandOutput>> = async (input, ctx) => {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const scope = bucketScope(bucket);
  if (await ctx.tx.s3Objects.hasAny(scope, bucket.name)) throw new BucketNotEmpty(bucket.name);
  await abortAllUploads(ctx, bucket);
  await removeBucket(ctx.tx, bucket);
  await noteBucketChange(ctx, bucket, true);
  return {};
};

/** GetBucketLocation: the bucket's LocationConstraint (empty for us-east-1); answered from any region. */
export const getBucketLocation: Handler<GetBucketLocationCommandInput, Out<GetBucketLocationCommandOutput>> = async (input, ctx) => {
  const bucket = await findBucket(ctx.tx, input.Bucket ?? '');
  if (!bucket) throw new NoSuchBucket(input.Bucket ?? '');
  if (input.ExpectedBucketOwner !== undefined && input.ExpectedBucketOwner !== bucket.owner) throw new AccessDenied();
  return { LocationConstraint: bucket.region === 'us-east-1' ? undefined : (bucket.region as GetBucketLocationCommandOutput['LocationConstraint']) };
};

/** The ARN of the bucket a bucket-level input names. */
export function bucketResource(input: { Bucket?: string }): string[] {
  return [bucketArn(input.Bucket ?? '')];
}
