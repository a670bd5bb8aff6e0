/**
 * @module
 * SSE-KMS data keys. A write asks KMS's own domain code (services/kms/data-keys.ts) for a fresh
 * data key under the object's KMS key, once the caller is authorised for kms:GenerateDataKey on it
 * (its identity policies and the key policy, with kms:ViaService `s3.<region>.amazonaws.com`); the
 * encrypted data key is kept with the object version. A read is authorised for kms:Decrypt, then
 * KMS decrypts the data key. The encryption context is S3's `aws:s3:arn` (the object's ARN) with the
 * caller's own context. Without a key named, the account's AWS managed key `aws/s3` is used,
 * created on first use.
 */
import { ServiceError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import { decryptDataKey, generateDataKey } from '../kms/data-keys.js';
import type { KeyVault } from '../kms/key-vault.js';
import { arnOf, resolveKey } from '../kms/keys.js';
import { ensureManagedKey, hasManagedKey, managedKeyAlias } from '../kms/managed-keys.js';
import type { CallContext, Permission, PrepareContext } from '../service.js';
import { bucketArn, type BucketDocument } from './buckets.js';
import type { StoredEncryption } from './encryption.js';
import { AccessDenied, InvalidArgument, KmsFailure } from './errors.js';

/** The vault of a data directory's KMS key material. */
export type VaultOf = (dataDir: string) => KeyVault;

/** How SSE-KMS reaches the store and the authoriser: before the transaction (prepare) or inside it (handler). */
export interface KmsAccess {
  readonly principalAccount: string;
  readonly dataDir: string;
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  authorize(permission: Permission): Promise<void>;
}

/** SSE-KMS access from a `prepare` hook: committed state, and a transaction of its own to create `aws/s3`. */
export function prepareAccess(ctx: PrepareContext): KmsAccess {
  return {
    principalAccount: ctx.principal.accountId, dataDir: ctx.env.settings.dataDir, authorize: ctx.authorize,
    read: (fn) => ctx.env.store.read(fn), write: (fn) => ctx.env.store.transaction(fn),
  };
}

/** SSE-KMS access from a handler: the call's transaction. */
export function callAccess(ctx: CallContext): KmsAccess {
  return { principalAccount: ctx.principal.accountId, dataDir: ctx.env.settings.dataDir, authorize: ctx.authorize, read: (fn) => fn(ctx.tx), write: (fn) => fn(ctx.tx) };
}

/** A write's data key: the plaintext that encrypts the bytes, and the encryption the version keeps. */
export interface SealingKey {
  readonly plaintext: Buffer;
  readonly encryption: StoredEncryption;
}

/** S3's answer for a KMS error: AccessDenied for a ciphertext KMS will not open, `KMS.<code>` for the rest. */
function fromKms(error: unknown): unknown {
  if (!(error instanceof ServiceError) || (error.status ?? 500) >= 500) return error;
  if (error.code === 'AccessDeniedException') return new AccessDenied(error.message);
  return new KmsFailure(error.code, error.message);
}

async function kms<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw fromKms(error);
  }
}

function encryptionContext(encryption: StoredEncryption, bucket: BucketDocument, key: string): Record<string, string> {
  let given: Record<string, string> = {};
  if (encryption.context !== undefined) {
    try {
      given = JSON.parse(Buffer.from(encryption.context, 'base64').toString('utf8')) as Record<string, string>;
    } catch {
      throw new InvalidArgument('The header \'x-amz-server-side-encryption-context\' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map', 'x-amz-server-side-encryption-context', encryption.context);
    }
  }
  return { ...given, 'aws:s3:arn': bucketArn(bucket.name, key) };
}

function kmsPermission(action: string, keyArn: string, bucket: BucketDocument, account: string, context: Record<string, string>): Permission {
  const conditions: Record<string, string | string[]> = {
    'kms:ViaService': `s3.${bucket.region}.amazonaws.com`,
    'kms:CallerAccount': account,
    'kms:EncryptionContextKeys': Object.keys(context),
  };
  for (const [k, v] of Object.entries(context)) conditions[`kms:EncryptionContext:${k}`] = v;
  return { action, resources: [keyArn], conditions };
}

/** SSE-KMS for one server: the vault of its data directory. */
export class SseKms {
  readonly #vault: VaultOf;

  constructor(vault: VaultOf) {
    this.#vault = vault;
  }

  /** A new data key for an object written with `encryption` (undefined unless it is SSE-KMS). */
  async sealing(access: KmsAccess, encryption: StoredEncryption, bucket: BucketDocument, key: string): Promise<SealingKey | undefined> {
    if (encryption.algorithm === 'AES256' || encryption.kmsKeyId === undefined) return undefined;
    const account = access.principalAccount || bucket.owner;
    const scope: Scope = { accountId: account, region: bucket.region };
    const vault = this.#vault(access.dataDir);
    const keyId = encryption.kmsKeyId;
    const managed = keyId.endsWith(`:${managedKeyAlias('s3')}`);
    if (managed) {
      const owner: Scope = { accountId: keyId.split(':')[4]!, region: bucket.region };
      if (!(await access.read((tx) => hasManagedKey(tx, owner, 's3')))) await access.write((tx) => ensureManagedKey(tx, vault, owner, 's3', Date.now()));
    }
    const context = encryptionContext(encryption, bucket, key);
    const keyArn = await kms(() => access.read(async (tx) => arnOf(await resolveKey(tx, scope, keyId, Date.now(), { aliases: true, crossAccount: true }))));
    await access.authorize(kmsPermission('kms:GenerateDataKey', keyArn, bucket, account, context));
    const dataKey = await kms(() => access.read((tx) => generateDataKey(tx, vault, scope, { keyId: keyArn, encryptionContext: context, now: Date.now() })));
    return { plaintext: dataKey.Plaintext, encryption: { ...encryption, kmsKeyId: dataKey.KeyId, dataKey: dataKey.CiphertextBlob.toString('base64') } };
  }

  /** The data key of an object stored with `encryption`, once the caller may kms:Decrypt with its key (undefined when not encrypted). */
  async opening(access: KmsAccess, encryption: StoredEncryption | undefined, bucket: BucketDocument, key: string): Promise<Buffer | undefined> {
    if (encryption?.dataKey === undefined || encryption.kmsKeyId === undefined) return undefined;
    const account = access.principalAccount || bucket.owner;
    const context = encryptionContext(encryption, bucket, key);
    await access.authorize(kmsPermission('kms:Decrypt', encryption.kmsKeyId, bucket, account, context));
    return access.read((tx) => openDataKey(tx, this.#vault(access.dataDir), { accountId: account, region: bucket.region }, encryption, bucket, key));
  }
}

/**
 * Decrypts the data key of an SSE-KMS object version without authorising anyone (the caller has
 * done so, or holds the data directory: `custos validate-logs`); undefined when it is not encrypted.
 */
export async function openDataKey(
  tx: Tx, vault: KeyVault, scope: Scope, encryption: StoredEncryption | undefined, bucket: BucketDocument, key: string,
): Promise<Buffer | undefined> {
  if (encryption?.dataKey === undefined) return undefined;
  const ciphertextBlob = Buffer.from(encryption.dataKey, 'base64');
  const context = encryptionContext(encryption, bucket, key);
  return (await kms(() => decryptDataKey(tx, vault, scope, { ciphertextBlob, encryptionContext: context, now: Date.now() }))).Plaintext;
}
