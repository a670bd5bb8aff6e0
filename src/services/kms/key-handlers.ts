/**
 * @module
 * Key lifecycle: CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, UpdateKeyDescription,
 * ScheduleKeyDeletion and CancelKeyDeletion. Custos makes symmetric encryption keys
 * (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT, origin AWS_KMS) in a single region.
 */
import { randomUUID } from 'node:crypto';
import type {
  CancelKeyDeletionCommandInput, CancelKeyDeletionCommandOutput, CreateKeyCommandInput, CreateKeyCommandOutput,
  DescribeKeyCommandInput, DescribeKeyCommandOutput, DisableKeyCommandInput, DisableKeyCommandOutput, EnableKeyCommandInput,
  EnableKeyCommandOutput, ListKeysCommandInput, ListKeysCommandOutput, ScheduleKeyDeletionCommandInput,
  ScheduleKeyDeletionCommandOutput, UpdateKeyDescriptionCommandInput, UpdateKeyDescriptionCommandOutput,
} from '@aws-sdk/client-kms';
import type { CallContext, Handler, Out } from '../service.js';
import { KMSInvalidStateException, UnsupportedOperationException, ValidationException } from './errors.js';
import { checkKeyPolicy, defaultKeyPolicy } from './key-policies.js';
import type { KeyVault } from './key-vault.js';
import {
  arnOf, isGone, KEY_KIND, keyArn, keyMetadata, noteKey, requireNotPendingDeletion, resolveKey, saveKey, type KeyDocument,
} from './keys.js';
import { page } from './listing.js';
import { newMaterialVersion } from './data-keys.js';
import { checkTags } from './tags.js';

const DAY = 86_400_000;
const MAX_DESCRIPTION = 8192;

function unsupported(name: string, value: string | boolean | undefined, supported: string | boolean): void {
  if (value !== undefined && value !== supported) {
    throw new UnsupportedOperationException(`${name} ${String(value)} is not supported by Custos; it makes ${name} ${String(supported)} keys only.`);
  }
}

function checkDescription(description: string | undefined): string {
  const text = description ?? '';
  if (text.length > MAX_DESCRIPTION) {
    throw ValidationException.constraint(`Value at 'description' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DESCRIPTION}`);
  }
  return text;
}

/** CreateKey: a new symmetric encryption key with its own key material. */
export const createKey = (vault: (dataDir: string) => KeyVault): Handler<CreateKeyCommandInput, Out<CreateKeyCommandOutput>> => async (input, ctx) => {
  unsupported('KeySpec', input.KeySpec ?? input.CustomerMasterKeySpec, 'SYMMETRIC_DEFAULT');
  unsupported('KeyUsage', input.KeyUsage, 'ENCRYPT_DECRYPT');
  unsupported('Origin', input.Origin, 'AWS_KMS');
  unsupported('MultiRegion', input.MultiRegion, false);
  if (input.CustomKeyStoreId !== undefined) throw new UnsupportedOperationException('Custom key stores are not supported by Custos.');
  const policy = input.Policy ?? defaultKeyPolicy(ctx.scope.accountId);
  if (input.Policy !== undefined) checkKeyPolicy(input.Policy, ctx.principal, input.BypassPolicyLockoutSafetyCheck);
  const draft: KeyDocument = {
    keyId: randomUUID(),
    accountId: ctx.scope.accountId,
    region: ctx.scope.region,
    description: checkDescription(input.Description),
    creationDate: ctx.now,
    keyState: 'Enabled',
    policy,
    tags: checkTags(input.Tags ?? []),
    rotation: { enabled: false },
    materials: [],
  };
  const key: KeyDocument = { ...draft, materials: [newMaterialVersion(vault(ctx.env.settings.dataDir), draft, ctx.now)] };
  await saveKey(ctx, key);
  return { KeyMetadata: keyMetadata(key) };
};

/** DescribeKey: a key's metadata, by key id, key ARN, alias name or alias ARN. */
export const describeKey: Handler<DescribeKeyCommandInput, Out<DescribeKeyCommandOutput>> = async (input, ctx) => {
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now, { aliases: true, crossAccount: true });
  noteKey(ctx, key);
  return { KeyMetadata: keyMetadata(key) };
};

/** ListKeys: the keys of the account in the region, by key id, 100 to a page unless Limit says otherwise. */
export const listKeys: Handler<ListKeysCommandInput, Out<ListKeysCommandOutput>> = async (input, ctx) => {
  const keys = (await ctx.tx.documents.list<KeyDocument>(ctx.scope, KEY_KIND)).map((e) => e.doc).filter((k) => !isGone(k, ctx.now));
  const { items, NextMarker, Truncated } = page(keys, (k) => k.keyId, { ...input, listing: 'ListKeys', max: 1000, fallback: 100 });
  return { Keys: items.map((k) => ({ KeyId: k.keyId, KeyArn: arnOf(k) })), NextMarker, Truncated };
};

async function setState(
  input: { KeyId?: string }, ctx: CallContext, keyState: 'Enabled' | 'Disabled',
): Promise<Record<string, never>> {
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
  requireNotPendingDeletion(key);
  if (key.keyState === keyState) noteKey(ctx, key);
  else await saveKey(ctx, { ...key, keyState });
  return {};
}

/** EnableKey: a disabled key may be used again. */
export const enableKey: Handler<EnableKeyCommandInput, Out<EnableKeyCommandOutput>> = (input, ctx) => setState(input, ctx, 'Enabled');

/** DisableKey: the key can no longer encrypt or decrypt until enabled. */
export const disableKey: Handler<DisableKeyCommandInput, Out<DisableKeyCommandOutput>> = (input, ctx) => setState(input, ctx, 'Disabled');

/** UpdateKeyDescription: replaces the description. */
export const updateKeyDescription: Handler<UpdateKeyDescriptionCommandInput, Out<UpdateKeyDescriptionCommandOutput>> = async (input, ctx) => {
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
  requireNotPendingDeletion(key);
  await saveKey(ctx, { ...key, description: checkDescription(input.Description) });
  return {};
};

/** ScheduleKeyDeletion: the key is disabled now and deleted after 7 to 30 days (30 by default). */
export const scheduleKeyDeletion: Handler<ScheduleKeyDeletionCommandInput, Out<ScheduleKeyDeletionCommandOutput>> = async (input, ctx) => {
  const days = input.PendingWindowInDays ?? 30;
  if (days < 7 || days > 30) throw new ValidationException(`PendingWindowInDays should be between 7 and 30, but it is ${days}`);
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
  requireNotPendingDeletion(key);
  const deletionDate = ctx.now + days * DAY;
  await saveKey(ctx, { ...key, keyState: 'PendingDeletion', deletionDate, pendingWindowInDays: days });
  return { KeyId: arnOf(key), DeletionDate: new Date(deletionDate), KeyState: 'PendingDeletion', PendingWindowInDays: days };
};

/** CancelKeyDeletion: a key pending deletion is kept, and left disabled. */
export const cancelKeyDeletion: Handler<CancelKeyDeletionCommandInput, Out<CancelKeyDeletionCommandOutput>> = async (input, ctx) => {
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
  if (key.keyState !== 'PendingDeletion') throw new KMSInvalidStateException(`${arnOf(key)} is not pending deletion.`);
  const { deletionDate: _date, pendingWindowInDays: _days, ...kept } = key;
  await saveKey(ctx, { ...kept, keyState: 'Disabled' });
  return { KeyId: keyArn(ctx.scope, key.keyId) };
};
