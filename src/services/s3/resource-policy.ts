/**
 * @module
 * The resource-based policy of a bucket or object ARN, for IAM's authoriser: the bucket policy and
 * the bucket's and object's ACLs as equivalent statements, one document, with Block Public Access
 * applied (IgnorePublicAcls drops public grants; RestrictPublicBuckets drops public statements),
 * and the bucket's tags (aws:ResourceTag). ACLs do not count on buckets whose object ownership is
 * BucketOwnerEnforced.
 */
import type { Tx } from '../../store/types.js';
import type { ResourcePolicy } from '../service.js';
import { aclStatements, canonicalUserId, isPublicGrant, type PolicyStatement, type StoredAcl } from './acl.js';
import { isPublicStatement, policyStatements } from './bucket-policy.js';
import { bucketArn, bucketScope, findBucket } from './buckets.js';
import { attributesOf } from './objects.js';
import { effectivePublicAccessBlock } from './public-access-block.js';

const S3_ARN = /^arn:aws:s3:::([^/]+)(?:\/(.+))?$/;

/** The policy governing `arn` (a bucket or an object in one), or undefined when there is no such bucket. */
export async function s3ResourcePolicy(tx: Tx, arn: string): Promise<ResourcePolicy | undefined> {
  const match = S3_ARN.exec(arn);
  if (!match) return undefined;
  const [, name, key] = match as unknown as [string, string, string | undefined];
  const bucket = await findBucket(tx, name);
  if (!bucket) return undefined;
  const block = await effectivePublicAccessBlock(tx, bucket);
  let statements: PolicyStatement[] = bucket.config.policy ? policyStatements(JSON.parse(bucket.config.policy)) : [];
  if (block.RestrictPublicBuckets) statements = statements.filter((s) => !isPublicStatement(s));
  if (bucket.ownership !== 'BucketOwnerEnforced') {
    const accounts = new Map((await tx.accounts.list()).map((a) => [canonicalUserId(a.accountId), a.accountId]));
    const principalOf = (id: string) => accounts.get(id) ?? (id === canonicalUserId(bucket.owner) ? bucket.owner : undefined);
    const visible = (acl: StoredAcl): StoredAcl => (block.IgnorePublicAcls ? { ...acl, grants: acl.grants.filter((g) => !isPublicGrant(g)) } : acl);
    statements.push(...aclStatements(visible(bucket.acl), bucketArn(name), 'bucket', principalOf));
    const object = key !== undefined ? await tx.s3Objects.get(bucketScope(bucket), name, key) : undefined;
    const acl = object && !object.deleteMarker ? attributesOf(object).acl : undefined;
    if (acl) statements.push(...aclStatements(visible(acl), bucketArn(name, key), 'object', principalOf));
  }
  const tags = bucket.config.tagging as { Key?: string; Value?: string }[] | undefined;
  return {
    ownerAccountId: bucket.owner,
    document: statements.length > 0 ? JSON.stringify({ Version: '2012-10-17', Statement: statements }) : undefined,
    tags: tags && Object.fromEntries(tags.map((t) => [t.Key ?? '', t.Value ?? ''])),
  };
}
