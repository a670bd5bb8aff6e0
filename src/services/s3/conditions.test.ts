import { describe, expect, it } from 'vitest';
import { checkReadConditions, parseRange } from './conditions.js';
import { InvalidRange, NotModified, PreconditionFailed } from './errors.js';

const ETAG = '"abc"';
const MODIFIED = Date.UTC(2024, 0, 1, 12, 0, 0, 500);
const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 12, 0, 0) + seconds * 1000);

describe('parseRange', () => {
  it.each([
    ['bytes=0-4', { start: 0, end: 4 }],
    ['bytes=5-', { start: 5, end: 9 }],
    ['bytes=-3', { start: 7, end: 9 }],
    ['bytes=-30', { start: 0, end: 9 }],
    ['bytes=8-100', { start: 8, end: 9 }],
  ])('reads %s of a 10-byte object', (header, range) => {
    expect(parseRange(header, 10)).toEqual(range);
  });

  it.each(['items=0-4', 'bytes=0-1,3-4', 'bytes=5-2', 'bytes=-', 'nonsense'])('ignores %s (the whole object)', (header) => {
    expect(parseRange(header, 10)).toBeUndefined();
  });

  it.each([['bytes=10-', 10], ['bytes=-0', 10], ['bytes=0-1', 0], ['bytes=-5', 0]])('refuses %s of a %d-byte object', (header, size) => {
    expect(() => parseRange(header, size)).toThrow(InvalidRange);
  });
});

describe('checkReadConditions', () => {
  it('passes when every condition holds, compared at whole seconds', () => {
    expect(() => checkReadConditions({ IfMatch: ETAG, IfNoneMatch: '"other"', IfModifiedSince: at(-1), IfUnmodifiedSince: at(0) }, ETAG, MODIFIED)).not.toThrow();
    expect(() => checkReadConditions({ IfMatch: '*' }, ETAG, MODIFIED)).not.toThrow();
    expect(() => checkReadConditions({ IfMatch: 'abc' }, ETAG, MODIFIED)).not.toThrow();
  });

  it('fails 412 for If-Match and If-Unmodified-Since, and 304 for If-None-Match and If-Modified-Since', () => {
    expect(() => checkReadConditions({ IfMatch: '"x"' }, ETAG, MODIFIED)).toThrow(PreconditionFailed);
    expect(() => checkReadConditions({ IfUnmodifiedSince: at(-1) }, ETAG, MODIFIED)).toThrow(PreconditionFailed);
    expect(() => checkReadConditions({ IfNoneMatch: ETAG }, ETAG, MODIFIED)).toThrow(NotModified);
    expect(() => checkReadConditions({ IfModifiedSince: at(0) }, ETAG, MODIFIED)).toThrow(NotModified);
  });

  it('lets a holding If-Match win over a failing If-Unmodified-Since, and a failing If-None-Match over If-Modified-Since', () => {
    expect(() => checkReadConditions({ IfMatch: ETAG, IfUnmodifiedSince: at(-10) }, ETAG, MODIFIED)).not.toThrow();
    expect(() => checkReadConditions({ IfNoneMatch: ETAG, IfModifiedSince: at(-10) }, ETAG, MODIFIED)).toThrow(NotModified);
    expect(() => checkReadConditions({ IfNoneMatch: '"x"', IfModifiedSince: at(10) }, ETAG, MODIFIED)).not.toThrow();
  });
});
