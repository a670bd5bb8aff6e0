import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSigV2Query, sigV2StringToSign, verifySigV2, type SigV2Request } from './sigv2.js';

interface Vector {
  name: string;
  method: string;
  url: string;
  secretAccessKey: string;
  sessionToken: string | null;
  stringToSign?: string;
}

const vectors = JSON.parse(readFileSync(new URL('./testdata/sigv2-vectors.json', import.meta.url), 'utf8')) as Vector[];

function request(vector: Vector, change: Partial<SigV2Request> = {}): SigV2Request {
  const url = new URL(vector.url);
  return { method: vector.method, path: url.pathname, query: url.search.slice(1), headers: { host: url.host }, ...change };
}

describe('SigV2 query-string authentication', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('verifies %s', (_name, vector) => {
    const req = request(vector);
    const parsed = parseSigV2Query(req.query)!;
    expect(parsed.securityToken).toBe(vector.sessionToken ?? undefined);
    if (vector.stringToSign) expect(sigV2StringToSign(req, parsed.expires)).toBe(vector.stringToSign);
    expect(verifySigV2(req, parsed, vector.secretAccessKey)).toBe(true);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('rejects corrupted forms of %s', (_name, vector) => {
    const req = request(vector);
    const parsed = parseSigV2Query(req.query)!;
    expect(verifySigV2(req, parsed, `${vector.secretAccessKey}x`)).toBe(false);
    expect(verifySigV2(request(vector, { method: 'PUT' }), parsed, vector.secretAccessKey)).toBe(false);
    expect(verifySigV2(request(vector, { path: `${req.path}x` }), parsed, vector.secretAccessKey)).toBe(false);
    expect(verifySigV2(req, { ...parsed, expires: parsed.expires + 1 }, vector.secretAccessKey)).toBe(false);
    expect(verifySigV2(req, { ...parsed, signature: parsed.signature.slice(1) }, vector.secretAccessKey)).toBe(false);
    expect(verifySigV2(request(vector, { query: `${req.query}&acl` }), parsed, vector.secretAccessKey)).toBe(false);
  });

  it('reads nothing from a query without AWSAccessKeyId, and NaN from a bad Expires', () => {
    expect(parseSigV2Query('X-Amz-Algorithm=AWS4-HMAC-SHA256')).toBeUndefined();
    expect(parseSigV2Query('')).toBeUndefined();
    expect(parseSigV2Query('AWSAccessKeyId=A&Signature=s&Expires=soon')!.expires).toBeNaN();
  });
});
