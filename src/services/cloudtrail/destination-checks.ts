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
 * The trail's SNS topic must exist and its policy allow `sns:Publish`
 * (InsufficientSnsTopicPolicyException); its KMS key must exist in the bucket's region
 * (KmsKeyNotFoundException), be enabled (KmsException) and its key policy allow
 * `kms:GenerateDataKey` under the trail's encryption context (InsufficientEncryptionPolicyException).
 */
import { parsePolicy } from '../../auth/policy/document.js';
import { evaluate } from '../../auth/policy/evaluate.js';
import { accountRoot } from '../../integrity/object-keys.js';
import type { Tx } from '../../store/types.js';
import { parseArn } from '../../core/arn.js';
import { ALIAS_KIND, KEY_KIND, keyArn, type AliasDocument, type KeyDocument } from '../kms/keys.js';
import { bucketArn, findBucket } from '../s3/buckets.js';
import { s3ResourcePolicy } from '../s3/resource-policy.js';
import type { ResourcePolicy } from '../service.js';
import { parseTopicArn, TOPIC_KIND, type TopicDocument } from '../sns/topics.js';
import {
  InsufficientEncryptionPolicyException, InsufficientS3BucketPolicyException, InsufficientSnsTopicPolicyException, KmsException,
  KmsKeyNotFoundException, S3BucketDoesNotExistException,
} from './errors.js';
import { arnOf, type TrailDocument } from './trails.js';

/** CloudTrail's service principal. */
export const CLOUDTRAIL_PRINCIPAL = 'cloudtrail.amazonaws.com';

/** The condition keys CloudTrail's calls for a trail carry. */
export function trailConditionKeys(trailArn: string, accountId: string): Record<string, string> {
  return { 'aws:SourceArn': trailArn, 'aws:SourceAccount': accountId };
}

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

/** Throws InsufficientSnsTopicPolicyException unless the topic exists and lets CloudTrail publish. */
async function checkTopic(tx: Tx, trailArn: string, accountId: string, topicArn: string): Promise<void> {
  const parsed = parseTopicArn(topicArn);
  const topic = parsed && await tx.documents.get<TopicDocument>(parsed.scope, TOPIC_KIND, parsed.name);
  const resource = topic && { ownerAccountId: topic.accountId, document: topic.attributes.Policy };
  if (!resource || !cloudTrailMay(resource, 'sns:Publish', topicArn, trailConditionKeys(trailArn, accountId))) {
    throw new InsufficientSnsTopicPolicyException();
  }
}

/** The key a trail's KmsKeyId (key or alias ARN) names, if it exists. */
async function findKey(tx: Tx, reference: string): Promise<KeyDocument | undefined> {
  const arn = parseArn(reference);
  if (!arn) return undefined;
  const scope = { accountId: arn.accountId, region: arn.region };
  const keyId = arn.resource.startsWith('alias/')
    ? (await tx.documents.get<AliasDocument>(scope, ALIAS_KIND, arn.resource))?.targetKeyId
    : arn.resource.slice('key/'.length);
  return keyId === undefined ? undefined : tx.documents.get<KeyDocument>(scope, KEY_KIND, keyId);
}

/** The encryption context of a trail's data keys, as its key policy sees it. */
export function encryptionContext(trailArn: string, objectArn: string): Record<string, string> {
  return { 'aws:cloudtrail:arn': trailArn, 'aws:s3:arn': objectArn };
}

/** Throws CloudTrail's KMS errors unless the key exists beside the bucket, is enabled, and lets CloudTrail make data keys. */
async function checkKey(tx: Tx, trail: TrailDocument, trailArn: string, reference: string): Promise<void> {
  const key = await findKey(tx, reference);
  const bucket = await findBucket(tx, trail.s3BucketName);
  if (!key || (bucket && bucket.region !== key.region)) throw new KmsKeyNotFoundException(reference);
  if (key.keyState !== 'Enabled') throw new KmsException(reference);
  const context = Object.fromEntries(Object.entries(encryptionContext(trailArn, bucketArn(trail.s3BucketName))).map(([k, v]) => [`kms:EncryptionContext:${k}`, v]));
  const arn = keyArn({ accountId: key.accountId, region: key.region }, key.keyId);
  const resource = { ownerAccountId: key.accountId, document: key.policy };
  if (!cloudTrailMay(resource, 'kms:GenerateDataKey', arn, { ...trailConditionKeys(trailArn, trail.accountId), ...context })) {
    throw new InsufficientEncryptionPolicyException(trail.s3BucketName, reference);
  }
}

/** Checks every destination of a trail as CloudTrail does on CreateTrail and UpdateTrail. */
export async function checkDestinations(tx: Tx, trail: TrailDocument): Promise<void> {
  const trailArn = arnOf(trail);
  await checkBucket(tx, { accountId: trail.accountId, trailArn, bucket: trail.s3BucketName, prefix: trail.s3KeyPrefix });
  if (trail.snsTopicArn) await checkTopic(tx, trailArn, trail.accountId, trail.snsTopicArn);
  if (trail.kmsKeyId) await checkKey(tx, trail, trailArn, trail.kmsKeyId);
}
