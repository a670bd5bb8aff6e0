import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { buildQueryString, HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder } from './aws-chunked.js';
import type { AuthFailure } from './errors.js';
import { amzDateToMs, formatAmzDate } from './request-time.js';
import {
  canonicalRequest,
  deriveSigningKey,
  parseSignature,
  SigningKeyCache,
  stringToSign,
  verifySignature,
  type ParsedSignature,
} from './sigv4.js';
import { failure } from './testdata/auth-failure.js';

/** A request as the HTTP edge hands it over. */
interface Wire {
  method: string;
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Vector {
  name: string;
  source: string;
  note: string;
  secretAccessKey: string;
  request: { method: string; path: string; query: string; headers: Record<string, string | string[]>; body: string };
  expectError?: AuthFailure;
}

const VECTORS: { vectors: Vector[] } = JSON.parse(readFileSync(new URL('./testdata/sigv4-vectors.json', import.meta.url), 'utf8'));
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const keys = new SigningKeyCache();

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function fromVector(vector: Vector): Wire {
  const { method, path, query, headers, body } = vector.request;
  return { method, path, query, headers: { ...headers }, body: Buffer.from(body, 'base64') };
}

/** What the pipeline does: parse, then verify with the declared payload hash or the body's. */
function verifies(request: Wire, secret: string): boolean {
  const parsed = parseSignature(request);
  if (!parsed) return false;
  return verifySignature(request, parsed, secret, parsed.contentSha256 ?? sha256Hex(request.body), keys);
}


function replaceQueryParam(query: string, name: string, edit: (value: string) => string): string {
  return query
    .split('&')
    .map((part) => (part.startsWith(name + '=') ? `${name}=${edit(part.slice(name.length + 1))}` : part))
    .join('&');
}

function flipLastHex(hex: string): string {
  return hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');
}

/** Corrupted variants of a correctly signed request; each must fail verification. */
function corruptions(request: Wire, parsed: ParsedSignature): Array<[string, Wire]> {
  const out: Array<[string, Wire]> = [];
  const withHeaders = (edit: (h: IncomingHttpHeaders) => void): Wire => {
    const headers = { ...request.headers };
    edit(headers);
    return { ...request, headers };
  };
  if (parsed.presigned) {
    out.push(['signature flipped', { ...request, query: replaceQueryParam(request.query, 'X-Amz-Signature', flipLastHex) }]);
    out.push(['date changed', { ...request, query: replaceQueryParam(request.query, 'X-Amz-Date', (d) => formatAmzDate(amzDateToMs(d) + 1000)) }]);
    out.push(['region changed', { ...request, query: request.query.replace(`%2F${parsed.region}%2F`, '%2Fap-south-2%2F') }]);
  } else {
    const authorization = request.headers.authorization as string;
    out.push(['signature flipped', withHeaders((h) => (h.authorization = flipLastHex(authorization)))]);
    out.push(['region changed', withHeaders((h) => (h.authorization = authorization.replace(`/${parsed.region}/`, '/ap-south-2/')))]);
    out.push([
      'date changed',
      withHeaders((h) => {
        const later = amzDateToMs(parsed.amzDate) + 1000;
        if (h['x-amz-date'] !== undefined) h['x-amz-date'] = formatAmzDate(later);
        else h.date = new Date(later).toUTCString();
      }),
    ]);
  }
  const header = parsed.signedHeaders.find((name) => !['host', 'x-amz-date', 'date'].includes(name) && request.headers[name] !== undefined) ?? 'host';
  out.push([`signed header ${header} changed`, withHeaders((h) => (h[header] = String(h[header]) + 'x'))]);
  out.push(['path changed', { ...request, path: request.path + 'x' }]);
  out.push(['query extended', { ...request, query: request.query === '' ? 'extra=1' : request.query + '&extra=1' }]);
  if (parsed.contentSha256 === undefined) out.push(['body changed', { ...request, body: Buffer.concat([request.body, Buffer.from(' ')]) }]);
  out.push(['method changed', { ...request, method: request.method === 'GET' ? 'HEAD' : 'GET' }]);
  return out;
}

function checkVector(name: string, request: Wire, secret: string): void {
  const parsed = parseSignature(request)!;
  expect(parsed, name).toBeDefined();
  expect(verifies(request, secret), `${name} verifies`).toBe(true);
  expect(verifies(request, secret.slice(1)), `${name} with another secret`).toBe(false);
  for (const [what, corrupted] of corruptions(request, parsed)) {
    expect(verifies(corrupted, secret), `${name}: ${what}`).toBe(false);
  }
}

describe('golden vectors (botocore signers and the AWS CLI on the wire)', () => {
  for (const vector of VECTORS.vectors) {
    it(`${vector.name}: ${vector.note}`, () => {
      const request = fromVector(vector);
      if (vector.expectError) {
        expect(failure(() => parseSignature(request)).failure).toBe(vector.expectError);
        return;
      }
      checkVector(vector.name, request, vector.secretAccessKey);
    });
  }

  it('covers both signers, the CLI, presigned URLs and session tokens', () => {
    const sources = new Set(VECTORS.vectors.map((v) => v.source.split(' ').slice(0, 1).concat(v.source.split(' ').slice(-1)).join(' ')));
    expect([...sources].some((s) => s.startsWith('aws-cli'))).toBe(true);
    for (const signer of ['SigV4Auth', 'S3SigV4Auth', 'SigV4QueryAuth', 'S3SigV4QueryAuth']) {
      expect(VECTORS.vectors.some((v) => v.source.endsWith(' ' + signer)), signer).toBe(true);
    }
    const parsed = VECTORS.vectors.filter((v) => !v.expectError).map((v) => parseSignature(fromVector(v))!);
    expect(parsed.some((p) => p.presigned && p.service === 's3' && p.securityToken)).toBe(true);
    expect(parsed.some((p) => !p.presigned && p.securityToken)).toBe(true);
  });

  it('reads what the signature claims', () => {
    const find = (name: string) => parseSignature(fromVector(VECTORS.vectors.find((v) => v.name === name)!))!;
    expect(find('cloudtrail-json-session-token')).toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      date: '20240101',
      region: 'eu-west-3',
      service: 'cloudtrail',
      scope: '20240101/eu-west-3/cloudtrail/aws4_request',
      amzDate: '20240101T000000Z',
      presigned: false,
      securityToken: expect.stringContaining('IQoJb3JpZ2luX2Vj'),
      contentSha256: undefined,
    });
    expect(find('date-header').amzDate).toBe('20240229T123456Z');
    expect(find('s3-presigned-get')).toMatchObject({ presigned: true, expiresSeconds: 3600, contentSha256: 'UNSIGNED-PAYLOAD', service: 's3' });
    expect(find('sts-presigned-eks-style')).toMatchObject({ presigned: true, expiresSeconds: 60, contentSha256: undefined, signedHeaders: ['host', 'x-k8s-aws-id'] });
    expect(find('s3-streaming-seed').contentSha256).toBe('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  });

  it('accepts UNSIGNED-PAYLOAD with any body, and a changed body under a declared hash is caught only by hashing it', () => {
    const unsigned = fromVector(VECTORS.vectors.find((v) => v.name === 's3-unsigned-payload')!);
    expect(verifies({ ...unsigned, body: Buffer.from('something else') }, SECRET)).toBe(true);
    const declared = fromVector(VECTORS.vectors.find((v) => v.name === 's3-put-odd-key')!);
    const swapped = { ...declared, body: Buffer.from('swapped') };
    expect(verifies(swapped, SECRET)).toBe(true);
    expect(sha256Hex(swapped.body)).not.toBe(parseSignature(swapped)!.contentSha256);
  });

  it('needs the alternate spellings only for loosely encoded requests signed as sent', () => {
    for (const vector of VECTORS.vectors.filter((v) => !v.expectError)) {
      const request = fromVector(vector);
      const parsed = parseSignature(request)!;
      const key = deriveSigningKey(vector.secretAccessKey, parsed.date, parsed.region, parsed.service);
      const canonical = canonicalRequest(request, parsed, parsed.contentSha256 ?? sha256Hex(request.body));
      const primary = createHmac('sha256', key).update(stringToSign(parsed.amzDate, parsed.scope, canonical)).digest('hex');
      expect(primary === parsed.signature, vector.name).toBe(!['query-loose-encoding', 's3-loose-path'].includes(vector.name));
    }
  });

  it('verifies a repeated header only when its values arrive separately (Node joins them with ", ")', () => {
    const vector = fromVector(VECTORS.vectors.find((v) => v.name === 'headers-folded-and-repeated')!);
    expect(vector.headers['x-amz-meta-dup']).toEqual(['one', 'two']);
    expect(verifies({ ...vector, headers: { ...vector.headers, 'x-amz-meta-dup': 'one, two' } }, SECRET)).toBe(false);
  });
});

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** SHA-256 for the JS SDK signer, over node:crypto. */
class Sha256 {
  readonly #hash;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

interface SmithyCase {
  name: string;
  service: string;
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers?: Record<string, string>;
  body?: string;
  presign?: number;
  sessionToken?: string;
}

const SMITHY_CASES: SmithyCase[] = [
  {
    name: 'awsJson1_1',
    service: 'cloudtrail',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CloudTrail_20131101.LookupEvents' },
    body: '{}',
  },
  { name: 'non-S3 odd path', service: 'execute-api', method: 'GET', path: '/a%20b/%2F/%C3%BC/../c//d/./e/' },
  {
    name: 'awkward query',
    service: 'monitoring',
    method: 'GET',
    path: '/',
    query: { b: '2', a: ['1', '0'], empty: '', sp: 'a b', plus: 'a+b', star: 'a*b!', tilde: '~', u: 'ü', 'é': 'k' },
  },
  {
    name: 'folded header and session token',
    service: 'sns',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-amz-meta-a': '  a   b \t c ' },
    body: 'Action=ListTopics',
    sessionToken: 'FwoGZXIvYXdzEXAMPLE+/=',
  },
  { name: 'S3 odd key', service: 's3', method: 'PUT', path: '/bucket/a%20b/%2F/%C3%BC/..', body: 'hello' },
  { name: 'S3 key with encoded sub-delimiters', service: 's3', method: 'GET', path: '/bucket/%21%27%28%29%2A%2B%3D', query: { 'x-id': 'GetObject' } },
  {
    name: 'S3 presigned GET (as the S3 presigner does it)',
    service: 's3',
    method: 'GET',
    path: '/bucket/key%20with%20space',
    headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    query: { 'response-content-type': 'text/plain; charset=utf-8' },
    presign: 900,
    sessionToken: 'FwoGZXIvYXdzEXAMPLE+/=',
  },
  { name: 'STS presigned', service: 'sts', method: 'GET', path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, presign: 60 },
];

async function smithySigned(c: SmithyCase): Promise<Wire> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) },
    region: 'us-west-2',
    service: c.service,
    sha256: Sha256,
    uriEscapePath: c.service !== 's3',
  });
  const request = new HttpRequest({
    method: c.method,
    protocol: 'https:',
    hostname: 'example.amazonaws.com',
    path: c.path,
    query: c.query ?? {},
    headers: { host: 'example.amazonaws.com', ...c.headers },
    ...(c.body === undefined ? {} : { body: c.body }),
  });
  const signingDate = new Date('2024-05-06T07:08:09Z');
  const signed = c.presign ? await signer.presign(request, { signingDate, expiresIn: c.presign }) : await signer.sign(request, { signingDate });
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return { method: signed.method, path: signed.path, query: buildQueryString(signed.query ?? {}), headers, body: Buffer.from(c.body ?? '') };
}

describe('the JS SDK signer (@smithy/signature-v4)', () => {
  for (const c of SMITHY_CASES) {
    it(c.name, async () => checkVector(c.name, await smithySigned(c), SECRET));
  }

  it('signs the non-S3 path encoded twice and the S3 path once, as canonicalUri rebuilds them', async () => {
    const twice = await smithySigned({ name: '', service: 'execute-api', method: 'GET', path: '/a%20b/%2F' });
    const parsed = parseSignature(twice)!;
    expect(canonicalRequest(twice, parsed, sha256Hex('')).split('\n')[1]).toBe('/a%2520b/%252F');
    const once = await smithySigned({ name: '', service: 's3', method: 'GET', path: '/b/a%20b/%2F' });
    expect(canonicalRequest(once, parseSignature(once)!, sha256Hex('')).split('\n')[1]).toBe('/b/a%20b/%2F');
  });

  it('accepts a non-S3 path sent with a looser encoding than the one signed', async () => {
    const wire = await smithySigned({ name: '', service: 'lambda', method: 'GET', path: '/fn/a%21b~' });
    checkVector('loose non-S3 path', { ...wire, path: '/fn/a!b%7e' }, SECRET);
  });

  it('leaves a value-less query key out of what it signs, unlike AWS and botocore (key=), so such a request fails', async () => {
    const wire = await smithySigned({ name: '', service: 'monitoring', method: 'GET', path: '/', query: { flag: null, a: '1' } });
    expect(wire.query).toBe('a=1&flag');
    expect(verifies(wire, SECRET)).toBe(false);
  });
});

describe('real AWS SDK clients on the wire', () => {
  it('verifies what @aws-sdk/client-* send, and decodes the S3 aws-chunked upload', async () => {
    const seen: Wire[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        seen.push({ method: req.method!, path: q === -1 ? url : url.slice(0, q), query: q === -1 ? '' : url.slice(q + 1), headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/xml', etag: '"0"' }).end('<Empty/>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = { endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }, maxAttempts: 1 };
    const attempt = (p: Promise<unknown>) => p.catch(() => undefined);
    try {
      const s3 = new S3Client({ ...config, forcePathStyle: true });
      await attempt(s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'a b/ü+*~(!)/../x', Body: Buffer.from('hello') })));
      await attempt(s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'streamed', Body: Readable.from([Buffer.from('hello '), Buffer.from('stream')]), ContentLength: 12 })));
      await attempt(s3.send(new ListObjectsV2Command({ Bucket: 'b', Prefix: 'a b+c', Delimiter: '/' })));
      await attempt(new STSClient(config).send(new GetCallerIdentityCommand({})));
      await attempt(new CloudTrailClient(config).send(new LookupEventsCommand({ MaxResults: 1 })));
      await attempt(new LambdaClient(config).send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:eu-north-1:123456789012:function:f' })));
    } finally {
      server.close();
    }
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /b/a%20b/%C3%BC%2B%2A~%28%21%29/../x',
      'PUT /b/streamed',
      'GET /b/',
      'POST /',
      'POST /',
      'GET /2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-north-1%3A123456789012%3Afunction%3Af',
    ]);
    for (const request of seen) checkVector(`${request.method} ${request.path}`, request, SECRET);
    for (const request of seen) expect(request.headers['x-amz-content-sha256'], 'the JS SDK always declares the payload hash').toBeDefined();

    const streamed = seen[1]!;
    expect(streamed.headers['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    const decoder = new AwsChunkedDecoder({
      mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      decodedContentLength: Number(streamed.headers['x-amz-decoded-content-length']),
      trailer: streamed.headers['x-amz-trailer'] as string,
    });
    const decoded: Buffer[] = [];
    for await (const chunk of Readable.from([streamed.body]).pipe(decoder)) decoded.push(chunk as Buffer);
    expect(Buffer.concat(decoded).toString()).toBe('hello stream');
    expect(decoder.checksums).toEqual([expect.objectContaining({ name: 'x-amz-checksum-crc32', verified: true })]);
  });
});

describe('published AWS examples', () => {
  it('get-vanilla from the SigV4 test suite', () => {
    const request: Wire = {
      method: 'GET',
      path: '/',
      query: '',
      headers: {
        host: 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      },
      body: Buffer.alloc(0),
    };
    checkVector('get-vanilla', request, SECRET);
  });

  it('the signing key of the IAM user guide example', () => {
    expect(deriveSigningKey(SECRET, '20150830', 'us-east-1', 'iam').toString('hex')).toBe(
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
  });

  it('the seed signature of the S3 chunked-upload example', () => {
    const request: Wire = {
      method: 'PUT',
      path: '/examplebucket/chunkObject.txt',
      query: '',
      headers: {
        host: 's3.amazonaws.com',
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '66560',
        'content-length': '66824',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
      },
      body: Buffer.alloc(0),
    };
    checkVector('chunked seed', request, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  });
});
