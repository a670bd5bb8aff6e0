/**
 * @module
 * IAM's Marker / MaxItems / IsTruncated pagination over a sorted list.
 */
import { decodeToken, encodeToken } from '../../core/pagination.js';
import { IamValidationError } from './errors.js';
import { pageSize } from './names.js';

/** One page of items, with IAM's truncation fields. */
export interface Page<T> {
  readonly items: T[];
  readonly IsTruncated: boolean;
  readonly Marker?: string;
}

/** Pages `items` (already in their listing order) by position; `query` binds the marker to the request. */
export function paginate<T>(items: readonly T[], input: { Marker?: string; MaxItems?: number }, query: unknown): Page<T> {
  const size = pageSize(input.MaxItems);
  let start = 0;
  if (input.Marker !== undefined) {
    const position = decodeToken<number>(input.Marker, query);
    if (position === undefined || !Number.isInteger(position) || position < 0) throw new IamValidationError('Invalid Marker.');
    start = position;
  }
  const end = start + size;
  const truncated = end < items.length;
  return { items: items.slice(start, end), IsTruncated: truncated, Marker: truncated ? encodeToken(end, query) : undefined };
}
