/**
 * @module
 * Roles: CreateRole, GetRole, ListRoles, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy,
 * DeleteRole, and their tags.
 */
import type {
  CreateRoleCommandInput, CreateRoleCommandOutput, DeleteRoleCommandInput, DeleteRoleCommandOutput, GetRoleCommandInput,
  GetRoleCommandOutput, ListRolesCommandInput, ListRolesCommandOutput, ListRoleTagsCommandInput, ListRoleTagsCommandOutput, Role,
  TagRoleCommandInput, TagRoleCommandOutput, UntagRoleCommandInput, UntagRoleCommandOutput, UpdateAssumeRolePolicyCommandInput,
  UpdateAssumeRolePolicyCommandOutput, UpdateRoleCommandInput, UpdateRoleCommandOutput, UpdateRoleDescriptionCommandInput,
  UpdateRoleDescriptionCommandOutput,
} from '@aws-sdk/client-iam';
import { newIamId } from '../../core/ids.js';
import { validationMessage } from '../common-errors.js';
import type { CallContext, Handler, Out } from '../service.js';
import { checkBoundary, useBoundary } from './boundaries.js';
import { changed, touched, RESOURCE_TYPE } from './changes.js';
import { deleteEntity, getEntity, iamArn, KIND, listEntities, putEntity, requireRole, type RoleDoc } from './entities.js';
import { DeleteConflictException, EntityAlreadyExistsException, IamValidationError, UnmodifiableEntityException } from './errors.js';
import { mergeTags, removeTags, type Tag } from './names.js';
import { paginate } from './paging.js';
import { checkTrustPolicy, encodeDocument } from './policy-documents.js';

/** A role as IAM shows it (GetRole shows tags and last use; lists do not). */
export function toRole(doc: RoleDoc, full = true): Role {
  return {
    Path: doc.Path,
    RoleName: doc.RoleName,
    RoleId: doc.RoleId,
    Arn: doc.Arn,
    CreateDate: new Date(doc.createdAt),
    AssumeRolePolicyDocument: encodeDocument(doc.AssumeRolePolicyDocument),
    Description: doc.Description,
    MaxSessionDuration: doc.MaxSessionDuration,
    PermissionsBoundary: doc.PermissionsBoundary ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: doc.PermissionsBoundary } : undefined,
    Tags: full && doc.Tags.length ? doc.Tags : undefined,
    RoleLastUsed: full ? (doc.lastUsed ? { LastUsedDate: new Date(doc.lastUsed.at), Region: doc.lastUsed.region } : {}) : undefined,
  };
}

function checkMaxSessionDuration(value: number | undefined): number {
  if (value === undefined) return 3600;
  if (value < 3600 || value > 43200) {
    const constraint = value < 3600 ? 'Member must have value greater than or equal to 3600' : 'Member must have value less than or equal to 43200';
    throw new IamValidationError(validationMessage([`Value '${value}' at 'maxSessionDuration' failed to satisfy constraint: ${constraint}`]));
  }
  return value;
}

/** Refuses changes to a service-linked role. */
export function checkModifiable(role: RoleDoc): void {
  if (role.serviceLinked) {
    throw new UnmodifiableEntityException(`Cannot perform the operation on the protected role '${role.RoleName}' - this role is only modifiable by AWS`);
  }
}

/** Creates a role document (CreateRole and CreateServiceLinkedRole). */
export async function newRole(ctx: CallContext, fields: {
  name: string; path: string; trust: string; description?: string; maxSessionDuration: number; boundary?: string; tags: Tag[]; serviceLinked?: string;
}): Promise<RoleDoc> {
  const { accountId } = ctx.scope;
  if (await getEntity(ctx.tx, accountId, KIND.role, fields.name)) throw new EntityAlreadyExistsException(`Role with name ${fields.name} already exists.`);
  const role: RoleDoc = {
    RoleName: fields.name, RoleId: newIamId('AROA'), Arn: iamArn(accountId, 'role', fields.path, fields.name), Path: fields.path,
    createdAt: ctx.now, AssumeRolePolicyDocument: fields.trust, Description: fields.description, MaxSessionDuration: fields.maxSessionDuration,
    PermissionsBoundary: fields.boundary, Tags: fields.tags, attached: [], inline: {}, instanceProfiles: [], serviceLinked: fields.serviceLinked,
  };
  await putEntity(ctx.tx, accountId, KIND.role, fields.name, role);
  await changed(ctx, role);
  return role;
}

/** CreateRole. */
export const createRole: Handler<CreateRoleCommandInput, Out<CreateRoleCommandOutput>> = async (input, ctx) => {
  const name = input.RoleName ?? '';
  const path = input.Path ?? '/';
  const trust = input.AssumeRolePolicyDocument ?? '';
  checkTrustPolicy(trust);
  const tags = mergeTags([], input.Tags);
  if (input.PermissionsBoundary) await checkBoundary(ctx, input.PermissionsBoundary);
  const role = await newRole(ctx, {
    name, path, trust, description: input.Description, maxSessionDuration: checkMaxSessionDuration(input.MaxSessionDuration),
    boundary: input.PermissionsBoundary, tags,
  });
  if (input.PermissionsBoundary) await useBoundary(ctx, input.PermissionsBoundary, 1);
  const { RoleLastUsed: _unused, ...shown } = toRole(role);
  return { Role: shown };
};

/** GetRole. */
export const getRole: Handler<GetRoleCommandInput, Out<GetRoleCommandOutput>> = async (input, ctx) => {
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  touched(ctx, RESOURCE_TYPE.role, role.RoleName, role.Arn);
  return { Role: toRole(role) };
};

/** ListRoles. */
export const listRoles: Handler<ListRolesCommandInput, Out<ListRolesCommandOutput>> = async (input, ctx) => {
  const prefix = input.PathPrefix ?? '/';
  const roles = (await listEntities<RoleDoc>(ctx.tx, ctx.scope.accountId, KIND.role)).filter((r) => r.Path.startsWith(prefix));
  const page = paginate(roles, input, ['ListRoles', prefix]);
  return { Roles: page.items.map((r) => toRole(r, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

/** UpdateRole: description and maximum session duration. */
export const updateRole: Handler<UpdateRoleCommandInput, Out<UpdateRoleCommandOutput>> = async (input, ctx) => {
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  checkModifiable(role);
  if (input.Description !== undefined) role.Description = input.Description;
  if (input.MaxSessionDuration !== undefined) role.MaxSessionDuration = checkMaxSessionDuration(input.MaxSessionDuration);
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.role, role.RoleName, role);
  await changed(ctx, role);
  return {};
};

/** UpdateRoleDescription. */
export const updateRoleDescription: Handler<UpdateRoleDescriptionCommandInput, Out<UpdateRoleDescriptionCommandOutput>> = async (input, ctx) => {
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  checkModifiable(role);
  role.Description = input.Description;
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.role, role.RoleName, role);
  await changed(ctx, role);
  return { Role: toRole(role) };
};

/** UpdateAssumeRolePolicy: a new trust policy. */
export const updateAssumeRolePolicy: Handler<UpdateAssumeRolePolicyCommandInput, Out<UpdateAssumeRolePolicyCommandOutput>> = async (input, ctx) => {
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  checkModifiable(role);
  checkTrustPolicy(input.PolicyDocument ?? '');
  role.AssumeRolePolicyDocument = input.PolicyDocument ?? '';
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.role, role.RoleName, role);
  await changed(ctx, role);
  return {};
};

/** Deletes a role that has nothing attached (DeleteRole and DeleteServiceLinkedRole). */
export async function removeRole(ctx: CallContext, role: RoleDoc): Promise<void> {
  if (role.instanceProfiles.length) throw new DeleteConflictException('Cannot delete entity, must remove roles from instance profile first.');
  if (Object.keys(role.inline).length) throw new DeleteConflictException('Cannot delete entity, must delete policies first.');
  if (role.attached.length) throw new DeleteConflictException('Cannot delete entity, must detach all policies first.');
  if (role.PermissionsBoundary) await useBoundary(ctx, role.PermissionsBoundary, -1);
  await deleteEntity(ctx.tx, ctx.scope.accountId, KIND.role, role.RoleName);
  await changed(ctx, role, true);
}

/** DeleteRole. */
export const deleteRole: Handler<DeleteRoleCommandInput, Out<DeleteRoleCommandOutput>> = async (input, ctx) => {
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  checkModifiable(role);
  await removeRole(ctx, role);
  return {};
};

/** TagRole. */
export const tagRole: Handler<TagRoleCommandInput, Out<TagRoleCommandOutput>> = async (input, ctx) => {
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  role.Tags = mergeTags(role.Tags, input.Tags);
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.role, role.RoleName, role);
  await changed(ctx, role);
  return {};
};

/** UntagRole. */
export const untagRole: Handler<UntagRoleCommandInput, Out<UntagRoleCommandOutput>> = async (input, ctx) => {
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  role.Tags = removeTags(role.Tags, input.TagKeys);
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.role, role.RoleName, role);
  await changed(ctx, role);
  return {};
};

/** ListRoleTags. */
export const listRoleTags: Handler<ListRoleTagsCommandInput, Out<ListRoleTagsCommandOutput>> = async (input, ctx) => {
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  const page = paginate(role.Tags, input, ['ListRoleTags', role.RoleId]);
  return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
};
