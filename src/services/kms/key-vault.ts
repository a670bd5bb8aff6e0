/**
 * @module
 * The master key that keeps KMS key material encrypted at rest. It lives in the data directory
 * (`kms-master.key`, 32 random bytes, mode 0600, created on first start), never in the store, so
 * a copy of the database alone reveals no key material. Each key material version is sealed with
 * AES-256-GCM under it, bound to the key ARN and material id.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KMSInternalException } from './errors.js';

const MASTER_KEY_FILE = 'kms-master.key';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals and unseals key material under the master key of one data directory. */
export class KeyVault {
  readonly #master: Buffer;

  private constructor(master: Buffer) {
    this.#master = master;
  }

  /** Reads the data directory's master key, creating it (0600) if there is none; throws if it is unusable. */
  static open(dataDir: string): KeyVault {
    const file = join(dataDir, MASTER_KEY_FILE);
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const master = readFileSync(file);
    if (master.length !== KEY_BYTES) throw new Error(`${file} is not a KMS master key (${KEY_BYTES} bytes); restore it from a backup`);
    return new KeyVault(master);
  }

  /** New key material (32 random bytes). */
  static newMaterial(): Buffer {
    return randomBytes(KEY_BYTES);
  }

  /** Encrypts key material for storage, bound to `binding` (the key ARN and material id), as base64. */
  seal(material: Buffer, binding: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#master, iv);
    cipher.setAAD(Buffer.from(binding, 'utf8'));
    const sealed = Buffer.concat([cipher.update(material), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
  }

  /** Decrypts stored key material; KMSInternalException when it was not sealed under this master key for `binding`. */
  unseal(sealed: string, binding: string): Buffer {
    const bytes = Buffer.from(sealed, 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#master, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(binding, 'utf8'));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new KMSInternalException();
    }
  }
}

/**
 * A getter of the vault of the server's data directory, opened on first use and then kept: one
 * per service definition, so per server. Services that use KMS from inside their own transaction
 * (see `data-keys.ts`) make their own.
 */
export function keyVaultProvider(): (dataDir: string) => KeyVault {
  let vault: { dataDir: string; vault: KeyVault } | undefined;
  return (dataDir) => {
    if (vault?.dataDir !== dataDir) vault = { dataDir, vault: KeyVault.open(dataDir) };
    return vault.vault;
  };
}
