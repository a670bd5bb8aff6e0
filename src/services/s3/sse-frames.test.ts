import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DecryptFrames, EncryptFrames, FRAME_BYTES, planRead, plainSize, storedSize } from './sse-frames.js';

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const key = randomBytes(32);
const encrypt = (plain: Buffer, chunk = 10_000) => collect(Readable.from(Array.from({ length: Math.ceil(plain.length / chunk) }, (_, i) => plain.subarray(i * chunk, (i + 1) * chunk))).pipe(new EncryptFrames(key)));

/** Reads plaintext `range` of framed blobs held in memory, as the blob store would serve them. */
async function read(stored: Buffer[], range?: { start: number; end: number }): Promise<Buffer> {
  const plan = planRead(stored.map((b, i) => ({ id: String(i), size: b.length })), range);
  const all = Buffer.concat(stored);
  const bytes = plan.range ? all.subarray(plan.range.start, plan.range.end + 1) : Buffer.alloc(0);
  return collect(Readable.from([bytes]).pipe(new DecryptFrames(key, plan.frames)));
}

describe('SSE-KMS frames', () => {
  it('round-trip any size, and sizes convert both ways', async () => {
    for (const size of [0, 1, FRAME_BYTES - 1, FRAME_BYTES, FRAME_BYTES + 1, 3 * FRAME_BYTES + 17]) {
      const plain = randomBytes(size);
      const stored = await encrypt(plain);
      expect(stored.length).toBe(storedSize(size));
      expect(plainSize(stored.length)).toBe(size);
      expect((await read([stored])).equals(plain)).toBe(true);
      if (size >= 16) expect(stored.includes(plain.subarray(0, 64))).toBe(false);
    }
  });

  it('serve ranges across frame and blob boundaries', async () => {
    const parts = [randomBytes(2 * FRAME_BYTES + 5), randomBytes(FRAME_BYTES), randomBytes(100)];
    const stored = await Promise.all(parts.map((p) => encrypt(p, 7_000)));
    const plain = Buffer.concat(parts);
    for (const [start, end] of [[0, 0], [FRAME_BYTES - 3, FRAME_BYTES + 3], [2 * FRAME_BYTES, 2 * FRAME_BYTES + 10], [5, plain.length - 1], [3 * FRAME_BYTES + 5, 3 * FRAME_BYTES + 50]]) {
      expect((await read(stored, { start: start!, end: end! })).equals(plain.subarray(start, end! + 1))).toBe(true);
    }
  });

  it('refuse altered, reordered or cut-off bytes', async () => {
    const stored = await encrypt(randomBytes(2 * FRAME_BYTES + 10));
    const altered = Buffer.from(stored);
    altered[40] ^= 1;
    await expect(read([altered])).rejects.toThrow();
    const cut = stored.subarray(0, storedSize(2 * FRAME_BYTES));
    await expect(read([cut])).rejects.toThrow();
  });
});
