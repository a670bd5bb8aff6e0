/**
 * @module
 * The order S3 lists keys in: UTF-8 byte order (SQLite's BINARY collation over UTF-8 text is the
 * same order). JavaScript compares UTF-16 code units, which differs above U+FFFF, hence these helpers.
 */

/** Compares two strings in UTF-8 byte order (negative, zero or positive). */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The larger of two strings in UTF-8 byte order. */
export function maxUtf8(a: string, b: string): string {
  return compareUtf8(a, b) >= 0 ? a : b;
}

/**
 * The smallest string greater than every string that starts with `prefix`, or undefined when there
 * is none (an empty prefix, or one made only of U+10FFFF): the prefix with its last code point
 * incremented (surrogates skipped).
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}
