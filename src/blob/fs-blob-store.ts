/**
 * @module
 * Blobs as files under one directory: `<dir>/<first two hex digits>/<id>`, where the id is 128 random
 * bits in hex. A blob is written once, flushed to disk before `put` resolves (when `sync` is on),
 * and never modified. Reads pin their blobs in memory so that a delete waits until they close.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobInfo, BlobStore, ByteRange } from './blob-store.js';

/** Settings of a filesystem blob store. */
export interface FsBlobStoreOptions {
  /** The directory that holds the blobs (created on demand). */
  readonly dir: string;
  /** Whether `put` flushes each blob to disk (fdatasync) before resolving. */
  readonly sync: boolean;
}

const ID = /^[0-9a-f]{32}$/;
const READ_CHUNK = 1 << 20;

/** A BlobStore on the local filesystem. */
export class FsBlobStore implements BlobStore {
  readonly #dir: string;
  readonly #sync: boolean;
  readonly #shards = new Set<string>();
  readonly #pins = new Map<string, number>();
  readonly #doomed = new Set<string>();

  constructor(options: FsBlobStoreOptions) {
    this.#dir = options.dir;
    this.#sync = options.sync;
  }

  async put(source: Readable | Uint8Array): Promise<BlobInfo> {
    const id = randomBytes(16).toString('hex');
    const shard = join(this.#dir, id.slice(0, 2));
    if (!this.#shards.has(shard)) {
      await mkdir(shard, { recursive: true });
      this.#shards.add(shard);
    }
    const path = join(shard, id);
    const handle = await open(path, 'wx');
    try {
      let size: number;
      if (source instanceof Uint8Array) {
        await handle.writeFile(source);
        size = source.length;
      } else {
        const sink = createWriteStream('', { fd: handle.fd, autoClose: false, emitClose: false, highWaterMark: READ_CHUNK });
        await pipeline(source, sink);
        size = sink.bytesWritten;
      }
      if (this.#sync) await handle.datasync();
      await handle.close();
      return { id, size };
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(path, { force: true });
      throw error;
    }
  }

  get(blobs: readonly BlobInfo[], range?: ByteRange): Readable {
    const total = blobs.reduce((sum, blob) => sum + blob.size, 0);
    const first = range?.start ?? 0;
    const last = range?.end ?? total - 1;
    const pieces: { id: string; start: number; end: number }[] = [];
    let offset = 0;
    for (const blob of blobs) {
      const start = Math.max(first, offset);
      const end = Math.min(last, offset + blob.size - 1);
      if (start <= end) pieces.push({ id: blob.id, start: start - offset, end: end - offset });
      offset += blob.size;
    }
    for (const piece of pieces) this.#pin(piece.id);
    const release = () => pieces.forEach((piece) => this.#unpin(piece.id));
    if (pieces.length === 1) {
      const only = pieces[0]!;
      const stream = createReadStream(this.#path(only.id), { start: only.start, end: only.end, highWaterMark: READ_CHUNK });
      stream.once('close', release);
      return stream;
    }
    const out = new PassThrough({ highWaterMark: READ_CHUNK });
    out.once('close', release);
    void (async () => {
      for (const piece of pieces) {
        await pipeline(createReadStream(this.#path(piece.id), { start: piece.start, end: piece.end, highWaterMark: READ_CHUNK }), out, { end: false });
      }
      out.end();
    })().catch((error: unknown) => out.destroy(error as Error));
    return out;
  }

  async stat(id: string): Promise<BlobInfo | undefined> {
    if (!ID.test(id)) return undefined;
    try {
      return { id, size: (await stat(this.#path(id))).size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    if (!ID.test(id)) return;
    if (this.#pins.has(id)) {
      this.#doomed.add(id);
      return;
    }
    await rm(this.#path(id), { force: true });
  }

  #path(id: string): string {
    return join(this.#dir, id.slice(0, 2), id);
  }

  #pin(id: string): void {
    this.#pins.set(id, (this.#pins.get(id) ?? 0) + 1);
  }

  #unpin(id: string): void {
    const count = (this.#pins.get(id) ?? 1) - 1;
    if (count > 0) {
      this.#pins.set(id, count);
      return;
    }
    this.#pins.delete(id);
    if (this.#doomed.delete(id)) void rm(this.#path(id), { force: true }).catch(() => undefined);
  }
}

