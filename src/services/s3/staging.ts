/**
 * @module
 * Staging object bytes (PutObject, UploadPart, copies) into a blob before the call's transaction,
 * computing the MD5 (the ETag) and the checksum the client asked for as the bytes pass. The
 * handler then records the blob; `discardStaged` removes it when the call does not commit.
 */
import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import { ChunkedBodyError } from '../../auth/aws-chunked.js';
import { createChecksum, type RunningChecksum } from '../../auth/checksums.js';
import type { BlobInfo, BlobStore } from '../../blob/blob-store.js';
import { ServiceError } from '../../core/errors.js';
import { runningName, type ChecksumRequest, type StoredChecksum } from './checksums.js';
import type { StoredEncryption } from './encryption.js';
import { EncryptFrames } from './sse-frames.js';
import { BadDigest, IncompleteBody, InvalidRequest } from './errors.js';

/** Bytes staged in a blob, with their digests. */
export interface StagedBody {
  readonly blob: BlobInfo;
  /** The size of the bytes as sent (the blob is larger when they are encrypted). */
  readonly size: number;
  /** The encryption decided in `prepare`, with the SSE-KMS data key the blob is sealed under. */
  readonly encryption?: StoredEncryption;
  /** Hex MD5 of the bytes. */
  readonly md5: string;
  readonly checksum?: StoredChecksum;
}

/** An input that prepare has staged: the handler reads `staged`, never `Body`. */
export type WithStaged<I> = I & { staged?: StagedBody };

class Digests extends Transform {
  readonly #md5 = createHash('md5');
  readonly #checksum: RunningChecksum | undefined;
  bytes = 0;

  constructor(checksum: RunningChecksum | undefined) {
    super({ highWaterMark: 1 << 20 });
    this.#checksum = checksum;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#md5.update(chunk);
    this.#checksum?.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  digests(): { md5: string; checksum?: string } {
    return { md5: this.#md5.digest('hex'), checksum: this.#checksum?.digest().toString('base64') };
  }
}

/** The S3 error for a body that failed while it streamed. */
function bodyError(error: unknown): unknown {
  if (error instanceof ChunkedBodyError) {
    if (error.failure === 'IncompleteBody') return new IncompleteBody();
    if (error.failure === 'BadDigest') return new BadDigest(error.message);
    return new InvalidRequest(error.message);
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (error as Error | undefined)?.message === 'aborted') return new IncompleteBody();
  return error;
}

function asBuffer(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return undefined;
}

/**
 * Stages a body: the HTTP payload (already decoded by the pipeline, which also checks the checksum
 * headers it carries, so a claimed checksum is kept as claimed) or bytes from an internal call (whose
 * claimed checksum is checked here). With `sealKey`, the blob holds the bytes encrypted under it (SSE-KMS).
 */
export async function stageBody(blobs: BlobStore, body: unknown, request: ChecksumRequest, sealKey?: Buffer): Promise<StagedBody> {
  const running = request.algorithm ? createChecksum(runningName(request.algorithm)) : undefined;
  const buffer = asBuffer(body);
  let md5: string;
  let value: string | undefined;
  let blob: BlobInfo;
  let size: number;
  if (buffer) {
    md5 = createHash('md5').update(buffer).digest('hex');
    running?.update(buffer);
    value = running?.digest().toString('base64');
    if (request.claimed !== undefined && value !== request.claimed) {
      throw new BadDigest(`The ${request.algorithm} you specified did not match the calculated checksum.`);
    }
    blob = await blobs.put(sealKey ? pipeline(Readable.from([buffer]), new EncryptFrames(sealKey), () => undefined) : buffer);
    size = buffer.length;
  } else if (body instanceof Readable) {
    const digests = new Digests(request.claimed === undefined ? running : undefined);
    try {
      blob = await blobs.put(sealKey ? pipeline(body, digests, new EncryptFrames(sealKey), () => undefined) : pipeline(body, digests, () => undefined));
    } catch (error) {
      throw bodyError(error);
    }
    size = digests.bytes;
    const computed = digests.digests();
    md5 = computed.md5;
    value = request.claimed ?? computed.checksum;
  } else {
    throw new ServiceError('InvalidRequest', 'The request body is not a stream or bytes.', { status: 400 });
  }
  return { blob, size, md5, checksum: request.algorithm && value ? { algorithm: request.algorithm, value, type: 'FULL_OBJECT' } : undefined };
}

/** Removes a staged blob whose call did not commit. */
export async function discardStaged(blobs: BlobStore, staged: StagedBody | undefined): Promise<void> {
  if (staged) await blobs.delete(staged.blob.id);
}
