/**
 * @module
 * Key rotation: EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand and
 * ListKeyRotations. Rotating adds a key material version that encrypts from then on; every older
 * version still decrypts what it encrypted, as on AWS. Automatic rotations are made when due by the
 * KMS scheduler (scheduler.ts).
 */
import type {
  DisableKeyRotationCommandInput, DisableKeyRotationCommandOutput, EnableKeyRotationCommandInput, EnableKeyRotationCommandOutput,
  GetKeyRotationStatusCommandInput, GetKeyRotationStatusCommandOutput, ListKeyRotationsCommandInput, ListKeyRotationsCommandOutput,
  RotateKeyOnDemandCommandInput, RotateKeyOnDemandCommandOutput,
} from '@aws-sdk/client-kms';
import type { Handler, Out } from '../service.js';
import { newMaterialVersion } from './data-keys.js';
import { LimitExceededException, ValidationException } from './errors.js';
import type { KeyVault } from './key-vault.js';
import { arnOf, noteKey, requireEnabled, resolveKey, saveKey, type KeyDocument } from './keys.js';
import { page } from './listing.js';

const DAY = 86_400_000;
const DEFAULT_PERIOD_DAYS = 365;
const MAX_ON_DEMAND = 10;

/** The key with one more material version. */
export function rotated(vault: KeyVault, key: KeyDocument, now: number, type: 'AUTOMATIC' | 'ON_DEMAND'): KeyDocument {
  const rotation = type === 'AUTOMATIC' && key.rotation.enabled
    ? { ...key.rotation, nextRotationDate: now + (key.rotation.periodInDays ?? DEFAULT_PERIOD_DAYS) * DAY }
    : key.rotation;
  return { ...key, rotation, materials: [...key.materials, newMaterialVersion(vault, key, now, type)] };
}

/** EnableKeyRotation: new key material every RotationPeriodInDays (90–2560, 365 by default). */
export const enableKeyRotation: Handler<EnableKeyRotationCommandInput, Out<EnableKeyRotationCommandOutput>> = async (input, ctx) => {
  const days = input.RotationPeriodInDays ?? DEFAULT_PERIOD_DAYS;
  if (days < 90 || days > 2560) {
    const bound = days < 90 ? 'greater than or equal to 90' : 'less than or equal to 2560';
    throw ValidationException.constraint(`Value '${days}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value ${bound}`);
  }
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
  requireEnabled(key);
  await saveKey(ctx, { ...key, rotation: { enabled: true, periodInDays: days, nextRotationDate: ctx.now + days * DAY } });
  return {};
};

/** DisableKeyRotation: no more automatic rotations. */
export const disableKeyRotation: Handler<DisableKeyRotationCommandInput, Out<DisableKeyRotationCommandOutput>> = async (input, ctx) => {
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
  requireEnabled(key);
  await saveKey(ctx, { ...key, rotation: { enabled: false } });
  return {};
};

/** GetKeyRotationStatus: whether automatic rotation is on, its period and next date. */
export const getKeyRotationStatus: Handler<GetKeyRotationStatusCommandInput, Out<GetKeyRotationStatusCommandOutput>> = async (input, ctx) => {
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now, { crossAccount: true });
  noteKey(ctx, key);
  const { enabled, periodInDays, nextRotationDate } = key.rotation;
  return {
    KeyId: arnOf(key),
    KeyRotationEnabled: enabled,
    RotationPeriodInDays: enabled ? periodInDays : undefined,
    NextRotationDate: enabled && nextRotationDate !== undefined ? new Date(nextRotationDate) : undefined,
  };
};

/** RotateKeyOnDemand: new key material now, whatever the automatic schedule (at most 10 times per key). */
export const rotateKeyOnDemand = (vault: (dataDir: string) => KeyVault): Handler<RotateKeyOnDemandCommandInput, Out<RotateKeyOnDemandCommandOutput>> =>
  async (input, ctx) => {
    const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
    requireEnabled(key);
    if (key.materials.filter((m) => m.rotationType === 'ON_DEMAND').length >= MAX_ON_DEMAND) {
      throw new LimitExceededException(`The on-demand rotations of ${arnOf(key)} have reached their limit of ${MAX_ON_DEMAND}.`);
    }
    await saveKey(ctx, rotated(vault(ctx.env.settings.dataDir), key, ctx.now, 'ON_DEMAND'));
    return { KeyId: key.keyId };
  };

/** ListKeyRotations: the rotations made so far, oldest first. */
export const listKeyRotations: Handler<ListKeyRotationsCommandInput, Out<ListKeyRotationsCommandOutput>> = async (input, ctx) => {
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
  noteKey(ctx, key);
  const rotations = key.materials.filter((m) => m.rotationType !== undefined);
  const sortKey = (m: (typeof rotations)[number]) => `${String(m.createdAt).padStart(16, '0')}:${m.id}`;
  const { items, NextMarker, Truncated } = page(rotations, sortKey, { ...input, listing: `ListKeyRotations:${key.keyId}`, max: 1000, fallback: 100 });
  return {
    Rotations: items.map((m) => ({ KeyId: key.keyId, KeyMaterialId: m.id, RotationDate: new Date(m.createdAt), RotationType: m.rotationType })),
    NextMarker,
    Truncated,
  };
};
