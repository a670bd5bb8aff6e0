/**
 * @module
 * The cryptographic operations: Encrypt, Decrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext
 * and GenerateRandom, with real AES-256-GCM under the key's material (see ciphertext-blob.ts).
 */
import { randomBytes } from 'node:crypto';
import type {
  DecryptCommandInput, DecryptCommandOutput, EncryptCommandInput, EncryptCommandOutput, GenerateDataKeyCommandInput,
  GenerateDataKeyCommandOutput, GenerateDataKeyWithoutPlaintextCommandInput, GenerateDataKeyWithoutPlaintextCommandOutput,
  GenerateRandomCommandInput, GenerateRandomCommandOutput,
} from '@aws-sdk/client-kms';
import type { CallContext, Handler, Out } from '../service.js';
import { ciphertextKey, decryptWith, encryptUnder, makeDataKey, type DataKey } from './data-keys.js';
import { DryRunOperationException, InvalidKeyUsageException, ValidationException } from './errors.js';
import type { KeyVault } from './key-vault.js';
import { arnOf, noteKey, requireEnabled, resolveKey, type KeyDocument } from './keys.js';

type Vault = (dataDir: string) => KeyVault;

const MAX_PLAINTEXT = 4096;
const ALGORITHM = 'SYMMETRIC_DEFAULT';

function checkAlgorithm(algorithm: string | undefined): void {
  if (algorithm !== undefined && algorithm !== ALGORITHM) {
    throw new InvalidKeyUsageException(`Algorithm ${algorithm} is incompatible with key spec ${ALGORITHM}.`);
  }
}

function checkPlaintext(plaintext: Uint8Array | undefined): Uint8Array {
  const bytes = plaintext ?? new Uint8Array();
  if (bytes.length < 1) throw ValidationException.constraint("Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1");
  if (bytes.length > MAX_PLAINTEXT) {
    throw ValidationException.constraint(`Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PLAINTEXT}`);
  }
  return bytes;
}

async function usableKey(ctx: CallContext, keyId: string | undefined): Promise<KeyDocument> {
  const key = await resolveKey(ctx.tx, ctx.scope, keyId ?? '', ctx.now, { aliases: true, crossAccount: true });
  noteKey(ctx, key);
  requireEnabled(key);
  return key;
}

function dryRun(requested: boolean | undefined): void {
  if (requested) throw new DryRunOperationException();
}

/** Encrypt: up to 4 KB of plaintext under a key, bound to the encryption context. */
export const encrypt = (vault: Vault): Handler<EncryptCommandInput, Out<EncryptCommandOutput>> => async (input, ctx) => {
  const plaintext = checkPlaintext(input.Plaintext);
  const key = await usableKey(ctx, input.KeyId);
  checkAlgorithm(input.EncryptionAlgorithm);
  dryRun(input.DryRun);
  return {
    CiphertextBlob: encryptUnder(vault(ctx.env.settings.dataDir), key, plaintext, input.EncryptionContext),
    KeyId: arnOf(key),
    EncryptionAlgorithm: ALGORITHM,
  };
};

/** Decrypt: a ciphertext made by Encrypt or GenerateDataKey; the key comes from the ciphertext. */
export const decrypt = (vault: Vault): Handler<DecryptCommandInput, Out<DecryptCommandOutput>> => async (input, ctx) => {
  const { key, parsed } = await ciphertextKey(ctx.tx, ctx.scope, input.CiphertextBlob ?? new Uint8Array(), ctx.now, input.KeyId);
  noteKey(ctx, key);
  requireEnabled(key);
  checkAlgorithm(input.EncryptionAlgorithm);
  const plaintext = decryptWith(vault(ctx.env.settings.dataDir), key, parsed, input.EncryptionContext);
  dryRun(input.DryRun);
  return { KeyId: arnOf(key), Plaintext: plaintext, EncryptionAlgorithm: ALGORITHM, KeyMaterialId: parsed.materialId };
};

/** The size of the data key asked for: KeySpec (AES_256, AES_128) or NumberOfBytes (1–1024), one of them. */
function dataKeyBytes(input: { KeySpec?: string; NumberOfBytes?: number }): number {
  if ((input.KeySpec === undefined) === (input.NumberOfBytes === undefined)) {
    throw new ValidationException('Please specify either number of bytes or key spec.');
  }
  if (input.KeySpec !== undefined) {
    if (input.KeySpec === 'AES_256') return 32;
    if (input.KeySpec === 'AES_128') return 16;
    throw ValidationException.constraint(`Value '${input.KeySpec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]`);
  }
  const n = input.NumberOfBytes!;
  if (n < 1) throw ValidationException.constraint(`Value '${n}' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  if (n > 1024) throw ValidationException.constraint(`Value '${n}' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024`);
  return n;
}

async function dataKey(vault: Vault, input: GenerateDataKeyCommandInput, ctx: CallContext): Promise<DataKey> {
  const bytes = dataKeyBytes(input);
  const key = await usableKey(ctx, input.KeyId);
  dryRun(input.DryRun);
  return makeDataKey(vault(ctx.env.settings.dataDir), key, bytes, input.EncryptionContext);
}

/** GenerateDataKey: a random data key, in plaintext and encrypted under the key. */
export const generateDataKey = (vault: Vault): Handler<GenerateDataKeyCommandInput, Out<GenerateDataKeyCommandOutput>> => async (input, ctx) => {
  return dataKey(vault, input, ctx);
};

/** GenerateDataKeyWithoutPlaintext: a random data key, encrypted under the key only. */
export const generateDataKeyWithoutPlaintext = (vault: Vault): Handler<GenerateDataKeyWithoutPlaintextCommandInput, Out<GenerateDataKeyWithoutPlaintextCommandOutput>> =>
  async (input, ctx) => {
    const { Plaintext: _plaintext, ...withoutPlaintext } = await dataKey(vault, input, ctx);
    return withoutPlaintext;
  };

/** GenerateRandom: 1 to 1024 random bytes. */
export const generateRandom: Handler<GenerateRandomCommandInput, Out<GenerateRandomCommandOutput>> = async (input) => {
  const n = input.NumberOfBytes;
  if (n === undefined) throw new ValidationException('NumberOfBytes is required.');
  if (n < 1) throw ValidationException.constraint(`Value '${n}' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  if (n > 1024) throw ValidationException.constraint(`Value '${n}' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024`);
  if (input.CustomKeyStoreId !== undefined) throw new ValidationException('Custom key stores are not supported by Custos.');
  return { Plaintext: randomBytes(n) };
};
