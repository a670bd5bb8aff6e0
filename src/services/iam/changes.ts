/**
 * @module
 * What an IAM mutation leaves behind besides state: the ResourceChanged entry for Config (with
 * Config's resource types and IAM's unique ids as resource ids) and the record's resources.
 */
import { recordResourceChange } from '../resource-changes.js';
import type { CallContext } from '../service.js';
import type { GroupDoc, PolicyDoc, RoleDoc, UserDoc } from './entities.js';

/** Config's resource types for IAM entities. */
export const RESOURCE_TYPE = {
  user: 'AWS::IAM::User',
  group: 'AWS::IAM::Group',
  role: 'AWS::IAM::Role',
  policy: 'AWS::IAM::Policy',
  instanceProfile: 'AWS::IAM::InstanceProfile',
  accessKey: 'AWS::IAM::AccessKey',
  mfa: 'AWS::IAM::MFADevice',
} as const;

/** Notes a resource the call touched in its CloudTrail record. */
export function touched(ctx: CallContext, type: string, name: string, arn?: string): void {
  ctx.audit.resources.push({ type, name, arn });
}

function identify(doc: UserDoc | GroupDoc | RoleDoc | PolicyDoc): { type: string; id: string; name: string; arn: string } {
  if ('UserName' in doc) return { type: RESOURCE_TYPE.user, id: doc.UserId, name: doc.UserName, arn: doc.Arn };
  if ('GroupName' in doc) return { type: RESOURCE_TYPE.group, id: doc.GroupId, name: doc.GroupName, arn: doc.Arn };
  if ('RoleName' in doc) return { type: RESOURCE_TYPE.role, id: doc.RoleId, name: doc.RoleName, arn: doc.Arn };
  return { type: RESOURCE_TYPE.policy, id: doc.PolicyId, name: doc.PolicyName, arn: doc.Arn };
}

/** Records that an entity changed (or was deleted), for Config and for the record. */
export async function changed(ctx: CallContext, doc: UserDoc | GroupDoc | RoleDoc | PolicyDoc, deleted = false): Promise<void> {
  const { type, id, name, arn } = identify(doc);
  touched(ctx, type, name, arn);
  await recordResourceChange(ctx, { resourceType: type, resourceId: id, resourceName: name, arn, deleted });
}
