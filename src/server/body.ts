/**
 * @module
 * Reading request bodies with a size limit.
 */
import type { IncomingMessage } from 'node:http';

/** Thrown when a body is larger than the limit; the pipeline answers with the service's error. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }
}

const EMPTY = Buffer.alloc(0);

/** Reads the whole body, refusing more than `limit` bytes (and draining the rest). */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) {
    request.resume();
    return Promise.reject(new BodyTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    request.on('end', () => {
      if (over) reject(new BodyTooLargeError(limit));
      else resolve(chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    request.on('error', reject);
  });
}

/**
 * Reads and drops what is left of a request body the call did not consume (a PUT refused before its
 * body was read), so that the client can finish sending and read the answer on a kept-alive connection.
 */
export function discardUnread(request: IncomingMessage): void {
  if (request.readableEnded || request.destroyed) return;
  request.unpipe();
  request.resume();
}
