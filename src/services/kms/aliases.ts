/**
 * @module
 * Aliases: friendly names (`alias/<name>`) for keys of the same account and region. CreateAlias,
 * UpdateAlias, DeleteAlias, ListAliases. Names under `alias/aws/` belong to AWS.
 */
import type {
  AliasListEntry, CreateAliasCommandInput, CreateAliasCommandOutput, DeleteAliasCommandInput, DeleteAliasCommandOutput,
  ListAliasesCommandInput, ListAliasesCommandOutput, UpdateAliasCommandInput, UpdateAliasCommandOutput,
} from '@aws-sdk/client-kms';
import type { Scope } from '../../core/scope.js';
import { recordResourceChange } from '../resource-changes.js';
import type { CallContext, Handler, Out } from '../service.js';
import { AlreadyExistsException, NotAuthorizedException, NotFoundException, ValidationException } from './errors.js';
import {
  ALIAS_KIND, aliasArn, isGone, KEY_KIND, noteKey, requireNotPendingDeletion, resolveKey, type AliasDocument, type KeyDocument,
} from './keys.js';
import { page } from './listing.js';

const NAME_PATTERN = /^[a-zA-Z0-9:/_-]+$/;

/** Checks an alias name as KMS does; `create` adds the rules for new names. */
function checkAliasName(name: string, create = false): void {
  if (!name.startsWith('alias/')) {
    throw new ValidationException('Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  }
  if (name.length > 256) {
    throw ValidationException.constraint(`Value '${name}' at 'aliasName' failed to satisfy constraint: Member must have length less than or equal to 256`);
  }
  if (!NAME_PATTERN.test(name)) {
    throw ValidationException.constraint(`Value '${name}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$`);
  }
  if (!create) return;
  if (name.includes(':')) throw new ValidationException(`${name} contains invalid characters for an alias`);
  if (name.startsWith('alias/aws/')) throw new NotAuthorizedException();
}

async function target(ctx: CallContext, targetKeyId: string): Promise<KeyDocument> {
  if (targetKeyId.startsWith('alias/') || /:alias\//.test(targetKeyId)) throw new ValidationException('Aliases must refer to keys. Not aliases');
  const key = await resolveKey(ctx.tx, ctx.scope, targetKeyId, ctx.now);
  requireNotPendingDeletion(key);
  return key;
}

async function noteAlias(ctx: CallContext, name: string, deleted = false): Promise<void> {
  const arn = aliasArn(ctx.scope, name);
  ctx.audit.resources.push({ type: 'AWS::KMS::Alias', arn });
  await recordResourceChange(ctx, { resourceType: 'AWS::KMS::Alias', resourceId: name, resourceName: name, arn, deleted });
}

/** CreateAlias: a new name for a key. */
export const createAlias: Handler<CreateAliasCommandInput, Out<CreateAliasCommandOutput>> = async (input, ctx) => {
  const name = input.AliasName ?? '';
  checkAliasName(name, true);
  if (await ctx.tx.documents.get(ctx.scope, ALIAS_KIND, name)) throw new AlreadyExistsException(aliasArn(ctx.scope, name));
  const key = await target(ctx, input.TargetKeyId ?? '');
  const alias: AliasDocument = { aliasName: name, targetKeyId: key.keyId, creationDate: ctx.now, lastUpdatedDate: ctx.now };
  await ctx.tx.documents.put(ctx.scope, ALIAS_KIND, name, alias);
  noteKey(ctx, key);
  await noteAlias(ctx, name);
  return {};
};

async function existingAlias(ctx: CallContext, name: string): Promise<AliasDocument> {
  checkAliasName(name);
  const alias = await ctx.tx.documents.get<AliasDocument>(ctx.scope, ALIAS_KIND, name);
  if (!alias) throw NotFoundException.alias(aliasArn(ctx.scope, name));
  return alias;
}

/** UpdateAlias: points an alias at another key of the account and region. */
export const updateAlias: Handler<UpdateAliasCommandInput, Out<UpdateAliasCommandOutput>> = async (input, ctx) => {
  const alias = await existingAlias(ctx, input.AliasName ?? '');
  const key = await target(ctx, input.TargetKeyId ?? '');
  await ctx.tx.documents.put(ctx.scope, ALIAS_KIND, alias.aliasName, { ...alias, targetKeyId: key.keyId, lastUpdatedDate: ctx.now });
  noteKey(ctx, key);
  await noteAlias(ctx, alias.aliasName);
  return {};
};

/** DeleteAlias: removes an alias; its key stays. */
export const deleteAlias: Handler<DeleteAliasCommandInput, Out<DeleteAliasCommandOutput>> = async (input, ctx) => {
  const alias = await existingAlias(ctx, input.AliasName ?? '');
  await ctx.tx.documents.delete(ctx.scope, ALIAS_KIND, alias.aliasName);
  await noteAlias(ctx, alias.aliasName, true);
  return {};
};

/** The aliases of a scope whose keys still exist, by name. */
async function liveAliases(ctx: CallContext, scope: Scope): Promise<AliasDocument[]> {
  const keys = new Map((await ctx.tx.documents.list<KeyDocument>(scope, KEY_KIND)).map((e) => [e.id, e.doc]));
  return (await ctx.tx.documents.list<AliasDocument>(scope, ALIAS_KIND))
    .map((e) => e.doc)
    .filter((a) => { const key = keys.get(a.targetKeyId); return key !== undefined && !isGone(key, ctx.now); });
}

/** ListAliases: the aliases of the account and region, or of one key, by name. */
export const listAliases: Handler<ListAliasesCommandInput, Out<ListAliasesCommandOutput>> = async (input, ctx) => {
  let aliases = await liveAliases(ctx, ctx.scope);
  if (input.KeyId !== undefined) {
    const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId, ctx.now);
    aliases = aliases.filter((a) => a.targetKeyId === key.keyId);
  }
  const listing = `ListAliases:${input.KeyId ?? ''}`;
  const { items, NextMarker, Truncated } = page(aliases, (a) => a.aliasName, { ...input, listing, max: 100, fallback: 50 });
  const entries: AliasListEntry[] = items.map((a) => ({
    AliasName: a.aliasName,
    AliasArn: aliasArn(ctx.scope, a.aliasName),
    TargetKeyId: a.targetKeyId,
    CreationDate: new Date(a.creationDate),
    LastUpdatedDate: new Date(a.lastUpdatedDate),
  }));
  return { Aliases: entries, NextMarker, Truncated };
};
