/**
 * @module
 * KMS ciphertext blobs: AES-256-GCM under one version of a key's material, self-describing so
 * that Decrypt needs no KeyId, as AWS's blobs are. Pure: no I/O.
 *
 * Layout: `0x01 | u16 length of the key ARN | key ARN (UTF-8) | key material id (32 bytes) |
 * IV (12) | GCM tag (16) | ciphertext`. The additional authenticated data is everything before
 * the IV followed by the canonical encryption context, so a changed header, IV, tag, ciphertext
 * or context all fail authentication.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 0x01;
const MATERIAL_ID_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A KMS encryption context: string keys to string values. */
export type EncryptionContext = Readonly<Record<string, string>>;

/** What a blob says about how it was made. */
export interface BlobHeader {
  readonly keyArn: string;
  /** Hex id of the key material version that encrypted it. */
  readonly materialId: string;
}

/** A blob taken apart. */
export interface ParsedBlob extends BlobHeader {
  readonly header: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/**
 * The encryption context as authenticated bytes: pairs sorted by key, serialised as JSON, so that
 * the same context in any order gives the same bytes and no two contexts give the same bytes.
 */
export function canonicalContext(context: EncryptionContext | undefined): Buffer {
  const pairs = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(pairs.length ? JSON.stringify(pairs) : '', 'utf8');
}

function headerBytes({ keyArn, materialId }: BlobHeader): Buffer {
  const arn = Buffer.from(keyArn, 'utf8');
  const id = Buffer.from(materialId, 'hex');
  if (id.length !== MATERIAL_ID_BYTES) throw new Error('key material id must be 32 bytes of hex');
  const prefix = Buffer.alloc(3);
  prefix[0] = VERSION;
  prefix.writeUInt16BE(arn.length, 1);
  return Buffer.concat([prefix, arn, id]);
}

/** Encrypts `plaintext` under 32 bytes of key material, binding the header and context. */
export function sealBlob(material: Buffer, header: BlobHeader, plaintext: Buffer, context?: EncryptionContext, iv = randomBytes(IV_BYTES)): Buffer {
  const head = headerBytes(header);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(Buffer.concat([head, canonicalContext(context)]));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, iv, cipher.getAuthTag(), ciphertext]);
}

/** Takes a blob apart; undefined when it is not a blob of this format. */
export function parseBlob(blob: Uint8Array): ParsedBlob | undefined {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < 3 || bytes[0] !== VERSION) return undefined;
  const arnLength = bytes.readUInt16BE(1);
  const idStart = 3 + arnLength;
  const ivStart = idStart + MATERIAL_ID_BYTES;
  const dataStart = ivStart + IV_BYTES + TAG_BYTES;
  if (bytes.length < dataStart) return undefined;
  const keyArn = bytes.toString('utf8', 3, idStart);
  if (!/^arn:[^:]+:kms:[^:]+:\d{12}:key\/[^:/]+$/.test(keyArn)) return undefined;
  return {
    keyArn,
    materialId: bytes.toString('hex', idStart, ivStart),
    header: bytes.subarray(0, ivStart),
    iv: bytes.subarray(ivStart, ivStart + IV_BYTES),
    tag: bytes.subarray(ivStart + IV_BYTES, dataStart),
    ciphertext: bytes.subarray(dataStart),
  };
}

/** Decrypts a parsed blob with its key material; undefined when authentication fails. */
export function openBlob(material: Buffer, blob: ParsedBlob, context?: EncryptionContext): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, blob.iv);
    decipher.setAAD(Buffer.concat([blob.header, canonicalContext(context)]));
    decipher.setAuthTag(blob.tag);
    return Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}
