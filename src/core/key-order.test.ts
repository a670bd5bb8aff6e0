import { describe, expect, it } from 'vitest';
import { compareUtf8, maxUtf8, prefixEnd } from './key-order.js';

describe('UTF-8 key order', () => {
  it('orders by UTF-8 bytes, not UTF-16 code units', () => {
    expect(['\u{1F600}', '\uffff', 'z', 'é'].sort(compareUtf8)).toEqual(['z', 'é', '\uffff', '\u{1F600}']);
    expect(maxUtf8('\uffff', '\u{1F600}')).toBe('\u{1F600}');
  });

  it('finds the first string after every string with a prefix', () => {
    expect(prefixEnd('a/')).toBe('a0');
    expect(prefixEnd('abc')).toBe('abd');
    expect(prefixEnd('a\u{10FFFF}')).toBe('b');
    expect(prefixEnd('\u{D7FF}')).toBe('\u{E000}');
    expect(prefixEnd('')).toBeUndefined();
    expect(prefixEnd('\u{10FFFF}')).toBeUndefined();
    for (const key of ['a/', 'a/x', 'a/\u{10FFFF}\u{10FFFF}']) expect(compareUtf8(key, prefixEnd('a/')!)).toBeLessThan(0);
  });
});
