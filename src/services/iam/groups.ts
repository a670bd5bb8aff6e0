/**
 * @module
 * Groups and membership: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
 * AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser (10 groups per user).
 */
import type {
  AddUserToGroupCommandInput, AddUserToGroupCommandOutput, CreateGroupCommandInput, CreateGroupCommandOutput, DeleteGroupCommandInput,
  DeleteGroupCommandOutput, GetGroupCommandInput, GetGroupCommandOutput, Group, ListGroupsCommandInput, ListGroupsCommandOutput,
  ListGroupsForUserCommandInput, ListGroupsForUserCommandOutput, RemoveUserFromGroupCommandInput, RemoveUserFromGroupCommandOutput,
  UpdateGroupCommandInput, UpdateGroupCommandOutput,
} from '@aws-sdk/client-iam';
import { newIamId } from '../../core/ids.js';
import type { Handler, Out } from '../service.js';
import { changed } from './changes.js';
import {
  deleteEntity, getEntity, iamArn, KIND, listEntities, putEntity, requireGroup, requireUser, type GroupDoc, type UserDoc,
} from './entities.js';
import { DeleteConflictException, EntityAlreadyExistsException, LimitExceededException, NoSuchEntityException } from './errors.js';
import { paginate } from './paging.js';
import { toUser } from './users.js';

const GROUPS_PER_USER = 10;

function toGroup(doc: GroupDoc): Group {
  return { Path: doc.Path, GroupName: doc.GroupName, GroupId: doc.GroupId, Arn: doc.Arn, CreateDate: new Date(doc.createdAt) };
}

/** CreateGroup. */
export const createGroup: Handler<CreateGroupCommandInput, Out<CreateGroupCommandOutput>> = async (input, ctx) => {
  const name = input.GroupName ?? '';
  const path = input.Path ?? '/';
  const { accountId } = ctx.scope;
  if (await getEntity(ctx.tx, accountId, KIND.group, name)) throw new EntityAlreadyExistsException(`Group with name ${name} already exists.`);
  const group: GroupDoc = {
    GroupName: name, GroupId: newIamId('AGPA'), Arn: iamArn(accountId, 'group', path, name), Path: path, createdAt: ctx.now,
    members: [], attached: [], inline: {},
  };
  await putEntity(ctx.tx, accountId, KIND.group, name, group);
  await changed(ctx, group);
  return { Group: toGroup(group) };
};

/** GetGroup: the group and its users, paginated. */
export const getGroup: Handler<GetGroupCommandInput, Out<GetGroupCommandOutput>> = async (input, ctx) => {
  const group = await requireGroup(ctx.tx, ctx.scope.accountId, input.GroupName ?? '');
  const users: UserDoc[] = [];
  for (const name of group.members) {
    const user = await getEntity<UserDoc>(ctx.tx, ctx.scope.accountId, KIND.user, name);
    if (user) users.push(user);
  }
  const page = paginate(users, input, ['GetGroup', group.GroupId]);
  return { Group: toGroup(group), Users: page.items.map((u) => toUser(u, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

/** ListGroups. */
export const listGroups: Handler<ListGroupsCommandInput, Out<ListGroupsCommandOutput>> = async (input, ctx) => {
  const prefix = input.PathPrefix ?? '/';
  const groups = (await listEntities<GroupDoc>(ctx.tx, ctx.scope.accountId, KIND.group)).filter((g) => g.Path.startsWith(prefix));
  const page = paginate(groups, input, ['ListGroups', prefix]);
  return { Groups: page.items.map(toGroup), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

/** UpdateGroup: a new name and/or path; members follow. */
export const updateGroup: Handler<UpdateGroupCommandInput, Out<UpdateGroupCommandOutput>> = async (input, ctx) => {
  const { accountId } = ctx.scope;
  const group = await requireGroup(ctx.tx, accountId, input.GroupName ?? '');
  const newName = input.NewGroupName ?? group.GroupName;
  const path = input.NewPath ?? group.Path;
  if (newName.toLowerCase() !== group.GroupName.toLowerCase() && (await getEntity(ctx.tx, accountId, KIND.group, newName))) {
    throw new EntityAlreadyExistsException(`Group with name ${newName} already exists.`);
  }
  const updated: GroupDoc = { ...group, GroupName: newName, Path: path, Arn: iamArn(accountId, 'group', path, newName) };
  await deleteEntity(ctx.tx, accountId, KIND.group, group.GroupName);
  await putEntity(ctx.tx, accountId, KIND.group, newName, updated);
  for (const member of group.members) {
    const user = await requireUser(ctx.tx, accountId, member);
    user.groups = user.groups.map((g) => (g === group.GroupName ? newName : g));
    await putEntity(ctx.tx, accountId, KIND.user, member, user);
  }
  await changed(ctx, updated);
  return {};
};

/** DeleteGroup: only without members and policies. */
export const deleteGroup: Handler<DeleteGroupCommandInput, Out<DeleteGroupCommandOutput>> = async (input, ctx) => {
  const group = await requireGroup(ctx.tx, ctx.scope.accountId, input.GroupName ?? '');
  if (group.members.length) throw new DeleteConflictException('Cannot delete entity, must remove users from group first.');
  if (Object.keys(group.inline).length) throw new DeleteConflictException('Cannot delete entity, must delete policies first.');
  if (group.attached.length) throw new DeleteConflictException('Cannot delete entity, must detach all policies first.');
  await deleteEntity(ctx.tx, ctx.scope.accountId, KIND.group, group.GroupName);
  await changed(ctx, group, true);
  return {};
};

/** AddUserToGroup. */
export const addUserToGroup: Handler<AddUserToGroupCommandInput, Out<AddUserToGroupCommandOutput>> = async (input, ctx) => {
  const { accountId } = ctx.scope;
  const group = await requireGroup(ctx.tx, accountId, input.GroupName ?? '');
  const user = await requireUser(ctx.tx, accountId, input.UserName ?? '');
  if (user.groups.includes(group.GroupName)) return {};
  if (user.groups.length >= GROUPS_PER_USER) throw new LimitExceededException(`Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`);
  user.groups.push(group.GroupName);
  group.members.push(user.UserName);
  await putEntity(ctx.tx, accountId, KIND.user, user.UserName, user);
  await putEntity(ctx.tx, accountId, KIND.group, group.GroupName, group);
  await changed(ctx, user);
  await changed(ctx, group);
  return {};
};

/** RemoveUserFromGroup. */
export const removeUserFromGroup: Handler<RemoveUserFromGroupCommandInput, Out<RemoveUserFromGroupCommandOutput>> = async (input, ctx) => {
  const { accountId } = ctx.scope;
  const group = await requireGroup(ctx.tx, accountId, input.GroupName ?? '');
  const user = await requireUser(ctx.tx, accountId, input.UserName ?? '');
  if (!user.groups.includes(group.GroupName)) {
    throw new NoSuchEntityException(`The user with name ${user.UserName} cannot be found.`);
  }
  user.groups = user.groups.filter((g) => g !== group.GroupName);
  group.members = group.members.filter((m) => m !== user.UserName);
  await putEntity(ctx.tx, accountId, KIND.user, user.UserName, user);
  await putEntity(ctx.tx, accountId, KIND.group, group.GroupName, group);
  await changed(ctx, user);
  await changed(ctx, group);
  return {};
};

/** ListGroupsForUser. */
export const listGroupsForUser: Handler<ListGroupsForUserCommandInput, Out<ListGroupsForUserCommandOutput>> = async (input, ctx) => {
  const user = await requireUser(ctx.tx, ctx.scope.accountId, input.UserName ?? '');
  const groups: GroupDoc[] = [];
  for (const name of [...user.groups].sort()) groups.push(await requireGroup(ctx.tx, ctx.scope.accountId, name));
  const page = paginate(groups, input, ['ListGroupsForUser', user.UserId]);
  return { Groups: page.items.map(toGroup), IsTruncated: page.IsTruncated, Marker: page.Marker };
};
