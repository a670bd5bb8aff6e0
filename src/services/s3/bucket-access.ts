/**
 * @module
 * Who may reach a bucket, and how it keeps versions: the bucket ACL, object ownership controls,
 * the bucket policy and its public status, bucket-level Block Public Access, and versioning.
 */
import type * as S3 from '@aws-sdk/client-s3';
import type { Handler, Out } from '../service.js';
import { isOwnerOnly, isPublicAcl, privateAcl, requestedAcl, toAccessControlPolicy } from './acl.js';
import { changeBucket, required, withConfig } from './bucket-config.js';
import { checkBucketPolicy, isPublicPolicy } from './bucket-policy.js';
import { getBucket, type ObjectOwnership } from './buckets.js';
import {
  AccessControlListNotSupported, AccessDenied, InvalidBucketAclWithObjectOwnership, InvalidBucketState, InvalidRequest, MalformedXML,
  MissingRequestBodyError, NoSuchConfiguration,
} from './errors.js';
import { effectivePublicAccessBlock, settingsOf } from './public-access-block.js';

const NO_POLICY = ['NoSuchBucketPolicy', 'The bucket policy does not exist'] as const;

/** PutBucketAcl: a canned ACL, header grants or an AccessControlPolicy document. */
export const putBucketAcl: Handler<S3.PutBucketAclCommandInput, Out<S3.PutBucketAclCommandOutput>> = async (input, ctx) => {
  await changeBucket(ctx, input, async (bucket) => {
    const acl = requestedAcl(input, bucket.acl.owner);
    if (!acl) throw new MalformedXML();
    if (bucket.ownership === 'BucketOwnerEnforced' && !isOwnerOnly(acl)) throw new AccessControlListNotSupported();
    if (isPublicAcl(acl) && (await effectivePublicAccessBlock(ctx.tx, bucket)).BlockPublicAcls) throw new AccessDenied();
    return { ...bucket, acl };
  });
  return {};
};

/** GetBucketAcl. */
export const getBucketAcl: Handler<S3.GetBucketAclCommandInput, Out<S3.GetBucketAclCommandOutput>> = async (input, ctx) =>
  toAccessControlPolicy((await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner)).acl);

/** PutBucketOwnershipControls: BucketOwnerEnforced needs an ACL that grants nothing beyond the owner. */
export const putBucketOwnershipControls: Handler<S3.PutBucketOwnershipControlsCommandInput, Out<S3.PutBucketOwnershipControlsCommandOutput>> = async (input, ctx) => {
  const rules = input.OwnershipControls?.Rules ?? [];
  const ownership = rules[0]?.ObjectOwnership as ObjectOwnership | undefined;
  if (rules.length !== 1 || !ownership || !['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'].includes(ownership)) throw new MalformedXML();
  await changeBucket(ctx, input, (bucket) => {
    if (ownership === 'BucketOwnerEnforced' && !isOwnerOnly(bucket.acl)) throw new InvalidBucketAclWithObjectOwnership();
    return { ...bucket, ownership };
  });
  return {};
};

/** GetBucketOwnershipControls. */
export const getBucketOwnershipControls: Handler<S3.GetBucketOwnershipControlsCommandInput, Out<S3.GetBucketOwnershipControlsCommandOutput>> = async (input, ctx) => {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  if (!bucket.ownership) throw new NoSuchConfiguration('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', bucket.name);
  return { OwnershipControls: { Rules: [{ ObjectOwnership: bucket.ownership }] } };
};

/** DeleteBucketOwnershipControls: objects are then owned by their writers (and ACLs apply). */
export const deleteBucketOwnershipControls: Handler<S3.DeleteBucketOwnershipControlsCommandInput, Out<S3.DeleteBucketOwnershipControlsCommandOutput>> = async (input, ctx) => {
  await changeBucket(ctx, input, (bucket) => ({ ...bucket, ownership: undefined, acl: bucket.ownership === 'BucketOwnerEnforced' ? privateAcl(bucket.acl.owner) : bucket.acl }));
  return {};
};

/** PutBucketPolicy: a valid policy for this bucket; a public one is refused under BlockPublicPolicy. */
export const putBucketPolicy: Handler<S3.PutBucketPolicyCommandInput, Out<S3.PutBucketPolicyCommandOutput>> = async (input, ctx) => {
  if (input.Policy === undefined || input.Policy.trim() === '') throw new MissingRequestBodyError();
  await changeBucket(ctx, input, async (bucket) => {
    const policy = checkBucketPolicy(input.Policy!, bucket.name);
    if (isPublicPolicy(policy) && (await effectivePublicAccessBlock(ctx.tx, bucket)).BlockPublicPolicy) throw new AccessDenied();
    return withConfig(bucket, 'policy', input.Policy);
  });
  return {};
};

/** GetBucketPolicy: the policy text as stored. */
export const getBucketPolicy: Handler<S3.GetBucketPolicyCommandInput, Out<S3.GetBucketPolicyCommandOutput>> = async (input, ctx) => ({
  Policy: required<string>(await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner), 'policy', ...NO_POLICY),
});

/** DeleteBucketPolicy. */
export const deleteBucketPolicy: Handler<S3.DeleteBucketPolicyCommandInput, Out<S3.DeleteBucketPolicyCommandOutput>> = async (input, ctx) => {
  await changeBucket(ctx, input, (b) => withConfig(b, 'policy', undefined));
  return {};
};

/** GetBucketPolicyStatus: whether the bucket policy grants public access. */
export const getBucketPolicyStatus: Handler<S3.GetBucketPolicyStatusCommandInput, Out<S3.GetBucketPolicyStatusCommandOutput>> = async (input, ctx) => {
  const text = required<string>(await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner), 'policy', ...NO_POLICY);
  return { PolicyStatus: { IsPublic: isPublicPolicy(JSON.parse(text)) } };
};

/** PutPublicAccessBlock (bucket level). */
export const putPublicAccessBlock: Handler<S3.PutPublicAccessBlockCommandInput, Out<S3.PutPublicAccessBlockCommandOutput>> = async (input, ctx) => {
  if (!input.PublicAccessBlockConfiguration) throw new MissingRequestBodyError();
  const settings = settingsOf(input.PublicAccessBlockConfiguration);
  await changeBucket(ctx, input, (b) => withConfig(b, 'publicAccessBlock', settings));
  return {};
};

/** GetPublicAccessBlock (bucket level). */
export const getPublicAccessBlock: Handler<S3.GetPublicAccessBlockCommandInput, Out<S3.GetPublicAccessBlockCommandOutput>> = async (input, ctx) => ({
  PublicAccessBlockConfiguration: required<S3.PublicAccessBlockConfiguration>(
    await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner), 'publicAccessBlock', 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found',
  ),
});

/** DeletePublicAccessBlock (bucket level). */
export const deletePublicAccessBlock: Handler<S3.DeletePublicAccessBlockCommandInput, Out<S3.DeletePublicAccessBlockCommandOutput>> = async (input, ctx) => {
  await changeBucket(ctx, input, (b) => withConfig(b, 'publicAccessBlock', undefined));
  return {};
};

/** PutBucketVersioning: Enabled or Suspended (never back to unversioned; not Suspended under object lock). */
export const putBucketVersioning: Handler<S3.PutBucketVersioningCommandInput, Out<S3.PutBucketVersioningCommandOutput>> = async (input, ctx) => {
  const config = input.VersioningConfiguration;
  if (!config) throw new MissingRequestBodyError();
  const status = config.Status;
  if ((status !== undefined && status !== 'Enabled' && status !== 'Suspended') || (config.MFADelete !== undefined && config.MFADelete !== 'Enabled' && config.MFADelete !== 'Disabled')) {
    throw new MalformedXML();
  }
  if (config.MFADelete === 'Enabled' && input.MFA === undefined) throw new InvalidRequest('The x-amz-mfa header is required to change the MFA Delete status of a bucket.');
  await changeBucket(ctx, input, (bucket) => {
    if (bucket.objectLockEnabled && status === 'Suspended') {
      throw new InvalidBucketState('An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.');
    }
    return { ...bucket, versioning: status ?? bucket.versioning, mfaDelete: config.MFADelete ?? bucket.mfaDelete };
  });
  return {};
};

/** GetBucketVersioning: nothing for a bucket that was never versioned. */
export const getBucketVersioning: Handler<S3.GetBucketVersioningCommandInput, Out<S3.GetBucketVersioningCommandOutput>> = async (input, ctx) => {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  return { Status: bucket.versioning, MFADelete: bucket.mfaDelete };
};
