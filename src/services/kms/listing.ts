/**
 * @module
 * KMS's paging: `Limit` within the operation's bounds, `Marker` in, `NextMarker` and `Truncated`
 * out. Markers are opaque tokens that only the same listing honours.
 */
import { decodeToken, encodeToken } from '../../core/pagination.js';
import { InvalidMarkerException, ValidationException } from './errors.js';

/** One page of a listing, as KMS returns it. */
export interface Page<T> {
  readonly items: T[];
  readonly NextMarker?: string;
  readonly Truncated: boolean;
}

/** Pages through items already in listing order, each with a unique sort key. */
export function page<T>(
  items: readonly T[],
  sortKey: (item: T) => string,
  request: { Limit?: number; Marker?: string; listing: string; max: number; fallback: number },
): Page<T> {
  const limit = request.Limit ?? request.fallback;
  if (limit < 1) throw ValidationException.constraint(`Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  if (limit > request.max) {
    throw ValidationException.constraint(`Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${request.max}`);
  }
  let start = 0;
  if (request.Marker !== undefined) {
    const after = decodeToken<string>(request.Marker, request.listing);
    if (after === undefined) throw new InvalidMarkerException();
    start = items.findIndex((item) => sortKey(item) > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return {
    items: slice,
    NextMarker: more ? encodeToken(sortKey(slice[slice.length - 1]!), request.listing) : undefined,
    Truncated: more,
  };
}
