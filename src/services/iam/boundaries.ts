/**
 * @module
 * Permissions boundaries of users and roles: Put/Delete User/Role PermissionsBoundary.
 */
import type {
  DeleteRolePermissionsBoundaryCommandInput, DeleteRolePermissionsBoundaryCommandOutput, DeleteUserPermissionsBoundaryCommandInput,
  DeleteUserPermissionsBoundaryCommandOutput, PutRolePermissionsBoundaryCommandInput, PutRolePermissionsBoundaryCommandOutput,
  PutUserPermissionsBoundaryCommandInput, PutUserPermissionsBoundaryCommandOutput,
} from '@aws-sdk/client-iam';
import type { CallContext, Handler, Out } from '../service.js';
import { changed } from './changes.js';
import { KIND, putEntity, requireRole, requireUser, type RoleDoc, type UserDoc } from './entities.js';
import { InvalidInputException, NoSuchEntityException, UnmodifiableEntityException } from './errors.js';
import { checkAttachable, countUse } from './policy-usage.js';

/** Checks that a boundary ARN names a managed policy. */
export async function checkBoundary(ctx: CallContext, arn: string): Promise<void> {
  if (!arn.startsWith('arn:')) throw new InvalidInputException(`ARN ${arn} is not valid.`);
  await checkAttachable(ctx, arn);
}

/** Counts a boundary use (+1) or its end (-1) on the policy. */
export async function useBoundary(ctx: CallContext, arn: string, delta: number): Promise<void> {
  await countUse(ctx, arn, 'PermissionsBoundaryUsageCount', delta);
}

async function setBoundary(ctx: CallContext, holder: UserDoc | RoleDoc, arn: string | undefined): Promise<void> {
  if (arn !== undefined) await checkBoundary(ctx, arn);
  if (holder.PermissionsBoundary) await useBoundary(ctx, holder.PermissionsBoundary, -1);
  if (arn !== undefined) await useBoundary(ctx, arn, 1);
  holder.PermissionsBoundary = arn;
  const isUser = 'UserName' in holder;
  await putEntity(ctx.tx, ctx.scope.accountId, isUser ? KIND.user : KIND.role, isUser ? holder.UserName : holder.RoleName, holder);
  await changed(ctx, holder);
}

/** PutUserPermissionsBoundary. */
export const putUserPermissionsBoundary: Handler<PutUserPermissionsBoundaryCommandInput, Out<PutUserPermissionsBoundaryCommandOutput>> = async (input, ctx) => {
  await setBoundary(ctx, await requireUser(ctx.tx, ctx.scope.accountId, input.UserName ?? ''), input.PermissionsBoundary ?? '');
  return {};
};

/** DeleteUserPermissionsBoundary. */
export const deleteUserPermissionsBoundary: Handler<DeleteUserPermissionsBoundaryCommandInput, Out<DeleteUserPermissionsBoundaryCommandOutput>> = async (input, ctx) => {
  const user = await requireUser(ctx.tx, ctx.scope.accountId, input.UserName ?? '');
  if (!user.PermissionsBoundary) throw new NoSuchEntityException(`The user with name ${user.UserName} has no permissions boundary.`);
  await setBoundary(ctx, user, undefined);
  return {};
};

/** PutRolePermissionsBoundary. */
export const putRolePermissionsBoundary: Handler<PutRolePermissionsBoundaryCommandInput, Out<PutRolePermissionsBoundaryCommandOutput>> = async (input, ctx) => {
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  if (role.serviceLinked) throw new UnmodifiableEntityException(`Cannot perform the operation on the protected role '${role.RoleName}' - this role is only modifiable by AWS`);
  await setBoundary(ctx, role, input.PermissionsBoundary ?? '');
  return {};
};

/** DeleteRolePermissionsBoundary. */
export const deleteRolePermissionsBoundary: Handler<DeleteRolePermissionsBoundaryCommandInput, Out<DeleteRolePermissionsBoundaryCommandOutput>> = async (input, ctx) => {
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  if (!role.PermissionsBoundary) throw new NoSuchEntityException(`The role with name ${role.RoleName} has no permissions boundary.`);
  await setBoundary(ctx, role, undefined);
  return {};
};
