/**
 * @module
 * KMS keys as stored, how a request's key identifier (key id, key ARN, alias name, alias ARN) is
 * resolved, the key states each operation accepts, and KeyMetadata as KMS returns it. A key past
 * the end of its deletion window is gone: it resolves as a key that does not exist.
 */
import type { KeyMetadata, Tag } from '@aws-sdk/client-kms';
import { parseArn } from '../../core/arn.js';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import { recordResourceChange } from '../resource-changes.js';
import type { CallContext } from '../service.js';
import { DisabledException, KMSInvalidStateException, NotFoundException } from './errors.js';

/** The document kinds of keys and aliases. */
export const KEY_KIND = 'kms.key';
export const ALIAS_KIND = 'kms.alias';
/** The document kind of the scheduler's entries: a key with a deletion or rotation to come. */
export const DUE_KIND = 'kms.due';

/**
 * Where the scheduler's entries live: outside every account (no account id has this form), so one
 * loop finds what is due in all accounts and regions.
 */
export const SCHEDULE_SCOPE: Scope = { accountId: '-', region: '-' };

/** A scheduler entry: when a key next needs the scheduler (deletion or automatic rotation). */
export interface DueEntry {
  readonly accountId: string;
  readonly region: string;
  readonly keyId: string;
  readonly dueAt: number;
}

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The key states Custos's keys can be in. */
export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

/** One version of a key's material, sealed under the master key. */
export interface KeyMaterialVersion {
  /** 64 hex characters, as AWS shows key material ids. */
  readonly id: string;
  readonly sealed: string;
  readonly createdAt: number;
  /** How it replaced the previous version (absent for the first). */
  readonly rotationType?: 'AUTOMATIC' | 'ON_DEMAND';
}

/** A symmetric encryption key as stored in its account and region. */
export interface KeyDocument {
  readonly keyId: string;
  readonly accountId: string;
  readonly region: string;
  readonly description: string;
  readonly creationDate: number;
  readonly keyState: KeyState;
  readonly deletionDate?: number;
  readonly pendingWindowInDays?: number;
  readonly policy: string;
  readonly tags: readonly Tag[];
  readonly rotation: { readonly enabled: boolean; readonly periodInDays?: number; readonly nextRotationDate?: number };
  /** Every material version, oldest first; the last one encrypts. */
  readonly materials: readonly KeyMaterialVersion[];
  /** `AWS` for AWS managed keys (aws/s3); customer managed keys leave it out. */
  readonly manager?: 'AWS';
}

/** An alias as stored. */
export interface AliasDocument {
  readonly aliasName: string;
  readonly targetKeyId: string;
  readonly creationDate: number;
  readonly lastUpdatedDate: number;
}

/** The ARN of a key. */
export function keyArn(scope: Scope, keyId: string): string {
  return `arn:aws:kms:${scope.region}:${scope.accountId}:key/${keyId}`;
}

/** The ARN of an alias. */
export function aliasArn(scope: Scope, aliasName: string): string {
  return `arn:aws:kms:${scope.region}:${scope.accountId}:${aliasName}`;
}

/** The ARN of a stored key. */
export function arnOf(key: KeyDocument): string {
  return keyArn({ accountId: key.accountId, region: key.region }, key.keyId);
}

/** The ARN a key identifier names, without reading the store (authorisation's resource). */
export function referenceArn(reference: string, scope: Scope): string {
  if (reference.startsWith('arn:')) return reference;
  if (reference.startsWith('alias/')) return aliasArn(scope, reference);
  return keyArn(scope, reference);
}

/** Whether a stored key has passed the end of its deletion window. */
export function isGone(key: KeyDocument, now: number): boolean {
  return key.keyState === 'PendingDeletion' && key.deletionDate !== undefined && key.deletionDate <= now;
}

/** How an operation may name its key. */
export interface ResolveOptions {
  /** Alias names and alias ARNs are accepted (DescribeKey, Encrypt, GenerateDataKey...). */
  readonly aliases?: boolean;
  /** A key ARN of another account is accepted (the cryptographic operations and DescribeKey). */
  readonly crossAccount?: boolean;
}

async function aliasTarget(tx: Tx, scope: Scope, aliasName: string): Promise<string> {
  const alias = await tx.documents.get<AliasDocument>(scope, ALIAS_KIND, aliasName);
  if (!alias) throw NotFoundException.alias(aliasArn(scope, aliasName));
  return alias.targetKeyId;
}

/** Finds the key an identifier names, or throws KMS's NotFoundException for it. */
export async function resolveKey(tx: Tx, scope: Scope, reference: string, now: number, options: ResolveOptions = {}): Promise<KeyDocument> {
  let owner = scope;
  let keyId = reference;
  if (reference.startsWith('arn:')) {
    const arn = parseArn(reference);
    const resource = arn?.resource ?? '';
    const isAlias = resource.startsWith('alias/');
    if (!arn || arn.service !== 'kms' || (!resource.startsWith('key/') && !isAlias) || (isAlias && !options.aliases)) {
      throw NotFoundException.invalidKeyId(reference);
    }
    if (arn.region !== scope.region) throw new NotFoundException(`Invalid arn ${arn.region}`);
    if (arn.accountId !== scope.accountId && !options.crossAccount) throw NotFoundException.key(reference);
    owner = { accountId: arn.accountId, region: arn.region };
    keyId = isAlias ? await aliasTarget(tx, owner, resource) : resource.slice(4);
  } else if (reference.startsWith('alias/') && options.aliases) {
    keyId = await aliasTarget(tx, owner, reference);
  }
  if (!KEY_ID.test(keyId)) throw NotFoundException.invalidKeyId(keyId);
  const key = await tx.documents.get<KeyDocument>(owner, KEY_KIND, keyId.toLowerCase());
  if (!key || isGone(key, now)) throw NotFoundException.key(keyArn(owner, keyId));
  return key;
}

/** The key's state allows encryption and other use: Enabled. */
export function requireEnabled(key: KeyDocument): void {
  if (key.keyState === 'Disabled') throw new DisabledException(arnOf(key));
  requireNotPendingDeletion(key);
}

/** The key is not waiting to be deleted (changes to it are refused then). */
export function requireNotPendingDeletion(key: KeyDocument): void {
  if (key.keyState === 'PendingDeletion') throw new KMSInvalidStateException(`${arnOf(key)} is pending deletion.`);
}

/** KeyMetadata as DescribeKey and CreateKey return it. */
export function keyMetadata(key: KeyDocument): KeyMetadata {
  return {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: arnOf(key),
    CreationDate: new Date(key.creationDate),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: key.keyState,
    DeletionDate: key.deletionDate === undefined ? undefined : new Date(key.deletionDate),
    Origin: 'AWS_KMS',
    KeyManager: key.manager ?? 'CUSTOMER',
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
    CurrentKeyMaterialId: key.materials[key.materials.length - 1]?.id,
  };
}

/** Notes the key in the call's CloudTrail record (resources, LookupEvents ResourceName). */
export function noteKey(ctx: CallContext, key: KeyDocument): void {
  ctx.audit.resources.push({ type: 'AWS::KMS::Key', arn: arnOf(key), accountId: key.accountId });
}

/** When the scheduler next has work on a key: its deletion, else its automatic rotation (enabled keys only). */
export function nextDue(key: KeyDocument): number | undefined {
  if (key.keyState === 'PendingDeletion') return key.deletionDate;
  return key.keyState === 'Enabled' && key.rotation.enabled ? key.rotation.nextRotationDate : undefined;
}

/** The scheduler's entry id of a key. */
export function dueId(key: Pick<KeyDocument, 'accountId' | 'region' | 'keyId'>): string {
  return `${key.accountId}/${key.region}/${key.keyId}`;
}

/** Stores a key and keeps its scheduler entry in step. */
export async function storeKey(tx: Tx, key: KeyDocument): Promise<void> {
  await tx.documents.put({ accountId: key.accountId, region: key.region }, KEY_KIND, key.keyId, key);
  const dueAt = nextDue(key);
  if (dueAt === undefined) await tx.documents.delete(SCHEDULE_SCOPE, DUE_KIND, dueId(key));
  else await tx.documents.put<DueEntry>(SCHEDULE_SCOPE, DUE_KIND, dueId(key), { accountId: key.accountId, region: key.region, keyId: key.keyId, dueAt });
}

/** Stores a created or changed key, with its resource change for Config. */
export async function saveKey(ctx: CallContext, key: KeyDocument): Promise<void> {
  await storeKey(ctx.tx, key);
  noteKey(ctx, key);
  await recordResourceChange(ctx, { resourceType: 'AWS::KMS::Key', resourceId: key.keyId, arn: arnOf(key) });
}
