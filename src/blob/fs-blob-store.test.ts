import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from './fs-blob-store.js';

let dir: string;
let blobs: FsBlobStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custos-blobs-'));
  blobs = new FsBlobStore({ dir, sync: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function files(): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

describe('FsBlobStore', () => {
  it('stores buffers and streams and reads them back whole', async () => {
    const a = await blobs.put(Buffer.from('hello'));
    const b = await blobs.put(Readable.from([Buffer.from('wor'), Buffer.from('ld')]));
    expect(a.size).toBe(5);
    expect(b).toMatchObject({ size: 5 });
    expect(a.id).toMatch(/^[0-9a-f]{32}$/);
    expect((await read(blobs.get([a]))).toString()).toBe('hello');
    expect((await read(blobs.get([b]))).toString()).toBe('world');
    expect(await blobs.stat(a.id)).toEqual(a);
  });

  it('reads ranges of one blob and of a concatenation', async () => {
    const parts = [await blobs.put(Buffer.from('0123')), await blobs.put(Buffer.from('')), await blobs.put(Buffer.from('4567')), await blobs.put(Buffer.from('89'))];
    expect((await read(blobs.get(parts))).toString()).toBe('0123456789');
    expect((await read(blobs.get(parts, { start: 2, end: 5 }))).toString()).toBe('2345');
    expect((await read(blobs.get(parts, { start: 4, end: 7 }))).toString()).toBe('4567');
    expect((await read(blobs.get(parts, { start: 9, end: 9 }))).toString()).toBe('9');
    expect((await read(blobs.get([parts[0]!], { start: 1, end: 2 }))).toString()).toBe('12');
    expect((await read(blobs.get([parts[1]!]))).length).toBe(0);
  });

  it('keeps nothing when the source fails', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(blobs.put(failing)).rejects.toThrow('client went away');
    expect(files()).toEqual([]);
  });

  it('deletes blobs, idempotently, and ignores ids it never issued', async () => {
    const a = await blobs.put(Buffer.from('x'));
    await blobs.delete(a.id);
    await blobs.delete(a.id);
    await blobs.delete('../../etc/passwd');
    expect(await blobs.stat(a.id)).toBeUndefined();
    expect(await blobs.stat('not-an-id')).toBeUndefined();
    expect(files()).toEqual([]);
  });

  it('defers a delete until the reads that pinned the blob close', async () => {
    const a = await blobs.put(Buffer.alloc(3 << 20, 1));
    const stream = blobs.get([a]);
    await blobs.delete(a.id);
    expect(await blobs.stat(a.id)).toEqual(a);
    expect((await read(stream)).length).toBe(3 << 20);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await blobs.stat(a.id)).toBeUndefined();
  });

  it('fails the stream when a blob is missing', async () => {
    const a = await blobs.put(Buffer.from('abc'));
    rmSync(join(dir, a.id.slice(0, 2), a.id));
    await expect(read(blobs.get([a]))).rejects.toThrow(/ENOENT/);
    await expect(read(blobs.get([a, a]))).rejects.toThrow(/ENOENT/);
  });
});
