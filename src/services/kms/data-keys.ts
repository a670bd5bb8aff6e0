/**
 * @module
 * Encryption under a KMS key, shared by KMS's operations and by services that use KMS from inside
 * their own transaction (S3's SSE-KMS objects, trail log files).
 *
 * For other services, two ways in:
 *  - through the pipeline, from a `prepare` hook or background work:
 *    `env.invoke({ service: 'kms', operation: 'GenerateDataKey' | 'Decrypt', principal, region, input })`
 *    with the caller's principal (`invokedBy: 's3.amazonaws.com'`) or a service principal: the call
 *    is authorised against the key policy and recorded in CloudTrail, as AWS does;
 *  - inside a handler, where `invoke` would wait on the running transaction:
 *    `generateDataKey(tx, vault, scope, ...)` and `decryptDataKey(tx, vault, scope, ...)` below,
 *    with a vault from `keyVaultProvider()` (key-vault.ts). These check the key and its state but
 *    neither authorise nor record; the calling service answers for both.
 */
import { randomBytes } from 'node:crypto';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import { openBlob, parseBlob, sealBlob, type EncryptionContext, type ParsedBlob } from './ciphertext-blob.js';
import { CiphertextKeyAccessDenied, IncorrectKeyException, InvalidCiphertextException, NotFoundException } from './errors.js';
import { KeyVault } from './key-vault.js';
import { arnOf, requireEnabled, resolveKey, type KeyDocument, type KeyMaterialVersion } from './keys.js';

/** The binding a material version is sealed under. */
function materialBinding(key: KeyDocument, materialId: string): string {
  return `${arnOf(key)}#${materialId}`;
}

/** A new version of key material for a key, sealed under the master key. */
export function newMaterialVersion(vault: KeyVault, key: KeyDocument, now: number, rotationType?: KeyMaterialVersion['rotationType']): KeyMaterialVersion {
  const id = randomBytes(32).toString('hex');
  return { id, sealed: vault.seal(KeyVault.newMaterial(), materialBinding(key, id)), createdAt: now, ...(rotationType ? { rotationType } : {}) };
}

/** Encrypts with the key's current material. */
export function encryptUnder(vault: KeyVault, key: KeyDocument, plaintext: Uint8Array, context?: EncryptionContext): Buffer {
  const current = key.materials[key.materials.length - 1]!;
  const material = vault.unseal(current.sealed, materialBinding(key, current.id));
  return sealBlob(material, { keyArn: arnOf(key), materialId: current.id }, Buffer.from(plaintext), context);
}

/** A ciphertext's key, resolved and checked against the KeyId the caller named (if any). */
export async function ciphertextKey(
  tx: Tx, scope: Scope, blob: Uint8Array, now: number, keyId?: string,
): Promise<{ key: KeyDocument; parsed: ParsedBlob }> {
  const parsed = parseBlob(blob);
  const named = keyId === undefined ? undefined : await resolveKey(tx, scope, keyId, now, { aliases: true, crossAccount: true });
  if (!parsed) throw new InvalidCiphertextException();
  if (named && arnOf(named) !== parsed.keyArn) throw new IncorrectKeyException();
  if (named) return { key: named, parsed };
  try {
    return { key: await resolveKey(tx, scope, parsed.keyArn, now, { crossAccount: true }), parsed };
  } catch (error) {
    if (error instanceof NotFoundException) throw new CiphertextKeyAccessDenied();
    throw error;
  }
}

/** Decrypts a parsed blob with the key's material version it names; InvalidCiphertextException when it does not open. */
export function decryptWith(vault: KeyVault, key: KeyDocument, parsed: ParsedBlob, context?: EncryptionContext): Buffer {
  const version = key.materials.find((m) => m.id === parsed.materialId);
  if (!version) throw new InvalidCiphertextException();
  const plaintext = openBlob(vault.unseal(version.sealed, materialBinding(key, version.id)), parsed, context);
  if (!plaintext) throw new InvalidCiphertextException();
  return plaintext;
}

/** A data key made under a KMS key. */
export interface DataKey {
  /** The key ARN. */
  readonly KeyId: string;
  readonly Plaintext: Buffer;
  readonly CiphertextBlob: Buffer;
  readonly KeyMaterialId: string;
}

/** A random data key of `bytes` bytes and its ciphertext under the key's current material. */
export function makeDataKey(vault: KeyVault, key: KeyDocument, bytes: number, context?: EncryptionContext): DataKey {
  const plaintext = randomBytes(bytes);
  return {
    KeyId: arnOf(key),
    Plaintext: plaintext,
    CiphertextBlob: encryptUnder(vault, key, plaintext, context),
    KeyMaterialId: key.materials[key.materials.length - 1]!.id,
  };
}

/**
 * Makes a data key (32 bytes unless said otherwise) and its ciphertext under a KMS key named by id,
 * ARN or alias, inside the caller's transaction. Throws KMS's errors (NotFound, Disabled, KMSInvalidState).
 */
export async function generateDataKey(
  tx: Tx, vault: KeyVault, scope: Scope,
  request: { keyId: string; encryptionContext?: EncryptionContext; numberOfBytes?: number; now: number },
): Promise<DataKey> {
  const key = await resolveKey(tx, scope, request.keyId, request.now, { aliases: true, crossAccount: true });
  requireEnabled(key);
  return makeDataKey(vault, key, request.numberOfBytes ?? 32, request.encryptionContext);
}

/**
 * Decrypts a ciphertext made by KMS (a data key), inside the caller's transaction. Throws KMS's
 * errors (InvalidCiphertext, IncorrectKey, Disabled, KMSInvalidState, AccessDenied for a ciphertext
 * whose key is gone).
 */
export async function decryptDataKey(
  tx: Tx, vault: KeyVault, scope: Scope,
  request: { ciphertextBlob: Uint8Array; encryptionContext?: EncryptionContext; keyId?: string; now: number },
): Promise<{ KeyId: string; Plaintext: Buffer; KeyMaterialId: string }> {
  const { key, parsed } = await ciphertextKey(tx, scope, request.ciphertextBlob, request.now, request.keyId);
  requireEnabled(key);
  return { KeyId: arnOf(key), Plaintext: decryptWith(vault, key, parsed, request.encryptionContext), KeyMaterialId: parsed.materialId };
}
