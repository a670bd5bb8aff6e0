/**
 * @module
 * Whether a bucket lets CloudTrail deliver into it, judged by IAM's own evaluator with the
 * condition keys the deliveries carry (`s3:x-amz-acl`, `aws:SourceArn`, `aws:SourceAccount`):
 *  - CreateTrail and UpdateTrail check it (S3BucketDoesNotExistException,
 *    InsufficientS3BucketPolicyException), with `s3:GetBucketAcl` on the bucket and `s3:PutObject`
 *    under `[prefix/]AWSLogs/<account>/`;
 *  - each delivery checks it for its own key. The pipeline authorises the PutObject as well, but
 *    IAM's evaluator trusts an AWS service principal within its own account, whereas S3 only lets
 *    `cloudtrail.amazonaws.com` write what the bucket policy grants it.
 */
import { parsePolicy } from '../../auth/policy/document.js';
import { evaluate } from '../../auth/policy/evaluate.js';
import { accountRoot } from '../../integrity/object-keys.js';
import type { Tx } from '../../store/types.js';
import { bucketArn } from '../s3/buckets.js';
import { s3ResourcePolicy } from '../s3/resource-policy.js';
import type { ResourcePolicy } from '../service.js';
import { CLOUDTRAIL_PRINCIPAL, trailConditionKeys } from './delivery-calls.js';
import { InsufficientS3BucketPolicyException, S3BucketDoesNotExistException } from './errors.js';
import { arnOf, type TrailDocument } from './trails.js';

/** A trail's delivery into a bucket. */
export interface BucketDelivery {
  readonly accountId: string;
  readonly trailArn: string;
  readonly bucket: string;
}

/**
 * Whether a resource policy lets CloudTrail perform an action on a resource, given condition keys.
 * The service principal belongs to no customer account: only a grant in the policy lets it in.
 */
function cloudTrailMay(resource: ResourcePolicy, action: string, arn: string, keys: Record<string, string>): boolean {
  if (resource.document === undefined) return false;
  const lower = new Map(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v]));
  const result = evaluate(
    { principal: { arn: CLOUDTRAIL_PRINCIPAL, accountId: '', service: CLOUDTRAIL_PRINCIPAL }, action, resource: arn, context: (key) => lower.get(key) },
    { identity: [], resource: { ownerAccountId: resource.ownerAccountId, policy: parsePolicy(resource.document, 'resource') } },
  );
  return result.decision === 'Allow';
}

/** The bucket's resource policy, or undefined when there is no such bucket. */
function bucketPolicy(tx: Tx, bucket: string): Promise<ResourcePolicy | undefined> {
  return s3ResourcePolicy(tx, bucketArn(bucket));
}

/** Whether CloudTrail may write this key (undefined: no such bucket). */
export async function cloudTrailMayWrite(tx: Tx, delivery: BucketDelivery, key: string): Promise<boolean | undefined> {
  const resource = await bucketPolicy(tx, delivery.bucket);
  if (!resource) return undefined;
  const keys = { ...trailConditionKeys(delivery.trailArn, delivery.accountId), 's3:x-amz-acl': 'bucket-owner-full-control' };
  return cloudTrailMay(resource, 's3:PutObject', bucketArn(delivery.bucket, key), keys);
}

/** Throws CloudTrail's error unless the bucket exists and lets CloudTrail deliver the account's files into it. */
export async function checkBucket(tx: Tx, delivery: BucketDelivery & { prefix?: string }): Promise<void> {
  const resource = await bucketPolicy(tx, delivery.bucket);
  if (!resource) throw new S3BucketDoesNotExistException(delivery.bucket);
  const aclCheck = cloudTrailMay(resource, 's3:GetBucketAcl', bucketArn(delivery.bucket), trailConditionKeys(delivery.trailArn, delivery.accountId));
  const writes = await cloudTrailMayWrite(tx, delivery, `${accountRoot({ prefix: delivery.prefix, accountId: delivery.accountId })}CloudTrail/`);
  if (!aclCheck || !writes) throw new InsufficientS3BucketPolicyException(delivery.bucket);
}

/** Checks every destination of a trail as CloudTrail does on CreateTrail and UpdateTrail. */
export async function checkDestinations(tx: Tx, trail: TrailDocument): Promise<void> {
  await checkBucket(tx, { accountId: trail.accountId, trailArn: arnOf(trail), bucket: trail.s3BucketName, prefix: trail.s3KeyPrefix });
}
