import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { canonicalQuery, canonicalUri, removeDotSegments, trimHeaderValue } from './canonical-request.js';
import { checkRequestTime, deriveSigningKey, parseSignature, SigningKeyCache, stringToSign } from './sigv4.js';
import { failure } from './testdata/auth-failure.js';
import { normalizeEncoding, percentDecode, uriEncode } from './uri-encoding.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

function sha256Hex(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}


describe('canonical request pieces', () => {
  it('encodes as SigV4 says: unreserved kept, everything else %XY upper-case', () => {
    expect(uriEncode("AZaz09-._~ /!'()*+:ü", false)).toBe('AZaz09-._~%20%2F%21%27%28%29%2A%2B%3A%C3%BC');
    expect(uriEncode('/a b/c', true)).toBe('/a%20b/c');
    expect(normalizeEncoding("%7e%2f%41it's+%zz%", { plusIsSpace: false, keepSlash: true })).toBe('~%2FAit%27s%2B%25zz%25');
    expect(normalizeEncoding('a+b', { plusIsSpace: true, keepSlash: false })).toBe('a%20b');
    expect(percentDecode('a%20b+c%C3%BC%zz', true)).toBe('a b cü%zz');
  });

  it('removes dot segments and empty segments like botocore and the JS SDK', () => {
    expect(removeDotSegments('')).toBe('/');
    expect(removeDotSegments('/a/./b/../c//d/')).toBe('/a/c/d/');
    expect(removeDotSegments('/..')).toBe('/');
    expect(removeDotSegments('/a/b/..')).toBe('/a');
    expect(removeDotSegments('/%2E%2E/a')).toBe('/%2E%2E/a');
  });

  it('builds the canonical URI once-encoded for S3, normalised and twice-encoded for the rest', () => {
    expect(canonicalUri('/b/a%20b/%2f/..//x', 's3')).toBe('/b/a%20b/%2F/..//x');
    expect(canonicalUri('/a%20b/%2f/..//x', 'lambda')).toBe('/a%2520b/x');
    expect(canonicalUri('', 's3')).toBe('/');
    expect(canonicalUri('/', 'sts')).toBe('/');
  });

  it('sorts the canonical query by key then value, writes key= for a missing value, drops a presigned signature', () => {
    expect(canonicalQuery('b=2&a=z&a=1&flag&e=&sp=a+b&%7e=%2a', false)).toBe('a=1&a=z&b=2&e=&flag=&sp=a%20b&~=%2A');
    expect(canonicalQuery('X-Amz-Signature=abc&a=1', true)).toBe('a=1');
    expect(canonicalQuery('X-Amz-Signature=abc&a=1', false)).toBe('X-Amz-Signature=abc&a=1');
  });

  it('trims header values and collapses inner whitespace', () => {
    expect(trimHeaderValue('  a   b \t c  ')).toBe('a b c');
    expect(trimHeaderValue('a\r\n b')).toBe('a b');
    expect(trimHeaderValue('plain value')).toBe('plain value');
  });

  it('hashes the canonical request into the string to sign', () => {
    expect(stringToSign('20150830T123600Z', '20150830/us-east-1/service/aws4_request', 'x')).toBe(
      `AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n${sha256Hex('x')}`,
    );
  });
});

describe('parseSignature', () => {
  const base = { method: 'GET', path: '/', query: '' };
  const withAuth = (authorization: string, extra: IncomingHttpHeaders = { 'x-amz-date': '20240101T000000Z' }) =>
    ({ ...base, headers: { host: 'h', authorization, ...extra } });
  const good = 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + '0'.repeat(64);

  it('returns undefined for an unsigned request', () => {
    expect(parseSignature({ ...base, query: 'list-type=2', headers: { host: 'h' } })).toBeUndefined();
  });

  it('names every missing part as AWS does', () => {
    const error = failure(() => parseSignature(withAuth('AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request', {})));
    expect(error.failure).toBe('IncompleteSignature');
    expect(error.detail).toBe(
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        'Authorization=AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request',
    );
  });

  it('rejects SigV2 and other schemes as incomplete SigV4', () => {
    expect(failure(() => parseSignature(withAuth('AWS AKID:c2lnbmF0dXJl', { date: 'Mon, 01 Jan 2024 00:00:00 GMT' }))).detail).toBe(
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS AKID:c2lnbmF0dXJl",
    );
    expect(failure(() => parseSignature(withAuth('Bearer abc'))).failure).toBe('IncompleteSignature');
    expect(failure(() => parseSignature(withAuth(good.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256')))).detail).toMatch(/not supported/);
    expect(failure(() => parseSignature({ ...base, query: 'AWSAccessKeyId=AKID&Signature=x&Expires=1', headers: { host: 'h' } })).failure).toBe(
      'IncompleteSignature',
    );
  });

  it('rejects broken pairs, credentials, dates and a missing host', () => {
    expect(failure(() => parseSignature(withAuth(good.replace('Credential=', 'Credential ')))).detail).toMatch(
      /^'Credential AKID\/20240101\/us-east-1\/sts\/aws4_request' not a valid key=value pair \(missing equal-sign\) in Authorization header: 'AWS4-HMAC-SHA256 /,
    );
    expect(failure(() => parseSignature(withAuth(good.replace('/20240101/', '/2024/')))).detail).toMatch(/mal-formed/);
    expect(failure(() => parseSignature(withAuth(good.replace('aws4_request', 'aws4_requests')))).detail).toBe(
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requests'.",
    );
    expect(failure(() => parseSignature(withAuth(good, { 'x-amz-date': '2024-01-01T00:00:00Z' }))).detail).toMatch(/ISO-8601 'basic format'/);
    expect(failure(() => parseSignature(withAuth(good.replace('host;x-amz-date', 'x-amz-date')))).detail).toBe(
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  it('takes the request time from Date when X-Amz-Date is absent', () => {
    expect(parseSignature(withAuth(good, { date: 'Mon, 01 Jan 2024 01:02:03 GMT' }))!.amzDate).toBe('20240101T010203Z');
  });

  it('refuses the header and the query form together', () => {
    const request = { ...withAuth(good), query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' };
    expect(failure(() => parseSignature(request)).detail).toMatch(/^Only one auth mechanism allowed/);
  });

  it('checks presigned parameters', () => {
    const presigned = (query: string) => ({ ...base, query, headers: { host: 'h' } });
    const params =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=' +
      '0'.repeat(64);
    expect(failure(() => parseSignature(presigned('X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240101T000000Z'))).detail).toBe(
      "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. " +
        "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
    );
    expect(failure(() => parseSignature(presigned(params))).detail).toMatch(/requires the X-Amz-Algorithm, .* and X-Amz-Expires parameters/);
    expect(failure(() => parseSignature(presigned(params + '&X-Amz-Expires=604801'))).detail).toBe(
      'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    );
    expect(failure(() => parseSignature(presigned(params + '&X-Amz-Expires=-1'))).detail).toBe('X-Amz-Expires must be non-negative');
    expect(failure(() => parseSignature(presigned(params + '&X-Amz-Expires=soon'))).detail).toBe('X-Amz-Expires should be a number');
    expect(failure(() => parseSignature(presigned(params.replace('HMAC', 'HMAC2') + '&X-Amz-Expires=1'))).detail).toBe(
      'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
    );
    expect(parseSignature(presigned(params + '&X-Amz-Expires=604800'))).toMatchObject({ expiresSeconds: 604800, region: 'us-east-1' });
  });
});

describe('checkRequestTime', () => {
  const signed = { amzDate: '20240101T003000Z', date: '20240101', presigned: false };
  const at = (iso: string) => Date.parse(iso);

  it('allows 15 minutes either way', () => {
    expect(() => checkRequestTime(signed, at('2024-01-01T00:45:00Z'))).not.toThrow();
    expect(() => checkRequestTime(signed, at('2024-01-01T00:15:00Z'))).not.toThrow();
  });

  it('reports an old signature as AWS JSON and Query services word it, with S3 fields', () => {
    const error = failure(() => checkRequestTime({ ...signed, amzDate: '20240101T000000Z' }, at('2024-01-01T00:30:00Z')));
    expect(error.failure).toBe('RequestTimeTooSkewed');
    expect(error.detail).toBe('Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)');
    expect(error.fields).toEqual({ RequestTime: '20240101T000000Z', ServerTime: '2024-01-01T00:30:00Z', MaxAllowedSkewMilliseconds: 900000 });
  });

  it('reports a future signature', () => {
    const error = failure(() => checkRequestTime({ ...signed, amzDate: '20240101T010000Z' }, at('2024-01-01T00:30:00Z')));
    expect(error.detail).toBe('Signature not yet current: 20240101T010000Z is still later than 20240101T004500Z (20240101T003000Z + 15 min.)');
  });

  it('expires presigned URLs after X-Amz-Expires, not after 15 minutes', () => {
    const url = { amzDate: '20240101T000000Z', date: '20240101', presigned: true, expiresSeconds: 3600 };
    expect(() => checkRequestTime(url, at('2024-01-01T01:00:00Z'))).not.toThrow();
    const error = failure(() => checkRequestTime(url, at('2024-01-01T01:00:01Z')));
    expect(error.failure).toBe('PresignedUrlExpired');
    expect(error.detail).toMatch(/^Signature expired: 20240101T000000Z is now earlier than /);
    expect(error.fields).toEqual({ 'X-Amz-Expires': 3600, Expires: '2024-01-01T01:00:00Z', ServerTime: '2024-01-01T01:00:01Z' });
  });

  it('needs the credential scope to be dated the day of the request', () => {
    const error = failure(() => checkRequestTime({ ...signed, date: '20231231' }, at('2024-01-01T00:30:00Z')));
    expect(error.failure).toBe('SignatureMismatch');
    expect(error.detail).toMatch(/'20231231' != '20240101'/);
  });
});

describe('SigningKeyCache', () => {
  it('derives each key once and stays within its bound', () => {
    const cache = new SigningKeyCache(2);
    const first = cache.get(SECRET, '20240101', 'us-east-1', 'sts');
    expect(first).toEqual(deriveSigningKey(SECRET, '20240101', 'us-east-1', 'sts'));
    expect(cache.get(SECRET, '20240101', 'us-east-1', 'sts')).toBe(first);
    cache.get(SECRET, '20240102', 'us-east-1', 'sts');
    cache.get('other', '20240101', 'us-east-1', 'sts');
    expect(cache.size).toBe(2);
    expect(cache.get(SECRET, '20240101', 'us-east-1', 'sts')).not.toBe(first);
  });
});
