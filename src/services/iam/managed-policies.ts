/**
 * @module
 * Managed policies: CreatePolicy, GetPolicy, ListPolicies (AWS managed and the account's own),
 * DeletePolicy, policy versions (5 at most; one default), tags and ListEntitiesForPolicy.
 */
import type {
  CreatePolicyCommandInput, CreatePolicyCommandOutput, CreatePolicyVersionCommandInput, CreatePolicyVersionCommandOutput,
  DeletePolicyCommandInput, DeletePolicyCommandOutput, DeletePolicyVersionCommandInput, DeletePolicyVersionCommandOutput,
  GetPolicyCommandInput, GetPolicyCommandOutput, GetPolicyVersionCommandInput, GetPolicyVersionCommandOutput,
  ListEntitiesForPolicyCommandInput, ListEntitiesForPolicyCommandOutput, ListPoliciesCommandInput, ListPoliciesCommandOutput,
  ListPolicyTagsCommandInput, ListPolicyTagsCommandOutput, ListPolicyVersionsCommandInput, ListPolicyVersionsCommandOutput, Policy,
  SetDefaultPolicyVersionCommandInput, SetDefaultPolicyVersionCommandOutput, TagPolicyCommandInput, TagPolicyCommandOutput,
  UntagPolicyCommandInput, UntagPolicyCommandOutput,
} from '@aws-sdk/client-iam';
import { newIamId } from '../../core/ids.js';
import type { CallContext, Handler, Out } from '../service.js';
import { changed, touched, RESOURCE_TYPE } from './changes.js';
import {
  deleteEntity, findPolicy, getEntity, iamArn, KIND, listEntities, putEntity, type GroupDoc, type PolicyDoc, type RoleDoc, type UserDoc,
} from './entities.js';
import { DeleteConflictException, EntityAlreadyExistsException, IamValidationError, LimitExceededException, NoSuchEntityException } from './errors.js';
import { mergeTags, removeTags } from './names.js';
import { paginate } from './paging.js';
import { AWS_MANAGED_POLICIES, AWS_POLICY_PREFIX, checkManagedDocument, encodeDocument, type AwsManagedPolicy } from './policy-documents.js';
import { awsPolicyUsage } from './policy-usage.js';

const MAX_VERSIONS = 5;

function fromCustomer(doc: PolicyDoc, withTags: boolean): Policy {
  return {
    PolicyName: doc.PolicyName, PolicyId: doc.PolicyId, Arn: doc.Arn, Path: doc.Path, DefaultVersionId: doc.DefaultVersionId,
    AttachmentCount: doc.AttachmentCount, PermissionsBoundaryUsageCount: doc.PermissionsBoundaryUsageCount, IsAttachable: true,
    Description: doc.Description, CreateDate: new Date(doc.createdAt), UpdateDate: new Date(doc.updatedAt),
    Tags: withTags && doc.Tags.length ? doc.Tags : undefined,
  };
}

async function fromAws(ctx: Pick<CallContext, 'tx' | 'scope'>, policy: AwsManagedPolicy): Promise<Policy> {
  const usage = await awsPolicyUsage(ctx, policy.Arn);
  return {
    PolicyName: policy.PolicyName, PolicyId: policy.PolicyId, Arn: policy.Arn, Path: policy.Path, DefaultVersionId: policy.DefaultVersionId,
    AttachmentCount: usage.AttachmentCount, PermissionsBoundaryUsageCount: usage.PermissionsBoundaryUsageCount,
    IsAttachable: !policy.Path.startsWith('/aws-service-role/'), CreateDate: policy.CreateDate, UpdateDate: policy.UpdateDate,
  };
}

function notFound(arn: string): NoSuchEntityException {
  return new NoSuchEntityException(`Policy ${arn} was not found.`);
}

async function requirePolicy(ctx: CallContext, arn: string): Promise<PolicyDoc> {
  const policy = await findPolicy(ctx.tx, ctx.scope.accountId, arn);
  if (!policy) throw notFound(arn);
  return policy;
}

async function savePolicy(ctx: CallContext, policy: PolicyDoc): Promise<void> {
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.policy, policy.PolicyName, policy);
  await changed(ctx, policy);
}

/** CreatePolicy. */
export const createPolicy: Handler<CreatePolicyCommandInput, Out<CreatePolicyCommandOutput>> = async (input, ctx) => {
  const name = input.PolicyName ?? '';
  const path = input.Path ?? '/';
  const text = input.PolicyDocument ?? '';
  checkManagedDocument(text);
  const tags = mergeTags([], input.Tags);
  const { accountId } = ctx.scope;
  if (await getEntity(ctx.tx, accountId, KIND.policy, name)) {
    throw new EntityAlreadyExistsException(`A policy called ${name} already exists. Duplicate names are not allowed.`);
  }
  const policy: PolicyDoc = {
    PolicyName: name, PolicyId: newIamId('ANPA'), Arn: iamArn(accountId, 'policy', path, name), Path: path, Description: input.Description,
    createdAt: ctx.now, updatedAt: ctx.now, DefaultVersionId: 'v1', AttachmentCount: 0, PermissionsBoundaryUsageCount: 0, Tags: tags,
    versions: [{ VersionId: 'v1', Document: text, createdAt: ctx.now }], nextVersion: 2,
  };
  await savePolicy(ctx, policy);
  const { Description: _d, ...shown } = fromCustomer(policy, true);
  return { Policy: shown };
};

/** GetPolicy: an AWS managed policy or one of the account's. */
export const getPolicy: Handler<GetPolicyCommandInput, Out<GetPolicyCommandOutput>> = async (input, ctx) => {
  const arn = input.PolicyArn ?? '';
  const aws = AWS_MANAGED_POLICIES.get(arn);
  if (aws) return { Policy: await fromAws(ctx, aws) };
  const policy = await requirePolicy(ctx, arn);
  touched(ctx, RESOURCE_TYPE.policy, policy.PolicyName, policy.Arn);
  return { Policy: fromCustomer(policy, true) };
};

/** ListPolicies: Scope All, AWS or Local; OnlyAttached; PathPrefix; in name order. */
export const listPolicies: Handler<ListPoliciesCommandInput, Out<ListPoliciesCommandOutput>> = async (input, ctx) => {
  const scope = input.Scope ?? 'All';
  const prefix = input.PathPrefix ?? '/';
  const all: Policy[] = [];
  if (scope !== 'Local') for (const aws of AWS_MANAGED_POLICIES.values()) all.push(await fromAws(ctx, aws));
  if (scope !== 'AWS') for (const doc of await listEntities<PolicyDoc>(ctx.tx, ctx.scope.accountId, KIND.policy)) all.push(fromCustomer(doc, false));
  const policies = all
    .filter((p) => p.Path!.startsWith(prefix) && (!input.OnlyAttached || (p.AttachmentCount ?? 0) > 0))
    .filter((p) => input.PolicyUsageFilter !== 'PermissionsBoundary' || (p.PermissionsBoundaryUsageCount ?? 0) > 0)
    .sort((a, b) => a.PolicyName!.localeCompare(b.PolicyName!));
  const page = paginate(policies, input, ['ListPolicies', scope, prefix, input.OnlyAttached ?? false, input.PolicyUsageFilter ?? '']);
  return { Policies: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
};

/** DeletePolicy: only when detached and down to its default version. */
export const deletePolicy: Handler<DeletePolicyCommandInput, Out<DeletePolicyCommandOutput>> = async (input, ctx) => {
  const policy = await requirePolicy(ctx, input.PolicyArn ?? '');
  if (policy.AttachmentCount > 0) throw new DeleteConflictException('Cannot delete a policy attached to entities.');
  if (policy.PermissionsBoundaryUsageCount > 0) throw new DeleteConflictException('Cannot delete a policy used as a permissions boundary.');
  if (policy.versions.length > 1) {
    throw new DeleteConflictException("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
  }
  await deleteEntity(ctx.tx, ctx.scope.accountId, KIND.policy, policy.PolicyName);
  await changed(ctx, policy, true);
  return {};
};

/** CreatePolicyVersion. */
export const createPolicyVersion: Handler<CreatePolicyVersionCommandInput, Out<CreatePolicyVersionCommandOutput>> = async (input, ctx) => {
  const policy = await requirePolicy(ctx, input.PolicyArn ?? '');
  const text = input.PolicyDocument ?? '';
  checkManagedDocument(text);
  if (policy.versions.length >= MAX_VERSIONS) {
    throw new LimitExceededException('A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
  }
  const version = { VersionId: `v${policy.nextVersion}`, Document: text, createdAt: ctx.now };
  policy.versions.push(version);
  policy.nextVersion += 1;
  if (input.SetAsDefault) policy.DefaultVersionId = version.VersionId;
  policy.updatedAt = ctx.now;
  await savePolicy(ctx, policy);
  return { PolicyVersion: { VersionId: version.VersionId, IsDefaultVersion: policy.DefaultVersionId === version.VersionId, CreateDate: new Date(version.createdAt) } };
};

function versionNotFound(arn: string, versionId: string): NoSuchEntityException {
  return new NoSuchEntityException(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
}

function checkVersionId(versionId: string): void {
  if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(versionId)) {
    throw new IamValidationError(`1 validation error detected: Value '${versionId}' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?`);
  }
}

/** GetPolicyVersion: the document URL-encoded, as IAM returns it. */
export const getPolicyVersion: Handler<GetPolicyVersionCommandInput, Out<GetPolicyVersionCommandOutput>> = async (input, ctx) => {
  const arn = input.PolicyArn ?? '';
  const versionId = input.VersionId ?? '';
  checkVersionId(versionId);
  const aws = AWS_MANAGED_POLICIES.get(arn);
  if (aws) {
    if (versionId !== aws.DefaultVersionId) throw versionNotFound(arn, versionId);
    return { PolicyVersion: { Document: encodeDocument(aws.document), VersionId: versionId, IsDefaultVersion: true, CreateDate: aws.UpdateDate } };
  }
  const policy = await findPolicy(ctx.tx, ctx.scope.accountId, arn);
  const version = policy?.versions.find((v) => v.VersionId === versionId);
  if (!policy || !version) throw versionNotFound(arn, versionId);
  return {
    PolicyVersion: { Document: encodeDocument(version.Document), VersionId: versionId, IsDefaultVersion: policy.DefaultVersionId === versionId, CreateDate: new Date(version.createdAt) },
  };
};

/** ListPolicyVersions: newest first. */
export const listPolicyVersions: Handler<ListPolicyVersionsCommandInput, Out<ListPolicyVersionsCommandOutput>> = async (input, ctx) => {
  const arn = input.PolicyArn ?? '';
  const aws = AWS_MANAGED_POLICIES.get(arn);
  if (aws) return { Versions: [{ VersionId: aws.DefaultVersionId, IsDefaultVersion: true, CreateDate: aws.UpdateDate }], IsTruncated: false };
  const policy = await requirePolicy(ctx, arn);
  const versions = [...policy.versions].reverse().map((v) => ({ VersionId: v.VersionId, IsDefaultVersion: v.VersionId === policy.DefaultVersionId, CreateDate: new Date(v.createdAt) }));
  const page = paginate(versions, input, ['ListPolicyVersions', policy.PolicyId]);
  return { Versions: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
};

/** DeletePolicyVersion: any version but the default. */
export const deletePolicyVersion: Handler<DeletePolicyVersionCommandInput, Out<DeletePolicyVersionCommandOutput>> = async (input, ctx) => {
  const arn = input.PolicyArn ?? '';
  const versionId = input.VersionId ?? '';
  checkVersionId(versionId);
  const policy = await requirePolicy(ctx, arn);
  if (!policy.versions.some((v) => v.VersionId === versionId)) throw versionNotFound(arn, versionId);
  if (policy.DefaultVersionId === versionId) throw new DeleteConflictException('Cannot delete the default version of a policy.');
  policy.versions = policy.versions.filter((v) => v.VersionId !== versionId);
  await savePolicy(ctx, policy);
  return {};
};

/** SetDefaultPolicyVersion. */
export const setDefaultPolicyVersion: Handler<SetDefaultPolicyVersionCommandInput, Out<SetDefaultPolicyVersionCommandOutput>> = async (input, ctx) => {
  const arn = input.PolicyArn ?? '';
  const versionId = input.VersionId ?? '';
  checkVersionId(versionId);
  const policy = await requirePolicy(ctx, arn);
  if (!policy.versions.some((v) => v.VersionId === versionId)) throw versionNotFound(arn, versionId);
  policy.DefaultVersionId = versionId;
  policy.updatedAt = ctx.now;
  await savePolicy(ctx, policy);
  return {};
};

/** TagPolicy. */
export const tagPolicy: Handler<TagPolicyCommandInput, Out<TagPolicyCommandOutput>> = async (input, ctx) => {
  const policy = await requirePolicy(ctx, input.PolicyArn ?? '');
  policy.Tags = mergeTags(policy.Tags, input.Tags);
  await savePolicy(ctx, policy);
  return {};
};

/** UntagPolicy. */
export const untagPolicy: Handler<UntagPolicyCommandInput, Out<UntagPolicyCommandOutput>> = async (input, ctx) => {
  const policy = await requirePolicy(ctx, input.PolicyArn ?? '');
  policy.Tags = removeTags(policy.Tags, input.TagKeys);
  await savePolicy(ctx, policy);
  return {};
};

/** ListPolicyTags. */
export const listPolicyTags: Handler<ListPolicyTagsCommandInput, Out<ListPolicyTagsCommandOutput>> = async (input, ctx) => {
  const policy = await requirePolicy(ctx, input.PolicyArn ?? '');
  const page = paginate(policy.Tags, input, ['ListPolicyTags', policy.PolicyId]);
  return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
};

/** ListEntitiesForPolicy: the users, groups and roles a managed policy is attached to. */
export const listEntitiesForPolicy: Handler<ListEntitiesForPolicyCommandInput, Out<ListEntitiesForPolicyCommandOutput>> = async (input, ctx) => {
  const arn = input.PolicyArn ?? '';
  if (!arn.startsWith(AWS_POLICY_PREFIX) || !AWS_MANAGED_POLICIES.has(arn)) await requirePolicy(ctx, arn);
  const filter = input.EntityFilter;
  const { accountId } = ctx.scope;
  const users = !filter || filter === 'User' ? (await listEntities<UserDoc>(ctx.tx, accountId, KIND.user)).filter((u) => u.attached.includes(arn)) : [];
  const groups = !filter || filter === 'Group' ? (await listEntities<GroupDoc>(ctx.tx, accountId, KIND.group)).filter((g) => g.attached.includes(arn)) : [];
  const roles = !filter || filter === 'Role' ? (await listEntities<RoleDoc>(ctx.tx, accountId, KIND.role)).filter((r) => r.attached.includes(arn)) : [];
  return {
    PolicyUsers: users.map((u) => ({ UserName: u.UserName, UserId: u.UserId })),
    PolicyGroups: groups.map((g) => ({ GroupName: g.GroupName, GroupId: g.GroupId })),
    PolicyRoles: roles.map((r) => ({ RoleName: r.RoleName, RoleId: r.RoleId })),
    IsTruncated: false,
  };
};
