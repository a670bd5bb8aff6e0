/**
 * @module
 * The listing walk every S3 list operation shares: entries in key order after a marker, keys that
 * contain the delimiter after the prefix rolled up into one common prefix (the walk then jumps past
 * all keys of that prefix with one index seek), up to `max` entries. Also `encoding-type=url`.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-prefixes.html
 */
import { compareUtf8, prefixEnd } from '../../core/key-order.js';
import { InvalidArgument } from './errors.js';

/** Where a page of the repository resumes: after a key (and a position within it), or from a key. */
export interface Cursor {
  readonly after?: string;
  readonly from?: string;
}

/** A listed item or a common prefix. */
export type Entry<T> = { readonly item: T } | { readonly commonPrefix: string };

/** What to list. */
export interface WalkOptions<T, C extends Cursor> {
  readonly prefix: string;
  readonly delimiter?: string;
  /** Only entries after this key or common prefix (exclusive). */
  readonly marker?: string;
  /** The repository position to start from (defaults to after the marker). */
  readonly start?: C;
  readonly max: number;
  /** One page of items at `cursor`, in key order. */
  fetch(cursor: C | Cursor, limit: number): Promise<T[]>;
  keyOf(item: T): string;
  /** The cursor just past an item. */
  next(item: T): C | Cursor;
}

const PAGE = 1000;

/**
 * Walks items in key order. Returns at most `max` entries, and whether more remain. A common prefix
 * at or before the marker is skipped (a marker that is a common prefix resumes after all its keys).
 */
export async function walk<T, C extends Cursor>(options: WalkOptions<T, C>): Promise<{ entries: Entry<T>[]; truncated: boolean }> {
  const { prefix, delimiter, marker, max } = options;
  const entries: Entry<T>[] = [];
  let cursor: C | Cursor = options.start ?? (marker !== undefined ? { after: marker } : {});
  outer: while (entries.length <= max) {
    const limit = Math.min(PAGE, max + 1 - entries.length);
    const page = await options.fetch(cursor, limit);
    for (const item of page) {
      const key = options.keyOf(item);
      const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      if (at < 0) {
        entries.push({ item });
        if (entries.length > max) break outer;
        cursor = options.next(item);
        continue;
      }
      const common = key.slice(0, at + delimiter!.length);
      if (marker === undefined || compareUtf8(common, marker) > 0) {
        entries.push({ commonPrefix: common });
        if (entries.length > max) break outer;
      }
      const end = prefixEnd(common);
      if (end === undefined) break outer;
      cursor = { from: end };
      continue outer;
    }
    if (page.length < limit) break;
  }
  const truncated = entries.length > max;
  return { entries: truncated ? entries.slice(0, max) : entries, truncated };
}

/** The items of a walk's entries. */
export function itemsOf<T>(entries: readonly Entry<T>[]): T[] {
  return entries.flatMap((e) => ('item' in e ? [e.item] : []));
}

/** The common prefixes of a walk's entries. */
export function prefixesOf<T>(entries: readonly Entry<T>[]): string[] {
  return entries.flatMap((e) => ('commonPrefix' in e ? [e.commonPrefix] : []));
}

/** The key (or common prefix) of the last entry, where the next page starts. */
export function lastKey<T>(entries: readonly Entry<T>[], keyOf: (item: T) => string): string | undefined {
  const last = entries[entries.length - 1];
  return last === undefined ? undefined : 'item' in last ? keyOf(last.item) : last.commonPrefix;
}

/** A max-keys (max-uploads, max-parts) value: default 1,000, at most 1,000. */
export function pageSize(value: number | undefined, name: string): number {
  if (value === undefined) return 1000;
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgument(`Argument ${name} must be an integer between 0 and 2147483647`, name, String(value));
  return Math.min(value, 1000);
}

/** Checks an `encoding-type` value; returns whether keys are to be URL-encoded. */
export function urlEncoded(encodingType: string | undefined): boolean {
  if (encodingType === undefined) return false;
  if (encodingType !== 'url') throw new InvalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  return true;
}

/** A key as S3 writes it under `encoding-type=url`: form encoding (space as `+`), slashes kept. */
export function encodeKey(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_/]/.test(c)) out += c;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
