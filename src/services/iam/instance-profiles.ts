/**
 * @module
 * Instance profiles: CreateInstanceProfile, GetInstanceProfile, ListInstanceProfiles,
 * DeleteInstanceProfile, AddRoleToInstanceProfile (one role each), RemoveRoleFromInstanceProfile,
 * ListInstanceProfilesForRole.
 */
import type {
  AddRoleToInstanceProfileCommandInput, AddRoleToInstanceProfileCommandOutput, CreateInstanceProfileCommandInput,
  CreateInstanceProfileCommandOutput, DeleteInstanceProfileCommandInput, DeleteInstanceProfileCommandOutput, GetInstanceProfileCommandInput,
  GetInstanceProfileCommandOutput, InstanceProfile, ListInstanceProfilesCommandInput, ListInstanceProfilesCommandOutput,
  ListInstanceProfilesForRoleCommandInput, ListInstanceProfilesForRoleCommandOutput, RemoveRoleFromInstanceProfileCommandInput,
  RemoveRoleFromInstanceProfileCommandOutput,
} from '@aws-sdk/client-iam';
import { newIamId } from '../../core/ids.js';
import { recordResourceChange } from '../resource-changes.js';
import type { CallContext, Handler, Out } from '../service.js';
import { changed, RESOURCE_TYPE } from './changes.js';
import {
  deleteEntity, getEntity, iamArn, KIND, listEntities, putEntity, requireRole, type InstanceProfileDoc, type RoleDoc,
} from './entities.js';
import { DeleteConflictException, EntityAlreadyExistsException, LimitExceededException, NoSuchEntityException } from './errors.js';
import { mergeTags } from './names.js';
import { paginate } from './paging.js';
import { toRole } from './roles.js';

async function requireProfile(ctx: CallContext, name: string): Promise<InstanceProfileDoc> {
  const profile = await getEntity<InstanceProfileDoc>(ctx.tx, ctx.scope.accountId, KIND.instanceProfile, name);
  if (!profile) throw new NoSuchEntityException(`Instance Profile ${name} cannot be found.`);
  return profile;
}

async function toProfile(ctx: CallContext, doc: InstanceProfileDoc): Promise<InstanceProfile> {
  const roles: RoleDoc[] = [];
  for (const name of doc.roles) {
    const role = await getEntity<RoleDoc>(ctx.tx, ctx.scope.accountId, KIND.role, name);
    if (role) roles.push(role);
  }
  return {
    Path: doc.Path, InstanceProfileName: doc.InstanceProfileName, InstanceProfileId: doc.InstanceProfileId, Arn: doc.Arn,
    CreateDate: new Date(doc.createdAt), Roles: roles.map((r) => toRole(r, false)), Tags: doc.Tags.length ? doc.Tags : undefined,
  };
}

async function saveProfile(ctx: CallContext, doc: InstanceProfileDoc, deleted = false): Promise<void> {
  if (deleted) await deleteEntity(ctx.tx, ctx.scope.accountId, KIND.instanceProfile, doc.InstanceProfileName);
  else await putEntity(ctx.tx, ctx.scope.accountId, KIND.instanceProfile, doc.InstanceProfileName, doc);
  ctx.audit.resources.push({ type: RESOURCE_TYPE.instanceProfile, name: doc.InstanceProfileName, arn: doc.Arn });
  await recordResourceChange(ctx, { resourceType: RESOURCE_TYPE.instanceProfile, resourceId: doc.InstanceProfileId, resourceName: doc.InstanceProfileName, arn: doc.Arn, deleted });
}

/** CreateInstanceProfile. */
export const createInstanceProfile: Handler<CreateInstanceProfileCommandInput, Out<CreateInstanceProfileCommandOutput>> = async (input, ctx) => {
  const name = input.InstanceProfileName ?? '';
  const path = input.Path ?? '/';
  if (await getEntity(ctx.tx, ctx.scope.accountId, KIND.instanceProfile, name)) throw new EntityAlreadyExistsException(`Instance Profile ${name} already exists.`);
  const doc: InstanceProfileDoc = {
    InstanceProfileName: name, InstanceProfileId: newIamId('AIPA'), Arn: iamArn(ctx.scope.accountId, 'instance-profile', path, name), Path: path,
    createdAt: ctx.now, roles: [], Tags: mergeTags([], input.Tags),
  };
  await saveProfile(ctx, doc);
  return { InstanceProfile: await toProfile(ctx, doc) };
};

/** GetInstanceProfile. */
export const getInstanceProfile: Handler<GetInstanceProfileCommandInput, Out<GetInstanceProfileCommandOutput>> = async (input, ctx) => ({
  InstanceProfile: await toProfile(ctx, await requireProfile(ctx, input.InstanceProfileName ?? '')),
});

/** ListInstanceProfiles. */
export const listInstanceProfiles: Handler<ListInstanceProfilesCommandInput, Out<ListInstanceProfilesCommandOutput>> = async (input, ctx) => {
  const prefix = input.PathPrefix ?? '/';
  const all = (await listEntities<InstanceProfileDoc>(ctx.tx, ctx.scope.accountId, KIND.instanceProfile)).filter((p) => p.Path.startsWith(prefix));
  const page = paginate(all, input, ['ListInstanceProfiles', prefix]);
  const shown: InstanceProfile[] = [];
  for (const p of page.items) shown.push(await toProfile(ctx, p));
  return { InstanceProfiles: shown, IsTruncated: page.IsTruncated, Marker: page.Marker };
};

/** DeleteInstanceProfile: only without a role. */
export const deleteInstanceProfile: Handler<DeleteInstanceProfileCommandInput, Out<DeleteInstanceProfileCommandOutput>> = async (input, ctx) => {
  const profile = await requireProfile(ctx, input.InstanceProfileName ?? '');
  if (profile.roles.length) throw new DeleteConflictException('Cannot delete entity, must remove roles from instance profile first.');
  await saveProfile(ctx, profile, true);
  return {};
};

/** AddRoleToInstanceProfile. */
export const addRoleToInstanceProfile: Handler<AddRoleToInstanceProfileCommandInput, Out<AddRoleToInstanceProfileCommandOutput>> = async (input, ctx) => {
  const profile = await requireProfile(ctx, input.InstanceProfileName ?? '');
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  if (profile.roles.length >= 1) throw new LimitExceededException('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
  profile.roles.push(role.RoleName);
  role.instanceProfiles.push(profile.InstanceProfileName);
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.role, role.RoleName, role);
  await saveProfile(ctx, profile);
  await changed(ctx, role);
  return {};
};

/** RemoveRoleFromInstanceProfile. */
export const removeRoleFromInstanceProfile: Handler<RemoveRoleFromInstanceProfileCommandInput, Out<RemoveRoleFromInstanceProfileCommandOutput>> = async (input, ctx) => {
  const profile = await requireProfile(ctx, input.InstanceProfileName ?? '');
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  if (!profile.roles.includes(role.RoleName)) throw new NoSuchEntityException(`The role with name ${role.RoleName} cannot be found.`);
  profile.roles = profile.roles.filter((r) => r !== role.RoleName);
  role.instanceProfiles = role.instanceProfiles.filter((p) => p !== profile.InstanceProfileName);
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.role, role.RoleName, role);
  await saveProfile(ctx, profile);
  await changed(ctx, role);
  return {};
};

/** ListInstanceProfilesForRole. */
export const listInstanceProfilesForRole: Handler<ListInstanceProfilesForRoleCommandInput, Out<ListInstanceProfilesForRoleCommandOutput>> = async (input, ctx) => {
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  const page = paginate([...role.instanceProfiles].sort(), input, ['ListInstanceProfilesForRole', role.RoleId]);
  const shown: InstanceProfile[] = [];
  for (const name of page.items) shown.push(await toProfile(ctx, await requireProfile(ctx, name)));
  return { InstanceProfiles: shown, IsTruncated: page.IsTruncated, Marker: page.Marker };
};
