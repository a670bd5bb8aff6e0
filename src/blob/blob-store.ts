/**
 * @module
 * Object bytes: immutable blobs, named by an id the store picks. Metadata (which blob holds which
 * object) lives in the store; a blob store only keeps bytes. The filesystem backend is the first;
 * an S3-compatible one can follow behind the same interface.
 */
import type { Readable } from 'node:stream';

/** A stored blob: its id and its size in bytes. */
export interface BlobInfo {
  readonly id: string;
  readonly size: number;
}

/** A byte range, both ends inclusive (as in an HTTP Range header). Precondition: 0 ≤ start ≤ end. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** A store of immutable blobs. */
export interface BlobStore {
  /**
   * Stores the bytes of `source` as a new blob and resolves once they are durable. When the source
   * fails, nothing is kept and the source's error is the rejection.
   */
  put(source: Readable | Uint8Array): Promise<BlobInfo>;
  /**
   * The bytes of blobs read one after another (a multipart object is the concatenation of its
   * parts), or of `range` of that concatenation. The blobs are pinned from this call until the stream
   * closes: a `delete` meanwhile waits for it. A missing blob fails the stream.
   * Precondition: `range` lies within the total size.
   */
  get(blobs: readonly BlobInfo[], range?: ByteRange): Readable;
  /** A blob's size, or undefined when there is no such blob. */
  stat(id: string): Promise<BlobInfo | undefined>;
  /** Deletes a blob (once no read has it pinned). Deleting a missing blob is not an error. */
  delete(id: string): Promise<void>;
}
