/**
 * @module
 * Conditional requests (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, and their
 * x-amz-copy-source-* forms) and byte ranges, as S3 evaluates them. Pure.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-14.1.2
 */
import type { ByteRange } from '../../blob/blob-store.js';
import { InvalidRange, NotModified, PreconditionFailed } from './errors.js';

/** The conditions of a read. */
export interface ReadConditions {
  readonly IfMatch?: string;
  readonly IfNoneMatch?: string;
  readonly IfModifiedSince?: Date;
  readonly IfUnmodifiedSince?: Date;
}

function etagMatches(header: string, etag: string): boolean {
  return header.split(',').map((t) => t.trim()).some((t) => t === '*' || t === etag || `"${t}"` === etag || t.replace(/^W\//, '') === etag);
}

/**
 * Throws PreconditionFailed (412) or NotModified (304) when the conditions say so. An If-Match that
 * holds overrides a failing If-Unmodified-Since; an If-None-Match that fails overrides a holding
 * If-Modified-Since, as S3 does. `lastModified` is in ms, compared at second precision.
 */
export function checkReadConditions(conditions: ReadConditions, etag: string, lastModified: number, names = { match: 'If-Match', unmodified: 'If-Unmodified-Since' }): void {
  const modified = Math.floor(lastModified / 1000);
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
  if (conditions.IfMatch !== undefined) {
    if (!etagMatches(conditions.IfMatch, etag)) throw new PreconditionFailed(names.match);
  } else if (conditions.IfUnmodifiedSince !== undefined && modified > seconds(conditions.IfUnmodifiedSince)) {
    throw new PreconditionFailed(names.unmodified);
  }
  if (conditions.IfNoneMatch !== undefined) {
    if (etagMatches(conditions.IfNoneMatch, etag)) throw new NotModified();
  } else if (conditions.IfModifiedSince !== undefined && modified <= seconds(conditions.IfModifiedSince)) {
    throw new NotModified();
  }
}

/**
 * The bytes a Range header selects of an object of `size` bytes, or undefined for the whole object
 * (no header, or one S3 ignores: not `bytes=`, several ranges). Throws InvalidRange (416) when
 * the range selects nothing.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw new InvalidRange(size, header);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw new InvalidRange(size, header);
  return { start, end };
}
