/**
 * @module
 * AWS Identity and Access Management (awsQuery), a global service: its state and records live in
 * us-east-1. Each operation declares its IAM action's resource (the entity's ARN; paths are taken
 * from the input, `/` when the input has none) and its condition keys.
 */
import { loadModel } from '../../protocol/model.js';
import type { CallContext, OperationSpec, ServiceDefinition } from '../service.js';
import * as accessKeys from './access-keys.js';
import * as account from './account.js';
import { attachPolicy, detachPolicy, listAttachedPolicies } from './attachments.js';
import * as boundaries from './boundaries.js';
import * as report from './credential-report.js';
import * as groups from './groups.js';
import { deleteInlinePolicy, getInlinePolicy, listInlinePolicies, putInlinePolicy } from './inline-policies.js';
import * as profiles from './instance-profiles.js';
import * as logins from './login-profiles.js';
import * as policies from './managed-policies.js';
import * as mfa from './mfa.js';
import { checkConstraints } from './names.js';
import { iamResourcePolicy } from './resource-policy.js';
import * as roles from './roles.js';
import { callerUserName } from './entities.js';
import * as slr from './service-linked-roles.js';
import * as users from './users.js';

type Ctx = Pick<CallContext, 'scope' | 'principal'>;
type In = Record<string, any>;

const arn = (ctx: Ctx, type: string, path: string | undefined, name: string | undefined) =>
  `arn:aws:iam::${ctx.scope.accountId}:${type}${path ?? '/'}${name ?? ''}`;
const user = (input: In, ctx: Ctx) => {
  const name = callerUserName(input, ctx);
  return [name === undefined ? `arn:aws:iam::${ctx.scope.accountId}:root` : arn(ctx, 'user', input.Path, name)];
};
const group = (input: In, ctx: Ctx) => [arn(ctx, 'group', input.Path, input.GroupName)];
const role = (input: In, ctx: Ctx) => [arn(ctx, 'role', input.Path, input.RoleName)];
const policy = (input: In) => [input.PolicyArn ?? '*'];
const newPolicy = (input: In, ctx: Ctx) => [arn(ctx, 'policy', input.Path, input.PolicyName)];
const instanceProfile = (input: In, ctx: Ctx) => [arn(ctx, 'instance-profile', input.Path, input.InstanceProfileName)];
const mfaDevice = (input: In, ctx: Ctx) => [input.SerialNumber ?? arn(ctx, 'mfa', input.Path, input.VirtualMFADeviceName)];
const slrRole = (input: In, ctx: Ctx) => [arn(ctx, 'role', `/aws-service-role/${input.AWSServiceName ?? ''}/`, '*')];

function tagKeys(input: In): Record<string, string | string[]> {
  const tags = (input.Tags ?? []) as { Key?: string; Value?: string }[];
  const keys: Record<string, string | string[]> = {};
  for (const tag of tags) keys[`aws:RequestTag/${tag.Key}`] = tag.Value ?? '';
  if (tags.length) keys['aws:TagKeys'] = tags.map((t) => t.Key ?? '');
  else if (input.TagKeys) keys['aws:TagKeys'] = input.TagKeys as string[];
  return keys;
}
const withBoundary = (input: In) => ({ ...tagKeys(input), ...(input.PermissionsBoundary ? { 'iam:PermissionsBoundary': input.PermissionsBoundary as string } : {}) });
const withPolicyArn = (input: In): Record<string, string> => (input.PolicyArn ? { 'iam:PolicyARN': input.PolicyArn as string } : {});

function op(handler: OperationSpec['handler'], resources?: OperationSpec['resources'], extra: Partial<OperationSpec> = {}): OperationSpec {
  return { handler, prepare: checkConstraints, resources, ...extra };
}

/** The IAM service definition. */
export function iamService(): ServiceDefinition {
  return {
    model: loadModel('iam'),
    eventSource: 'iam.amazonaws.com',
    global: true,
    errorStyle: 'query',
    resourcePolicy: iamResourcePolicy,
    operations: {
      CreateUser: op(users.createUser, user, { conditions: withBoundary }),
      GetUser: op(users.getUser, user),
      ListUsers: op(users.listUsers),
      UpdateUser: op(users.updateUser, user),
      DeleteUser: op(users.deleteUser, user),
      TagUser: op(users.tagUser, user, { conditions: tagKeys }),
      UntagUser: op(users.untagUser, user, { conditions: tagKeys }),
      ListUserTags: op(users.listUserTags, user),

      CreateGroup: op(groups.createGroup, group),
      GetGroup: op(groups.getGroup, group),
      ListGroups: op(groups.listGroups),
      UpdateGroup: op(groups.updateGroup, group),
      DeleteGroup: op(groups.deleteGroup, group),
      AddUserToGroup: op(groups.addUserToGroup, group),
      RemoveUserFromGroup: op(groups.removeUserFromGroup, group),
      ListGroupsForUser: op(groups.listGroupsForUser, user),

      CreateRole: op(roles.createRole, role, { conditions: withBoundary }),
      GetRole: op(roles.getRole, role),
      ListRoles: op(roles.listRoles),
      UpdateRole: op(roles.updateRole, role),
      UpdateRoleDescription: op(roles.updateRoleDescription, role),
      UpdateAssumeRolePolicy: op(roles.updateAssumeRolePolicy, role),
      DeleteRole: op(roles.deleteRole, role),
      TagRole: op(roles.tagRole, role, { conditions: tagKeys }),
      UntagRole: op(roles.untagRole, role, { conditions: tagKeys }),
      ListRoleTags: op(roles.listRoleTags, role),
      CreateServiceLinkedRole: op(slr.createServiceLinkedRole, slrRole, { conditions: (input: In) => ({ 'iam:AWSServiceName': input.AWSServiceName ?? '' }) }),
      DeleteServiceLinkedRole: op(slr.deleteServiceLinkedRole, role),
      GetServiceLinkedRoleDeletionStatus: op(slr.getServiceLinkedRoleDeletionStatus),
      PutUserPermissionsBoundary: op(boundaries.putUserPermissionsBoundary, user, { conditions: withBoundary }),
      DeleteUserPermissionsBoundary: op(boundaries.deleteUserPermissionsBoundary, user),
      PutRolePermissionsBoundary: op(boundaries.putRolePermissionsBoundary, role, { conditions: withBoundary }),
      DeleteRolePermissionsBoundary: op(boundaries.deleteRolePermissionsBoundary, role),

      CreatePolicy: op(policies.createPolicy, newPolicy, { conditions: tagKeys }),
      GetPolicy: op(policies.getPolicy, policy),
      ListPolicies: op(policies.listPolicies),
      DeletePolicy: op(policies.deletePolicy, policy),
      CreatePolicyVersion: op(policies.createPolicyVersion, policy),
      GetPolicyVersion: op(policies.getPolicyVersion, policy),
      ListPolicyVersions: op(policies.listPolicyVersions, policy),
      DeletePolicyVersion: op(policies.deletePolicyVersion, policy),
      SetDefaultPolicyVersion: op(policies.setDefaultPolicyVersion, policy),
      TagPolicy: op(policies.tagPolicy, policy, { conditions: tagKeys }),
      UntagPolicy: op(policies.untagPolicy, policy, { conditions: tagKeys }),
      ListPolicyTags: op(policies.listPolicyTags, policy),
      ListEntitiesForPolicy: op(policies.listEntitiesForPolicy, policy),

      AttachUserPolicy: op(attachPolicy('User'), user, { conditions: withPolicyArn }),
      DetachUserPolicy: op(detachPolicy('User'), user, { conditions: withPolicyArn }),
      ListAttachedUserPolicies: op(listAttachedPolicies('User'), user),
      AttachGroupPolicy: op(attachPolicy('Group'), group, { conditions: withPolicyArn }),
      DetachGroupPolicy: op(detachPolicy('Group'), group, { conditions: withPolicyArn }),
      ListAttachedGroupPolicies: op(listAttachedPolicies('Group'), group),
      AttachRolePolicy: op(attachPolicy('Role'), role, { conditions: withPolicyArn }),
      DetachRolePolicy: op(detachPolicy('Role'), role, { conditions: withPolicyArn }),
      ListAttachedRolePolicies: op(listAttachedPolicies('Role'), role),

      PutUserPolicy: op(putInlinePolicy('User'), user),
      GetUserPolicy: op(getInlinePolicy('User'), user),
      DeleteUserPolicy: op(deleteInlinePolicy('User'), user),
      ListUserPolicies: op(listInlinePolicies('User'), user),
      PutGroupPolicy: op(putInlinePolicy('Group'), group),
      GetGroupPolicy: op(getInlinePolicy('Group'), group),
      DeleteGroupPolicy: op(deleteInlinePolicy('Group'), group),
      ListGroupPolicies: op(listInlinePolicies('Group'), group),
      PutRolePolicy: op(putInlinePolicy('Role'), role),
      GetRolePolicy: op(getInlinePolicy('Role'), role),
      DeleteRolePolicy: op(deleteInlinePolicy('Role'), role),
      ListRolePolicies: op(listInlinePolicies('Role'), role),

      CreateAccessKey: op(accessKeys.createAccessKey, user),
      ListAccessKeys: op(accessKeys.listAccessKeys, user),
      UpdateAccessKey: op(accessKeys.updateAccessKey, user),
      DeleteAccessKey: op(accessKeys.deleteAccessKey, user),
      GetAccessKeyLastUsed: op(accessKeys.getAccessKeyLastUsed, user),

      CreateLoginProfile: op(logins.createLoginProfile, user),
      GetLoginProfile: op(logins.getLoginProfile, user),
      UpdateLoginProfile: op(logins.updateLoginProfile, user),
      DeleteLoginProfile: op(logins.deleteLoginProfile, user),

      CreateVirtualMFADevice: op(mfa.createVirtualMFADevice, mfaDevice, { conditions: tagKeys }),
      EnableMFADevice: op(mfa.enableMFADevice, user),
      DeactivateMFADevice: op(mfa.deactivateMFADevice, user),
      ListMFADevices: op(mfa.listMFADevices, user),
      ListVirtualMFADevices: op(mfa.listVirtualMFADevices),
      DeleteVirtualMFADevice: op(mfa.deleteVirtualMFADevice, mfaDevice),

      UpdateAccountPasswordPolicy: op(account.updateAccountPasswordPolicy),
      GetAccountPasswordPolicy: op(account.getAccountPasswordPolicy),
      DeleteAccountPasswordPolicy: op(account.deleteAccountPasswordPolicy),
      GetAccountSummary: op(account.getAccountSummary),
      CreateAccountAlias: op(account.createAccountAlias),
      DeleteAccountAlias: op(account.deleteAccountAlias),
      ListAccountAliases: op(account.listAccountAliases),
      GenerateCredentialReport: op(report.generateCredentialReport, undefined, { readOnly: false }),
      GetCredentialReport: op(report.getCredentialReport),

      CreateInstanceProfile: op(profiles.createInstanceProfile, instanceProfile, { conditions: tagKeys }),
      GetInstanceProfile: op(profiles.getInstanceProfile, instanceProfile),
      ListInstanceProfiles: op(profiles.listInstanceProfiles),
      DeleteInstanceProfile: op(profiles.deleteInstanceProfile, instanceProfile),
      AddRoleToInstanceProfile: op(profiles.addRoleToInstanceProfile, instanceProfile),
      RemoveRoleFromInstanceProfile: op(profiles.removeRoleFromInstanceProfile, instanceProfile),
      ListInstanceProfilesForRole: op(profiles.listInstanceProfilesForRole, role),
    },
  };
}
