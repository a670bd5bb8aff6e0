/**
 * @module
 * How SSE-KMS object bytes lie in a blob: AES-256-GCM under the object's data key, in frames of
 * 64 KiB of plaintext so that any object streams and a Range read decrypts only the frames it
 * touches. A stored frame is `nonce (12 random bytes) ‖ ciphertext ‖ tag (16)`; its additional
 * data is its index in the blob (uint64) and whether it is the blob's last frame, so frames cannot
 * be reordered, dropped or cut off unnoticed. Every blob has at least one frame (an empty object
 * is one empty frame), so a blob's plaintext size follows from its stored size.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { BlobInfo, ByteRange } from '../../blob/blob-store.js';

/** Plaintext bytes per frame. */
export const FRAME_BYTES = 64 * 1024;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const OVERHEAD = NONCE_BYTES + TAG_BYTES;
const STORED_FRAME = FRAME_BYTES + OVERHEAD;

function additionalData(index: number, final: boolean): Buffer {
  const aad = Buffer.alloc(9);
  aad.writeBigUInt64BE(BigInt(index));
  aad[8] = final ? 1 : 0;
  return aad;
}

/** Encrypts one frame. */
function sealFrame(key: Buffer, index: number, final: boolean, plaintext: Buffer): Buffer[] {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(additionalData(index, final));
  const body = cipher.update(plaintext);
  const rest = cipher.final();
  return rest.length > 0 ? [nonce, body, rest, cipher.getAuthTag()] : [nonce, body, cipher.getAuthTag()];
}

/** Decrypts one stored frame; throws when it was altered or is not the frame expected there. */
function openFrame(key: Buffer, index: number, final: boolean, stored: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(0, NONCE_BYTES));
  decipher.setAAD(additionalData(index, final));
  decipher.setAuthTag(stored.subarray(stored.length - TAG_BYTES));
  const body = decipher.update(stored.subarray(NONCE_BYTES, stored.length - TAG_BYTES));
  decipher.final();
  return body;
}

/** The number of frames a blob of `plainSize` plaintext bytes has. */
function frameCount(plainSize: number): number {
  return Math.max(1, Math.ceil(plainSize / FRAME_BYTES));
}

/** The stored size of `plainSize` plaintext bytes. */
export function storedSize(plainSize: number): number {
  return plainSize + frameCount(plainSize) * OVERHEAD;
}

/** The plaintext size of a blob of framed bytes. */
export function plainSize(stored: number): number {
  return stored - Math.max(1, Math.ceil(stored / STORED_FRAME)) * OVERHEAD;
}

/** A stream that encrypts bytes into frames under `key` (32 bytes). */
export class EncryptFrames extends Transform {
  readonly #key: Buffer;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #index = 0;

  constructor(key: Buffer) {
    super({ highWaterMark: 1 << 20 });
    this.#key = key;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes > FRAME_BYTES) {
      let all = Buffer.concat(this.#pending, this.#pendingBytes);
      let offset = 0;
      while (all.length - offset > FRAME_BYTES) {
        for (const piece of sealFrame(this.#key, this.#index++, false, all.subarray(offset, offset + FRAME_BYTES))) this.push(piece);
        offset += FRAME_BYTES;
      }
      all = all.subarray(offset);
      this.#pending = [all];
      this.#pendingBytes = all.length;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    for (const piece of sealFrame(this.#key, this.#index, true, Buffer.concat(this.#pending, this.#pendingBytes))) this.push(piece);
    callback();
  }
}

/** One frame a read decrypts: its stored length, index, whether it ends its blob, and the plaintext kept from it. */
interface PlannedFrame {
  readonly stored: number;
  readonly index: number;
  readonly final: boolean;
  readonly skip: number;
  readonly take: number;
}

/** What a read of framed blobs fetches (one stored range of their concatenation) and how it decrypts it. */
export interface FramedRead {
  readonly range?: ByteRange;
  readonly frames: readonly PlannedFrame[];
}

/** Plans the read of plaintext `range` (all bytes when undefined) of framed blobs read back to back. */
export function planRead(blobs: readonly BlobInfo[], range?: ByteRange): FramedRead {
  const total = blobs.reduce((sum, b) => sum + plainSize(b.size), 0);
  const first = range?.start ?? 0;
  const last = range?.end ?? total - 1;
  const frames: PlannedFrame[] = [];
  let storedStart: number | undefined;
  let storedEnd = -1;
  let plainOffset = 0;
  let storedOffset = 0;
  for (const blob of blobs) {
    const plain = plainSize(blob.size);
    const count = frameCount(plain);
    const from = Math.max(first, plainOffset) - plainOffset;
    const to = Math.min(last, plainOffset + plain - 1) - plainOffset;
    if (from <= to) {
      for (let i = Math.floor(from / FRAME_BYTES); i <= Math.floor(to / FRAME_BYTES); i++) {
        const frameStart = i * FRAME_BYTES;
        const framePlain = Math.min(FRAME_BYTES, plain - frameStart);
        const skip = Math.max(0, from - frameStart);
        const take = Math.min(framePlain, to - frameStart + 1) - skip;
        frames.push({ stored: framePlain + OVERHEAD, index: i, final: i === count - 1, skip, take });
        storedStart ??= storedOffset + i * STORED_FRAME;
        storedEnd = storedOffset + i * STORED_FRAME + framePlain + OVERHEAD - 1;
      }
    }
    plainOffset += plain;
    storedOffset += blob.size;
  }
  if (storedStart === undefined) return { range: undefined, frames: [] };
  return { range: { start: storedStart, end: storedEnd }, frames };
}

/** A stream that decrypts the stored bytes of a planned read into the plaintext it asked for. */
export class DecryptFrames extends Transform {
  readonly #key: Buffer;
  readonly #frames: readonly PlannedFrame[];
  #next = 0;
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(key: Buffer, frames: readonly PlannedFrame[]) {
    super({ highWaterMark: 1 << 20 });
    this.#key = key;
    this.#frames = frames;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    try {
      this.#drain();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.#next < this.#frames.length || this.#pendingBytes > 0) return callback(new Error('SSE-KMS object bytes end early'));
    callback();
  }

  #drain(): void {
    let frame = this.#frames[this.#next];
    if (!frame || this.#pendingBytes < frame.stored) return;
    let all = Buffer.concat(this.#pending, this.#pendingBytes);
    let offset = 0;
    while (frame && all.length - offset >= frame.stored) {
      const plain = openFrame(this.#key, frame.index, frame.final, all.subarray(offset, offset + frame.stored));
      this.push(plain.subarray(frame.skip, frame.skip + frame.take));
      offset += frame.stored;
      frame = this.#frames[++this.#next];
    }
    all = all.subarray(offset);
    this.#pending = all.length > 0 ? [all] : [];
    this.#pendingBytes = all.length;
  }
}
