/**
 * @module
 * IAM's side of resource-based authorisation: a role's trust policy (the resource policy that
 * sts:AssumeRole needs), and the tags of users and roles for aws:ResourceTag conditions.
 */
import { parseArn } from '../../core/arn.js';
import type { Tx } from '../../store/types.js';
import type { ResourcePolicy } from '../service.js';
import { getEntity, KIND, type RoleDoc, type UserDoc } from './entities.js';

function tagMap(tags: readonly { Key: string; Value: string }[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
}

/** The trust policy and tags of a role ARN, or the tags of a user ARN; undefined when there is no such entity. */
export async function iamResourcePolicy(tx: Tx, arn: string): Promise<ResourcePolicy | undefined> {
  const parsed = parseArn(arn);
  if (!parsed || !parsed.accountId) return undefined;
  const slash = parsed.resource.indexOf('/');
  const type = parsed.resource.slice(0, slash);
  const name = parsed.resource.slice(parsed.resource.lastIndexOf('/') + 1);
  if (type === 'role') {
    const role = await getEntity<RoleDoc>(tx, parsed.accountId, KIND.role, name);
    if (!role || role.Arn !== arn) return undefined;
    return { ownerAccountId: parsed.accountId, document: role.AssumeRolePolicyDocument, tags: tagMap(role.Tags) };
  }
  if (type === 'user') {
    const user = await getEntity<UserDoc>(tx, parsed.accountId, KIND.user, name);
    if (!user || user.Arn !== arn) return undefined;
    return { ownerAccountId: parsed.accountId, tags: tagMap(user.Tags) };
  }
  return undefined;
}
