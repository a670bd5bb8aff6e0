import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createHash, createHmac } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deriveSigningKey } from '../src/auth/signing-key.js';
import { servicePrincipal } from '../src/auth/principal.js';
import { sigV2Signature, sigV2StringToSign } from '../src/auth/sigv2.js';
import { expectError, resetServer } from './helpers/assertions.js';
import { records, s3Client, s3Fetch, s3Url } from './helpers/s3.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let s3: S3Client;
const BUCKET = 'wire-bucket';

beforeAll(async () => {
  server = await startTestServer();
  s3 = s3Client(server);
});
afterAll(() => server.stop());
beforeEach(async () => {
  await resetServer(server);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

function blobFiles(): string[] {
  try {
    return readdirSync(join(server.dataDir, 'blobs'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
}

async function exists(key: string): Promise<boolean> {
  return s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })).then(() => true, () => false);
}

const base64Crc32 = (data: string) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(Buffer.from(data)));
  return out.toString('base64');
};

describe('digests of the bytes', () => {
  it('answers a wrong Content-MD5 with BadDigest and a malformed one with InvalidDigest, storing nothing', async () => {
    const before = blobFiles().length;
    const wrong = await s3Fetch(server, { method: 'PUT', path: `/${BUCKET}/md5`, body: 'hello', headers: { 'content-md5': createHash('md5').update('other').digest('base64') } });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('<Code>BadDigest</Code><Message>The Content-MD5 you specified did not match what we received.</Message>');
    const invalid = await s3Fetch(server, { method: 'PUT', path: `/${BUCKET}/md5`, body: 'hello', headers: { 'content-md5': 'not-md5' } });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('<Code>InvalidDigest</Code><Message>The Content-MD5 you specified was invalid.</Message>');
    const good = await s3Fetch(server, { method: 'PUT', path: `/${BUCKET}/md5`, body: 'hello', headers: { 'content-md5': createHash('md5').update('hello').digest('base64') } });
    expect(good.status).toBe(200);
    expect(blobFiles().length).toBe(before + 1);
    const tagging = '<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>';
    const badTagging = await s3Fetch(server, { method: 'PUT', path: `/${BUCKET}`, query: { tagging: '' }, body: tagging, headers: { 'content-md5': createHash('md5').update('x').digest('base64') } });
    expect(badTagging.status).toBe(400);
    expect(badTagging.text).toContain('<Code>BadDigest</Code>');
    const [failed] = (await records(server, { eventName: 'PutBucketTagging' }));
    expect(failed).toMatchObject({ errorCode: 'BadDigest' });
  });

  it('checks x-amz-checksum headers and a hex x-amz-content-sha256 against the streamed bytes', async () => {
    const badCrc = await s3Fetch(server, { method: 'PUT', path: `/${BUCKET}/crc`, body: 'hello', headers: { 'x-amz-checksum-crc32': base64Crc32('other') } });
    expect(badCrc.status).toBe(400);
    expect(badCrc.text).toContain('<Code>BadDigest</Code><Message>The CRC32 you specified did not match the calculated checksum.</Message>');
    const malformed = await s3Fetch(server, { method: 'PUT', path: `/${BUCKET}/crc`, body: 'hello', headers: { 'x-amz-checksum-crc32': 'xx' } });
    expect(malformed.text).toContain('<Code>InvalidRequest</Code><Message>Value for x-amz-checksum-crc32 header is invalid.</Message>');
    const sha = await s3Fetch(server, { method: 'PUT', path: `/${BUCKET}/sha`, body: 'hello', contentSha256: createHash('sha256').update('other').digest('hex') });
    expect(sha.status).toBe(400);
    expect(sha.text).toContain('<Code>XAmzContentSHA256Mismatch</Code><Message>The provided &apos;x-amz-content-sha256&apos; header does not match what was computed.</Message>');
    expect(await exists('crc')).toBe(false);
    expect(await exists('sha')).toBe(false);
    const unsigned = await s3Fetch(server, { method: 'PUT', path: `/${BUCKET}/unsigned`, body: 'hello', contentSha256: 'UNSIGNED-PAYLOAD', headers: { 'x-amz-checksum-crc32': base64Crc32('hello') } });
    expect(unsigned.status).toBe(200);
    expect(unsigned.headers.get('x-amz-checksum-crc32')).toBe(base64Crc32('hello'));
  });

  it('verifies every chunk signature of a signed aws-chunked body and refuses a tampered chunk', async () => {
    const url = new URL(server.url);
    const chunks = [Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'b')];
    const send = async (key: string, tamper: boolean) => {
      const request = new HttpRequest({
        protocol: 'http:', hostname: url.hostname, port: Number(url.port), method: 'PUT', path: `/${BUCKET}/${key}`,
        headers: {
          host: url.host, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked',
          'x-amz-decoded-content-length': String(65536 + 1024),
        },
      });
      const signed = await new SignatureV4({ credentials: server.credentials, region: 'us-east-1', service: 's3', sha256: Sha256 as never, uriEscapePath: false }).sign(request);
      const authorization = String(signed.headers.authorization);
      let previous = /Signature=([0-9a-f]{64})/.exec(authorization)![1]!;
      const amzDate = String(signed.headers['x-amz-date']);
      const key256 = deriveSigningKey(server.credentials.secretAccessKey, amzDate.slice(0, 8), 'us-east-1', 's3');
      const parts: Buffer[] = [];
      for (const chunk of [...chunks, Buffer.alloc(0)]) {
        const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`, previous,
          createHash('sha256').update('').digest('hex'), createHash('sha256').update(chunk).digest('hex')].join('\n');
        previous = createHmac('sha256', key256).update(toSign).digest('hex');
        const data = tamper && chunk.length === 1024 ? Buffer.alloc(1024, 'c') : chunk;
        parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), data, Buffer.from('\r\n'));
      }
      const body = Buffer.concat(parts);
      const response = await fetch(`${url.origin}${signed.path}`, { method: 'PUT', headers: { ...signed.headers as Record<string, string>, 'content-length': String(body.length) }, body });
      return { status: response.status, text: await response.text() };
    };
    expect((await send('chunked', false)).status).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'chunked' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(chunks))).toBe(true);
    const tampered = await send('tampered', true);
    expect(tampered.status).toBe(403);
    expect(tampered.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(await exists('tampered')).toBe(false);
  });
});

class Sha256 {
  readonly #hash = createHash('sha256');
  readonly #hmac: ReturnType<typeof createHmac> | undefined;
  constructor(secret?: string | Uint8Array) {
    this.#hmac = secret === undefined ? undefined : createHmac('sha256', secret);
  }
  update(data: Uint8Array | string): void {
    (this.#hmac ?? this.#hash).update(data);
  }
  async digest(): Promise<Uint8Array> {
    return (this.#hmac ?? this.#hash).digest();
  }
}

describe('presigned URLs and anonymous requests', () => {
  it('serves SigV4 presigned GET and PUT URLs to plain HTTP clients', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'shared.txt', Body: 'presigned bytes' }));
    const get = await fetch(await s3Url(server, { path: `/${BUCKET}/shared.txt`, auth: 'presign' }));
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('presigned bytes');
    const put = await fetch(await s3Url(server, { method: 'PUT', path: `/${BUCKET}/uploaded.txt`, auth: 'presign' }), { method: 'PUT', body: 'via presigned put' });
    expect(put.status).toBe(200);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploaded.txt' }))).Body!.transformToString()).toBe('via presigned put');
    const tampered = (await s3Url(server, { path: `/${BUCKET}/shared.txt`, auth: 'presign' })).replace('shared.txt', 'uploaded.txt');
    expect((await fetch(tampered)).status).toBe(403);
    const [presigned] = await records(server, { eventName: 'GetObject' });
    expect(presigned!.additionalEventData).toMatchObject({ SignatureVersion: 'SigV4', AuthenticationMethod: 'QueryString', bytesTransferredOut: 15 });
  });

  it('serves SigV2 presigned URLs (as `aws s3 presign` makes them) until they expire', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'v2.txt', Body: 'sigv2' }));
    const url = (expires: number, path = `/${BUCKET}/v2.txt`) => {
      const signature = sigV2Signature(server.credentials.secretAccessKey, sigV2StringToSign({ method: 'GET', path, query: '', headers: {} }, expires));
      return `${server.url}${path}?AWSAccessKeyId=${server.credentials.accessKeyId}&Signature=${encodeURIComponent(signature)}&Expires=${expires}`;
    };
    const later = Math.floor(Date.now() / 1000) + 300;
    const ok = await fetch(url(later));
    expect(await ok.text()).toBe('sigv2');
    const expired = await fetch(url(Math.floor(Date.now() / 1000) - 5));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>');
    const forged = await fetch(url(later).replace(/Expires=\d+/, `Expires=${later + 1}`));
    expect(await forged.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const [record] = await records(server, { eventName: 'GetObject' });
    expect(record!.additionalEventData).toMatchObject({ SignatureVersion: 'SigV2', AuthenticationMethod: 'QueryString' });
  });

  it('denies anonymous requests (no bucket policy grants them here) and records them for the bucket owner', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'private.txt', Body: 'x' }));
    const anonymous = await s3Fetch(server, { path: `/${BUCKET}/private.txt`, auth: 'anonymous' });
    expect(anonymous.status).toBe(403);
    expect(anonymous.text).toContain('<Code>AccessDenied</Code>');
    const denied = (await records(server, { eventName: 'GetObject' })).find((r) => r.errorCode === 'AccessDenied');
    expect(denied).toMatchObject({ userIdentity: { type: 'Anonymous' }, recipientAccountId: '123456789012', eventCategory: 'Data' });
  });
});

describe('addressing and internal calls', () => {
  it('serves virtual-hosted-style requests (bucket in the Host header)', async () => {
    const lookup = (_host: string, options: { all?: boolean }, done: (error: null, address: unknown, family?: number) => void) =>
      options.all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4);
    const virtual = new S3Client({
      ...server.clientConfig(), endpoint: server.url.replace('127.0.0.1', 'localhost'), forcePathStyle: false,
      requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ lookup } as never) }),
    });
    await virtual.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'dir/vhost.txt', Body: 'virtual' }));
    expect((await virtual.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents?.map((o) => o.Key)).toEqual(['dir/vhost.txt']);
    const [record] = await records(server, { eventName: 'PutObject' });
    expect(record!.requestParameters.Host).toMatch(new RegExp(`^${BUCKET}\\.localhost:\\d+$`));
  });

  it('takes Buffer bodies from internal calls (trail delivery) and cleans up after calls that do not commit', async () => {
    const principal = servicePrincipal('123456789012', 'cloudtrail.amazonaws.com');
    const call = (key: string, extra: Record<string, unknown> = {}) => server.app.env.invoke({
      service: 's3', operation: 'PutObject', principal, region: 'us-east-1',
      input: { Bucket: BUCKET, Key: key, Body: Buffer.from('{"Records":[]}'), ACL: 'bucket-owner-full-control', ...extra },
    });
    const output = await call('AWSLogs/123456789012/CloudTrail/us-east-1/log.json');
    expect(output.ETag).toBe(`"${createHash('md5').update('{"Records":[]}').digest('hex')}"`);
    expect(await exists('AWSLogs/123456789012/CloudTrail/us-east-1/log.json')).toBe(true);
    const files = blobFiles().length;
    await expect(call('AWSLogs/123456789012/CloudTrail/us-east-1/log.json', { IfNoneMatch: '*' })).rejects.toMatchObject({ code: 'PreconditionFailed' });
    await expect(server.app.env.invoke({ service: 's3', operation: 'PutObject', principal, region: 'us-east-1', input: { Bucket: 'no-bucket-here', Key: 'k', Body: Buffer.from('x') } }))
      .rejects.toMatchObject({ code: 'NoSuchBucket' });
    await expect(call('bad-crc', { ChecksumCRC32: 'AAAAAA==' })).rejects.toMatchObject({ code: 'BadDigest' });
    expect(blobFiles().length).toBe(files);
    const [record] = await records(server, { eventName: 'PutObject' });
    expect(record).toMatchObject({ userIdentity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' }, eventCategory: 'Data' });
  });

  it('records object calls as data events with the object and bucket as resources', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a/b.txt', Body: '12345' }));
    await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a/b.txt' }));
    await expectError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing' })), 'NoSuchKey');
    await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'a/' }));
    const [put] = await records(server, { eventName: 'PutObject' });
    expect(put).toMatchObject({
      eventCategory: 'Data', managementEvent: false, readOnly: false,
      requestParameters: { bucketName: BUCKET, key: 'a/b.txt' },
      additionalEventData: { bytesTransferredIn: 5, bytesTransferredOut: 0 },
      resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${BUCKET}/a/b.txt` }, { accountId: '123456789012', type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` }],
    });
    const gets = await records(server, { eventName: 'GetObject' });
    expect(gets.map((r) => [r.readOnly, r.additionalEventData.bytesTransferredOut, r.errorCode ?? null])).toEqual([[true, 5, null], [true, 0, 'NoSuchKey']]);
    const [list] = await records(server, { eventName: 'ListObjectsV2' });
    expect(list).toMatchObject({ eventCategory: 'Data', requestParameters: { 'list-type': '2', prefix: 'a/', bucketName: BUCKET } });
    const lookup = await server.app.store.read((tx) => tx.events.lookup({ accountId: '123456789012', region: 'us-east-1' }, { startTime: 0, endTime: Date.now() + 1000, limit: 50 }));
    expect(lookup.map((e) => e.eventName)).not.toContain('PutObject');
  });
});
