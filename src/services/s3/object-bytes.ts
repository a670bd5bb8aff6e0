/**
 * @module
 * The bytes of an object version as clients see them: its blobs read back to back, decrypted when
 * the version is SSE-KMS (only the frames a range touches are read), and the plaintext sizes of its parts.
 */
import { pipeline, Readable } from 'node:stream';
import type { BlobInfo, BlobStore, ByteRange } from '../../blob/blob-store.js';
import type { ObjectAttributes } from './objects.js';
import { DecryptFrames, planRead, plainSize } from './sse-frames.js';

/** Whether a version's blobs hold framed SSE-KMS ciphertext. */
export function isSealed(attributes: ObjectAttributes): boolean {
  return attributes.encryption?.dataKey !== undefined;
}

/** The plaintext sizes of a version's blobs (its parts, for a multipart object). */
export function partSizes(attributes: ObjectAttributes): number[] {
  return attributes.blobs.map((b) => (isSealed(attributes) ? plainSize(b.size) : b.size));
}

/** A stream of the version's bytes, or of `range` of them; `dataKey` opens SSE-KMS versions. */
export function objectBytes(blobs: BlobStore, attributes: ObjectAttributes, range: ByteRange | undefined, dataKey: Buffer | undefined): Readable {
  if (!isSealed(attributes)) return blobs.get(attributes.blobs, range);
  if (!dataKey) throw new Error('an SSE-KMS object is read without its data key');
  const plan = planRead(attributes.blobs as BlobInfo[], range);
  if (plan.frames.length === 0) return Readable.from([]);
  return pipeline(blobs.get(attributes.blobs, plan.range), new DecryptFrames(dataKey, plan.frames), () => undefined);
}
