import { describe, expect, it } from 'vitest';
import { compareUtf8 } from '../../core/key-order.js';
import { encodeKey, walk, type Cursor } from './listing.js';

const KEYS = ['a', 'b/1', 'b/2', 'b/c/3', 'c', 'd/1', 'd/2', 'e'].sort(compareUtf8);

/** A repository page over a sorted key list (keys starting with `prefix`), counting fetches. */
function source(keys = KEYS, prefix = '') {
  const calls: Cursor[] = [];
  const fetch = async (cursor: Cursor, limit: number) => {
    calls.push(cursor);
    return keys.filter((k) => k.startsWith(prefix) && (cursor.after === undefined || compareUtf8(k, cursor.after) > 0) && (cursor.from === undefined || compareUtf8(k, cursor.from) >= 0)).slice(0, limit);
  };
  return { calls, options: { fetch, keyOf: (k: string) => k, next: (k: string) => ({ after: k }) } };
}

const flat = (entries: ({ item: string } | { commonPrefix: string })[]) => entries.map((e) => ('item' in e ? e.item : `[${e.commonPrefix}]`));

describe('walk', () => {
  it('rolls keys up into common prefixes, skipping each prefix with one seek', async () => {
    const { calls, options } = source();
    const { entries, truncated } = await walk({ ...options, prefix: '', delimiter: '/', max: 100 });
    expect(flat(entries)).toEqual(['a', '[b/]', 'c', '[d/]', 'e']);
    expect(truncated).toBe(false);
    expect(calls).toContainEqual({ from: 'b0' });
    expect(calls).toContainEqual({ from: 'd0' });
  });

  it('lists within a prefix, one level down', async () => {
    const { options } = source(KEYS, 'b/');
    expect(flat((await walk({ ...options, prefix: 'b/', delimiter: '/', max: 100 })).entries)).toEqual(['b/1', 'b/2', '[b/c/]']);
  });

  it('stops at max entries and says whether more remain', async () => {
    const { options } = source();
    const first = await walk({ ...options, prefix: '', delimiter: '/', max: 2 });
    expect(flat(first.entries)).toEqual(['a', '[b/]']);
    expect(first.truncated).toBe(true);
    const exact = await walk({ ...options, prefix: '', delimiter: '/', max: 5 });
    expect(exact.truncated).toBe(false);
  });

  it('resumes after a marker that is a common prefix without repeating it', async () => {
    const { options } = source();
    expect(flat((await walk({ ...options, prefix: '', delimiter: '/', marker: 'b/', max: 100 })).entries)).toEqual(['c', '[d/]', 'e']);
    expect(flat((await walk({ ...options, prefix: '', marker: 'b/2', max: 100 })).entries)).toEqual(['b/c/3', 'c', 'd/1', 'd/2', 'e']);
  });

  it('takes multi-character delimiters', async () => {
    const { options } = source(['x--1', 'x--2', 'y']);
    expect(flat((await walk({ ...options, prefix: '', delimiter: '--', max: 100 })).entries)).toEqual(['[x--]', 'y']);
  });
});

describe('encodeKey', () => {
  it('encodes keys as S3 does under encoding-type=url', () => {
    expect(encodeKey('a b.txt')).toBe('a+b.txt');
    expect(encodeKey('a+b.txt')).toBe('a%2Bb.txt');
    expect(encodeKey('100%.csv')).toBe('100%25.csv');
    expect(encodeKey('한글/x.txt')).toBe('%ED%95%9C%EA%B8%80/x.txt');
    expect(encodeKey('safe-_.*~/')).toBe('safe-_.*%7E/');
    expect(encodeKey('\u0001')).toBe('%01');
  });
});
