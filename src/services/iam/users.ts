/**
 * @module
 * Users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser (with IAM's DeleteConflict rules),
 * and their tags.
 */
import type {
  CreateUserCommandInput, CreateUserCommandOutput, DeleteUserCommandInput, DeleteUserCommandOutput, GetUserCommandInput,
  GetUserCommandOutput, ListUsersCommandInput, ListUsersCommandOutput, ListUserTagsCommandInput, ListUserTagsCommandOutput,
  TagUserCommandInput, TagUserCommandOutput, UntagUserCommandInput, UntagUserCommandOutput, UpdateUserCommandInput,
  UpdateUserCommandOutput, User,
} from '@aws-sdk/client-iam';
import { newIamId } from '../../core/ids.js';
import type { Handler, Out } from '../service.js';
import { changed, touched, RESOURCE_TYPE } from './changes.js';
import {
  callerUserName, deleteEntity, getEntity, iamArn, KIND, listEntities, putEntity, requireGroup, requireUser, type MfaDeviceDoc, type UserDoc,
} from './entities.js';
import { DeleteConflictException, EntityAlreadyExistsException } from './errors.js';
import { checkName, mergeTags, removeTags } from './names.js';
import { paginate } from './paging.js';
import { userKeys } from './access-keys.js';
import { checkBoundary, useBoundary } from './boundaries.js';

/** A user as IAM shows it. */
export function toUser(doc: UserDoc, withTags = true): User {
  return {
    Path: doc.Path,
    UserName: doc.UserName,
    UserId: doc.UserId,
    Arn: doc.Arn,
    CreateDate: new Date(doc.createdAt),
    PasswordLastUsed: doc.passwordLastUsed !== undefined ? new Date(doc.passwordLastUsed) : undefined,
    PermissionsBoundary: doc.PermissionsBoundary ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: doc.PermissionsBoundary } : undefined,
    Tags: withTags && doc.Tags.length ? doc.Tags : undefined,
  };
}

/** CreateUser. */
export const createUser: Handler<CreateUserCommandInput, Out<CreateUserCommandOutput>> = async (input, ctx) => {
  const name = input.UserName ?? '';
  checkName(name, 'userName', 64);
  const path = input.Path ?? '/';
  const tags = mergeTags([], input.Tags);
  const { accountId } = ctx.scope;
  if (await getEntity(ctx.tx, accountId, KIND.user, name)) throw new EntityAlreadyExistsException(`User with name ${name} already exists.`);
  if (input.PermissionsBoundary) await checkBoundary(ctx, input.PermissionsBoundary);
  const user: UserDoc = {
    UserName: name, UserId: newIamId('AIDA'), Arn: iamArn(accountId, 'user', path, name), Path: path, createdAt: ctx.now,
    PermissionsBoundary: input.PermissionsBoundary, Tags: tags, groups: [], attached: [], inline: {}, mfaDevices: [],
  };
  if (input.PermissionsBoundary) await useBoundary(ctx, input.PermissionsBoundary, 1);
  await putEntity(ctx.tx, accountId, KIND.user, name, user);
  await changed(ctx, user);
  return { User: toUser(user) };
};

/** GetUser: a named user, or the caller (root answers with the account's root user). */
export const getUser: Handler<GetUserCommandInput, Out<GetUserCommandOutput>> = async (input, ctx) => {
  const name = callerUserName(input, ctx);
  if (name === undefined && ctx.principal.type === 'Root') {
    const account = await ctx.tx.accounts.get(ctx.scope.accountId);
    const root = { UserId: ctx.scope.accountId, Arn: `arn:aws:iam::${ctx.scope.accountId}:root`, CreateDate: new Date(account?.createdAt ?? ctx.now) };
    return { User: root as User };
  }
  const user = await requireUser(ctx.tx, ctx.scope.accountId, name ?? '');
  touched(ctx, RESOURCE_TYPE.user, user.UserName, user.Arn);
  return { User: toUser(user) };
};

/** ListUsers: by path prefix, in name order, paginated. */
export const listUsers: Handler<ListUsersCommandInput, Out<ListUsersCommandOutput>> = async (input, ctx) => {
  const prefix = input.PathPrefix ?? '/';
  const users = (await listEntities<UserDoc>(ctx.tx, ctx.scope.accountId, KIND.user)).filter((u) => u.Path.startsWith(prefix));
  const page = paginate(users, input, ['ListUsers', prefix]);
  return { Users: page.items.map((u) => toUser(u, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

/** UpdateUser: a new name and/or path; group memberships follow the rename. */
export const updateUser: Handler<UpdateUserCommandInput, Out<UpdateUserCommandOutput>> = async (input, ctx) => {
  const { accountId } = ctx.scope;
  const user = await requireUser(ctx.tx, accountId, input.UserName ?? '');
  const newName = input.NewUserName ?? user.UserName;
  const path = input.NewPath ?? user.Path;
  if (newName.toLowerCase() !== user.UserName.toLowerCase() && (await getEntity(ctx.tx, accountId, KIND.user, newName))) {
    throw new EntityAlreadyExistsException(`User with name ${newName} already exists.`);
  }
  const updated: UserDoc = { ...user, UserName: newName, Path: path, Arn: iamArn(accountId, 'user', path, newName) };
  await deleteEntity(ctx.tx, accountId, KIND.user, user.UserName);
  await putEntity(ctx.tx, accountId, KIND.user, newName, updated);
  for (const groupName of user.groups) {
    const group = await requireGroup(ctx.tx, accountId, groupName);
    group.members = group.members.map((m) => (m === user.UserName ? newName : m));
    await putEntity(ctx.tx, accountId, KIND.group, groupName, group);
  }
  for (const serial of user.mfaDevices.map((d) => d.serial)) {
    const device = await getEntity<MfaDeviceDoc>(ctx.tx, accountId, KIND.mfa, serial);
    if (device) await putEntity(ctx.tx, accountId, KIND.mfa, serial, { ...device, user: newName });
  }
  for (const key of await ctx.tx.credentials.listForOwner(accountId, user.Arn)) {
    await ctx.tx.credentials.put({ ...key, owner: { ...key.owner, name: newName, arn: updated.Arn } });
  }
  await changed(ctx, updated);
  return {};
};

/** DeleteUser: only once nothing hangs off the user any more. */
export const deleteUser: Handler<DeleteUserCommandInput, Out<DeleteUserCommandOutput>> = async (input, ctx) => {
  const { accountId } = ctx.scope;
  const user = await requireUser(ctx.tx, accountId, input.UserName ?? '');
  const keys = await userKeys(ctx, user.Arn);
  if (user.loginProfile) throw new DeleteConflictException('Cannot delete entity, must delete login profile first.');
  if (keys.length) throw new DeleteConflictException('Cannot delete entity, must delete access keys first.');
  if (user.mfaDevices.length) throw new DeleteConflictException('Cannot delete entity, must delete MFA device first.');
  if (Object.keys(user.inline).length) throw new DeleteConflictException('Cannot delete entity, must delete policies first.');
  if (user.attached.length) throw new DeleteConflictException('Cannot delete entity, must detach all policies first.');
  if (user.groups.length) throw new DeleteConflictException('Cannot delete entity, must remove user from all groups first.');
  if (user.PermissionsBoundary) await useBoundary(ctx, user.PermissionsBoundary, -1);
  await deleteEntity(ctx.tx, accountId, KIND.user, user.UserName);
  await changed(ctx, user, true);
  return {};
};

/** TagUser. */
export const tagUser: Handler<TagUserCommandInput, Out<TagUserCommandOutput>> = async (input, ctx) => {
  const user = await requireUser(ctx.tx, ctx.scope.accountId, input.UserName ?? '');
  user.Tags = mergeTags(user.Tags, input.Tags);
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.user, user.UserName, user);
  await changed(ctx, user);
  return {};
};

/** UntagUser. */
export const untagUser: Handler<UntagUserCommandInput, Out<UntagUserCommandOutput>> = async (input, ctx) => {
  const user = await requireUser(ctx.tx, ctx.scope.accountId, input.UserName ?? '');
  user.Tags = removeTags(user.Tags, input.TagKeys);
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.user, user.UserName, user);
  await changed(ctx, user);
  return {};
};

/** ListUserTags. */
export const listUserTags: Handler<ListUserTagsCommandInput, Out<ListUserTagsCommandOutput>> = async (input, ctx) => {
  const user = await requireUser(ctx.tx, ctx.scope.accountId, input.UserName ?? '');
  const page = paginate(user.Tags, input, ['ListUserTags', user.UserId]);
  return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
};
