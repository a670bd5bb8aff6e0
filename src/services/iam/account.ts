/**
 * @module
 * Account-wide IAM settings and views: the password policy, GetAccountSummary and account aliases.
 */
import type {
  CreateAccountAliasCommandInput, CreateAccountAliasCommandOutput, DeleteAccountAliasCommandInput, DeleteAccountAliasCommandOutput,
  DeleteAccountPasswordPolicyCommandInput, DeleteAccountPasswordPolicyCommandOutput, GetAccountPasswordPolicyCommandInput,
  GetAccountPasswordPolicyCommandOutput, GetAccountSummaryCommandInput, GetAccountSummaryCommandOutput, ListAccountAliasesCommandInput,
  ListAccountAliasesCommandOutput, PasswordPolicy, UpdateAccountPasswordPolicyCommandInput, UpdateAccountPasswordPolicyCommandOutput,
} from '@aws-sdk/client-iam';
import type { Tx } from '../../store/types.js';
import type { Handler, Out } from '../service.js';
import { iamScope, KIND, listEntities, type GroupDoc, type MfaDeviceDoc, type PolicyDoc, type RoleDoc, type UserDoc } from './entities.js';
import { EntityAlreadyExistsException, IamValidationError, NoSuchEntityException } from './errors.js';

const PASSWORD_POLICY = 'password-policy';

/** The account's password policy, if one is set. */
export async function passwordPolicy(tx: Tx, accountId: string): Promise<PasswordPolicy | undefined> {
  return tx.documents.get<PasswordPolicy>(iamScope(accountId), KIND.account, PASSWORD_POLICY);
}

function range(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (value < min || value > max)) {
    const constraint = value < min ? `Member must have value greater than or equal to ${min}` : `Member must have value less than or equal to ${max}`;
    throw new IamValidationError(`1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: ${constraint}`);
  }
}

/** UpdateAccountPasswordPolicy: unspecified settings take their defaults. */
export const updateAccountPasswordPolicy: Handler<UpdateAccountPasswordPolicyCommandInput, Out<UpdateAccountPasswordPolicyCommandOutput>> = async (input, ctx) => {
  range('minimumPasswordLength', input.MinimumPasswordLength, 6, 128);
  range('maxPasswordAge', input.MaxPasswordAge, 1, 1095);
  range('passwordReusePrevention', input.PasswordReusePrevention, 1, 24);
  const policy: PasswordPolicy = {
    MinimumPasswordLength: input.MinimumPasswordLength ?? 6,
    RequireSymbols: input.RequireSymbols ?? false,
    RequireNumbers: input.RequireNumbers ?? false,
    RequireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
    RequireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
    AllowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
    ExpirePasswords: input.MaxPasswordAge !== undefined && input.MaxPasswordAge > 0,
    MaxPasswordAge: input.MaxPasswordAge,
    PasswordReusePrevention: input.PasswordReusePrevention,
    HardExpiry: input.HardExpiry,
  };
  await ctx.tx.documents.put(iamScope(ctx.scope.accountId), KIND.account, PASSWORD_POLICY, policy);
  ctx.audit.resources.push({ type: 'AWS::IAM::AccountPasswordPolicy', name: ctx.scope.accountId });
  return {};
};

/** GetAccountPasswordPolicy. */
export const getAccountPasswordPolicy: Handler<GetAccountPasswordPolicyCommandInput, Out<GetAccountPasswordPolicyCommandOutput>> = async (_input, ctx) => {
  const policy = await passwordPolicy(ctx.tx, ctx.scope.accountId);
  if (!policy) throw new NoSuchEntityException(`The Password Policy with domain name ${ctx.scope.accountId} cannot be found.`);
  return { PasswordPolicy: policy };
};

/** DeleteAccountPasswordPolicy. */
export const deleteAccountPasswordPolicy: Handler<DeleteAccountPasswordPolicyCommandInput, Out<DeleteAccountPasswordPolicyCommandOutput>> = async (_input, ctx) => {
  if (!(await ctx.tx.documents.delete(iamScope(ctx.scope.accountId), KIND.account, PASSWORD_POLICY))) {
    throw new NoSuchEntityException('The account policy with name PasswordPolicy cannot be found.');
  }
  return {};
};

/** GetAccountSummary: entity counts and IAM's default quotas. */
export const getAccountSummary: Handler<GetAccountSummaryCommandInput, Out<GetAccountSummaryCommandOutput>> = async (_input, ctx) => {
  const { accountId } = ctx.scope;
  const users = await listEntities<UserDoc>(ctx.tx, accountId, KIND.user);
  const roles = await listEntities<RoleDoc>(ctx.tx, accountId, KIND.role);
  const groups = await listEntities<GroupDoc>(ctx.tx, accountId, KIND.group);
  const policies = await listEntities<PolicyDoc>(ctx.tx, accountId, KIND.policy);
  const devices = await listEntities<MfaDeviceDoc>(ctx.tx, accountId, KIND.mfa);
  const rootArn = `arn:aws:iam::${accountId}:root`;
  const rootKeys = (await ctx.tx.credentials.listForOwner(accountId, rootArn)).filter((k) => k.sessionToken === undefined);
  const instanceProfiles = await ctx.tx.documents.count(iamScope(accountId), KIND.instanceProfile);
  return {
    SummaryMap: {
      Users: users.length, UsersQuota: 5000,
      Groups: groups.length, GroupsQuota: 300,
      Roles: roles.length, RolesQuota: 1000,
      Policies: policies.length, PoliciesQuota: 1500,
      PolicyVersionsInUse: policies.reduce((n, p) => n + p.AttachmentCount, 0), PolicyVersionsInUseQuota: 10000,
      VersionsPerPolicyQuota: 5, PolicySizeQuota: 6144,
      InstanceProfiles: instanceProfiles, InstanceProfilesQuota: 1000,
      MFADevices: devices.length, MFADevicesInUse: devices.filter((d) => d.user).length,
      AccountMFAEnabled: 0,
      AccountAccessKeysPresent: rootKeys.length > 0 ? 1 : 0,
      AccountSigningCertificatesPresent: 0,
      AccessKeysPerUserQuota: 2, GroupsPerUserQuota: 10,
      AttachedPoliciesPerUserQuota: 10, AttachedPoliciesPerGroupQuota: 10, AttachedPoliciesPerRoleQuota: 10,
      UserPolicySizeQuota: 2048, GroupPolicySizeQuota: 5120, RolePolicySizeQuota: 10240, AssumeRolePolicySizeQuota: 2048,
      ServerCertificates: 0, ServerCertificatesQuota: 20, SigningCertificatesPerUserQuota: 2, Providers: 0,
      GlobalEndpointTokenVersion: 1,
    },
  };
};

/** CreateAccountAlias: one alias per account. */
export const createAccountAlias: Handler<CreateAccountAliasCommandInput, Out<CreateAccountAliasCommandOutput>> = async (input, ctx) => {
  const alias = input.AccountAlias ?? '';
  if (!/^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(alias)) {
    throw new IamValidationError(`1 validation error detected: Value '${alias}' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`);
  }
  for (const other of await ctx.tx.accounts.list()) {
    if (other.alias === alias && other.accountId !== ctx.scope.accountId) throw new EntityAlreadyExistsException(`The account alias ${alias} already exists.`);
  }
  const account = await ctx.tx.accounts.get(ctx.scope.accountId);
  await ctx.tx.accounts.put({ accountId: ctx.scope.accountId, createdAt: account?.createdAt ?? ctx.now, alias });
  return {};
};

/** DeleteAccountAlias. */
export const deleteAccountAlias: Handler<DeleteAccountAliasCommandInput, Out<DeleteAccountAliasCommandOutput>> = async (input, ctx) => {
  const account = await ctx.tx.accounts.get(ctx.scope.accountId);
  if (!account?.alias || account.alias !== input.AccountAlias) throw new NoSuchEntityException(`The account alias ${input.AccountAlias} cannot be found.`);
  await ctx.tx.accounts.put({ accountId: account.accountId, createdAt: account.createdAt });
  return {};
};

/** ListAccountAliases. */
export const listAccountAliases: Handler<ListAccountAliasesCommandInput, Out<ListAccountAliasesCommandOutput>> = async (_input, ctx) => {
  const account = await ctx.tx.accounts.get(ctx.scope.accountId);
  return { AccountAliases: account?.alias ? [account.alias] : [], IsTruncated: false };
};
