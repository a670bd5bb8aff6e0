/**
 * @module
 * Compressed request bodies. The SDKs gzip large bodies of operations that allow it (CloudWatch
 * PutMetricData) and say so with `Content-Encoding: gzip`; the signature covers the compressed
 * bytes, so the pipeline authenticates those and inflates them only to decode the input. REST
 * protocols are left alone: there the header can describe an object's stored encoding (S3).
 */
import { gunzipSync } from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';
import { ServiceError } from '../core/errors.js';
import { BodyTooLargeError } from './body.js';

/** Whether a request's body is gzip-compressed in transit. */
export function isGzipped(headers: IncomingHttpHeaders): boolean {
  const value = headers['content-encoding'];
  return typeof value === 'string' && value.split(',').some((v) => v.trim().toLowerCase() === 'gzip');
}

/** The body to decode: inflated when gzip-compressed (at most `limit` bytes), else as sent. */
export function inflateBody(headers: IncomingHttpHeaders, body: Buffer, limit: number): Buffer {
  if (body.length === 0 || !isGzipped(headers)) return body;
  try {
    return gunzipSync(body, { maxOutputLength: limit });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLargeError(limit);
    throw new ServiceError('SerializationException', 'The request body is not valid gzip.');
  }
}
