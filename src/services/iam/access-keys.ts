/**
 * @module
 * Access keys of IAM users (and of root, when root names no user): CreateAccessKey, ListAccessKeys,
 * UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed. Two keys per user.
 */
import type {
  CreateAccessKeyCommandInput, CreateAccessKeyCommandOutput, DeleteAccessKeyCommandInput, DeleteAccessKeyCommandOutput,
  GetAccessKeyLastUsedCommandInput, GetAccessKeyLastUsedCommandOutput, ListAccessKeysCommandInput, ListAccessKeysCommandOutput,
  UpdateAccessKeyCommandInput, UpdateAccessKeyCommandOutput,
} from '@aws-sdk/client-iam';
import { newIamId, newSecretAccessKey } from '../../core/ids.js';
import { recordResourceChange } from '../resource-changes.js';
import type { CallContext, Handler, Out } from '../service.js';
import type { AccessKey, KeyOwner } from '../../store/types.js';
import { RESOURCE_TYPE } from './changes.js';
import { callerUserName, requireUser } from './entities.js';
import { IamValidationError, LimitExceededException, NoSuchEntityException } from './errors.js';
import { paginate } from './paging.js';

const KEYS_PER_USER = 2;

/** The owner the call's keys belong to: the named (or calling) user, else root. */
async function keyOwner(ctx: CallContext, input: { UserName?: string }): Promise<KeyOwner> {
  const name = callerUserName(input, ctx);
  if (name === undefined) return { type: 'Root', id: ctx.scope.accountId, arn: `arn:aws:iam::${ctx.scope.accountId}:root` };
  const user = await requireUser(ctx.tx, ctx.scope.accountId, name);
  return { type: 'IAMUser', name: user.UserName, id: user.UserId, arn: user.Arn };
}

async function ownedKey(ctx: CallContext, owner: KeyOwner, accessKeyId: string): Promise<AccessKey> {
  const key = await ctx.tx.credentials.get(accessKeyId);
  if (!key || key.accountId !== ctx.scope.accountId || key.owner.arn !== owner.arn || key.sessionToken !== undefined) {
    throw new NoSuchEntityException(`The Access Key with id ${accessKeyId} cannot be found.`);
  }
  return key;
}

async function noteKey(ctx: CallContext, key: AccessKey): Promise<void> {
  ctx.audit.resources.push({ type: RESOURCE_TYPE.accessKey, name: key.accessKeyId });
  if (key.owner.type === 'IAMUser') {
    ctx.audit.resources.push({ type: RESOURCE_TYPE.user, name: key.owner.name, arn: key.owner.arn });
    await recordResourceChange(ctx, { resourceType: RESOURCE_TYPE.user, resourceId: key.owner.id, resourceName: key.owner.name, arn: key.owner.arn });
  }
}

/** CreateAccessKey: the only time the secret is shown. */
export const createAccessKey: Handler<CreateAccessKeyCommandInput, Out<CreateAccessKeyCommandOutput>> = async (input, ctx) => {
  const owner = await keyOwner(ctx, input);
  const existing = await userKeys(ctx, owner.arn);
  if (existing.length >= KEYS_PER_USER) throw new LimitExceededException(`Cannot exceed quota for AccessKeysPerUser: ${KEYS_PER_USER}`);
  const key: AccessKey = {
    accessKeyId: newIamId('AKIA'), secretAccessKey: newSecretAccessKey(), accountId: ctx.scope.accountId, status: 'Active', owner, createdAt: ctx.now,
  };
  await ctx.tx.credentials.put(key);
  await noteKey(ctx, key);
  return {
    AccessKey: {
      UserName: owner.name ?? '', AccessKeyId: key.accessKeyId, Status: 'Active', SecretAccessKey: key.secretAccessKey, CreateDate: new Date(key.createdAt),
    },
  };
};

/** ListAccessKeys: ids, statuses and dates, never secrets. */
export const listAccessKeys: Handler<ListAccessKeysCommandInput, Out<ListAccessKeysCommandOutput>> = async (input, ctx) => {
  const owner = await keyOwner(ctx, input);
  const keys = await userKeys(ctx, owner.arn);
  const page = paginate(keys, input, ['ListAccessKeys', owner.arn]);
  return {
    AccessKeyMetadata: page.items.map((k) => ({ UserName: owner.name, AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: new Date(k.createdAt) })),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
};

/** UpdateAccessKey: Active or Inactive. */
export const updateAccessKey: Handler<UpdateAccessKeyCommandInput, Out<UpdateAccessKeyCommandOutput>> = async (input, ctx) => {
  const status = input.Status;
  if (status !== 'Active' && status !== 'Inactive') {
    throw new IamValidationError(`1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
  }
  const owner = await keyOwner(ctx, input);
  const key = await ownedKey(ctx, owner, input.AccessKeyId ?? '');
  const updated = { ...key, status };
  await ctx.tx.credentials.put(updated);
  await noteKey(ctx, updated);
  return {};
};

/** DeleteAccessKey. */
export const deleteAccessKey: Handler<DeleteAccessKeyCommandInput, Out<DeleteAccessKeyCommandOutput>> = async (input, ctx) => {
  const owner = await keyOwner(ctx, input);
  const key = await ownedKey(ctx, owner, input.AccessKeyId ?? '');
  await ctx.tx.credentials.delete(ctx.scope.accountId, key.accessKeyId);
  await noteKey(ctx, key);
  return {};
};

/** GetAccessKeyLastUsed: when, where and with which service a key was last used ("N/A" before its first use). */
export const getAccessKeyLastUsed: Handler<GetAccessKeyLastUsedCommandInput, Out<GetAccessKeyLastUsedCommandOutput>> = async (input, ctx) => {
  const id = input.AccessKeyId ?? '';
  const key = await ctx.tx.credentials.get(id);
  if (!key || key.accountId !== ctx.scope.accountId || key.sessionToken !== undefined) {
    throw new NoSuchEntityException(`The Access Key with id ${id} cannot be found.`);
  }
  const used = key.lastUsed;
  return {
    UserName: key.owner.type === 'IAMUser' ? key.owner.name : undefined,
    AccessKeyLastUsed: used
      ? { LastUsedDate: new Date(used.at), ServiceName: used.service, Region: used.region }
      : { ServiceName: 'N/A', Region: 'N/A' } as { ServiceName: string; Region: string; LastUsedDate?: Date },
  };
};

/** The long-term keys of a user (or root), without temporary credentials. */
export async function userKeys(ctx: Pick<CallContext, 'tx' | 'scope'>, userArn: string): Promise<AccessKey[]> {
  return (await ctx.tx.credentials.listForOwner(ctx.scope.accountId, userArn)).filter((k) => k.sessionToken === undefined);
}
