import {
  CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectAttributesCommand, GetObjectCommand,
  GetObjectTaggingCommand, HeadObjectCommand, PutBucketVersioningCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, resetServer } from './helpers/assertions.js';
import { s3Client } from './helpers/s3.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let s3: S3Client;
const BUCKET = 'objects-bucket';

beforeAll(async () => {
  server = await startTestServer();
  s3 = s3Client(server);
});
afterAll(() => server.stop());
beforeEach(async () => {
  await resetServer(server);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

const md5 = (data: string | Buffer) => `"${createHash('md5').update(data).digest('hex')}"`;

async function text(key: string, extra: Partial<ConstructorParameters<typeof GetObjectCommand>[0]> = {}): Promise<string> {
  return (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ...extra }))).Body!.transformToString();
}

describe('PutObject and GetObject', () => {
  it('stores bytes with their metadata and returns them with the ETag AWS computes', async () => {
    const put = await s3.send(new PutObjectCommand({
      Bucket: BUCKET, Key: 'docs/readme.txt', Body: 'hello, world', ContentType: 'text/plain', CacheControl: 'max-age=60',
      ContentDisposition: 'inline', Metadata: { Owner: 'alice', purpose: 'test' }, Tagging: 'team=sec&env=dev',
    }));
    expect(put.ETag).toBe(md5('hello, world'));
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'docs/readme.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello, world');
    expect(got).toMatchObject({
      ETag: md5('hello, world'), ContentLength: 12, ContentType: 'text/plain', CacheControl: 'max-age=60', ContentDisposition: 'inline',
      Metadata: { owner: 'alice', purpose: 'test' }, TagCount: 2, ServerSideEncryption: 'AES256', AcceptRanges: 'bytes',
    });
    expect(got.VersionId).toBeUndefined();
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'docs/readme.txt' }));
    expect(head).toMatchObject({ ETag: md5('hello, world'), ContentLength: 12, ContentType: 'text/plain' });
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'docs/readme.txt' }))).TagSet).toEqual([
      { Key: 'team', Value: 'sec' }, { Key: 'env', Value: 'dev' },
    ]);
  });

  it('streams bodies (aws-chunked with a trailing checksum) and returns the checksum with ChecksumMode', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 'abc');
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'stream.bin', Body: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), ContentLength: bytes.length }));
    expect(put.ETag).toBe(md5(bytes));
    expect(put.ChecksumCRC32).toBeDefined();
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'stream.bin', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);
    const sha = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sha.bin', Body: 'x', ChecksumAlgorithm: 'SHA256' }));
    expect(sha.ChecksumSHA256).toBe(createHash('sha256').update('x').digest('base64'));
  });

  it('serves byte ranges with 206 and refuses ranges beyond the object', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'digits', Body: '0123456789' }));
    const part = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'digits', Range: 'bytes=2-5' }));
    expect(part.$metadata.httpStatusCode).toBe(206);
    expect(part.ContentRange).toBe('bytes 2-5/10');
    expect(await part.Body!.transformToString()).toBe('2345');
    expect(await text('digits', { Range: 'bytes=7-' })).toBe('789');
    expect(await text('digits', { Range: 'bytes=-3' })).toBe('789');
    expect(await text('digits', { Range: 'bytes=8-100' })).toBe('89');
    expect(await text('digits', { Range: 'items=1-2' })).toBe('0123456789');
    const error = await expectError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'digits', Range: 'bytes=10-20' })), 'InvalidRange', 'The requested range is not satisfiable');
    expect(error.$metadata?.httpStatusCode).toBe(416);
  });

  it('honours conditional headers', async () => {
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cond', Body: 'v1' }));
    const past = new Date(Date.now() - 3_600_000);
    const future = new Date(Date.now() + 3_600_000);
    expect(await text('cond', { IfMatch: ETag })).toBe('v1');
    await expectError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cond', IfMatch: '"nope"' })), 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    const status = (call: Promise<unknown>) => call.then(() => 200, (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode);
    expect(await status(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cond', IfNoneMatch: ETag })))).toBe(304);
    expect(await status(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cond', IfModifiedSince: future })))).toBe(304);
    expect(await text('cond', { IfModifiedSince: past })).toBe('v1');
    await expectError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cond', IfUnmodifiedSince: past })), 'PreconditionFailed');
    expect(await text('cond', { IfMatch: ETag, IfUnmodifiedSince: past })).toBe('v1');
    await expectError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cond', Body: 'v2', IfNoneMatch: '*' })), 'PreconditionFailed');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'fresh', Body: 'new', IfNoneMatch: '*' }));
    expect(await text('cond')).toBe('v1');
  });

  it('answers NoSuchKey and NoSuchBucket with AWS\'s messages', async () => {
    const missing = await expectError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'none' })), 'NoSuchKey', 'The specified key does not exist.');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    await expectError(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' })), 'NoSuchBucket', 'The specified bucket does not exist');
    await expectError(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k', Body: 'x' })), 'NoSuchBucket');
    await expectError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'none' })), 'NotFound');
    await expectError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k'.repeat(1025), Body: 'x' })), 'KeyTooLongError', 'Your key is too long');
    await expectError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'meta', Body: 'x', Metadata: { big: 'x'.repeat(2100) } })), 'MetadataTooLarge');
    await expectError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'tags', Body: 'x', Tagging: 'aws:reserved=1' })), 'InvalidTag');
  });

  it('keeps keys with any characters', async () => {
    const keys = ['a b/c+d', 'ünïcödé/ключ', 'sym?&=#%!', 'dots/../x', '//leading'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
    for (const key of keys) expect(await text(key)).toBe(key);
  });
});

describe('deletes and versions', () => {
  it('deletes objects, one at a time and in batches, reporting each key', async () => {
    for (const key of ['a', 'b', 'c']) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
    const single = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'a' }));
    expect(single.$metadata.httpStatusCode).toBe(204);
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'a' }));
    const batch = await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'b' }, { Key: 'c' }, { Key: 'never' }] } }));
    expect(batch.Deleted?.map((d) => d.Key)).toEqual(['b', 'c', 'never']);
    expect(batch.Errors).toBeUndefined();
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'x' }], Quiet: true } }));
    expect(quiet.Deleted).toBeUndefined();
    await expectError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'b' })), 'NoSuchKey');
  });

  it('keeps every version when versioning is enabled; delete markers hide, deleting by id removes', async () => {
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'doc', Body: 'one' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'doc', Body: 'two' }));
    expect(v1.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    expect(await text('doc')).toBe('two');
    expect(await text('doc', { VersionId: v1.VersionId })).toBe('one');
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'doc' }));
    expect(marker.DeleteMarker).toBe(true);
    const hidden = await expectError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'doc' })), 'NoSuchKey');
    expect((hidden as Error & { $response?: { headers: Record<string, string> } }).$response?.headers['x-amz-delete-marker']).toBe('true');
    await expectError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'doc', VersionId: marker.VersionId })), 'MethodNotAllowed');
    await expectError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'doc', VersionId: 'A'.repeat(32) })), 'NoSuchVersion', 'The specified version does not exist.');
    expect(await text('doc', { VersionId: v2.VersionId })).toBe('two');
    const removed = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'doc', VersionId: marker.VersionId }));
    expect(removed).toMatchObject({ DeleteMarker: true, VersionId: marker.VersionId });
    expect(await text('doc')).toBe('two');
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'doc', VersionId: v2.VersionId }));
    expect(await text('doc')).toBe('one');
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'doc' }));
    expect(head.VersionId).toBe(v1.VersionId);
  });

  it('replaces the null version while versioning is suspended', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'n', Body: 'before' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    const kept = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'n', Body: 'versioned' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Suspended' } }));
    const suspended = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'n', Body: 'after' }));
    expect(suspended.VersionId).toBe('null');
    expect(await text('n', { VersionId: 'null' })).toBe('after');
    expect(await text('n', { VersionId: kept.VersionId })).toBe('versioned');
  });
});

describe('CopyObject and GetObjectAttributes', () => {
  it('copies bytes and metadata, or replaces the metadata', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'src/a b.txt', Body: 'copy me', ContentType: 'text/plain', Metadata: { k: 'v' } }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'dst/copy.txt', CopySource: `${BUCKET}/src/a%20b.txt` }));
    expect(copied.CopyObjectResult?.ETag).toBe(md5('copy me'));
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'dst/copy.txt' }));
    expect(head).toMatchObject({ ContentType: 'text/plain', Metadata: { k: 'v' } });
    await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'dst/replaced.txt', CopySource: `/${BUCKET}/src/a%20b.txt`, MetadataDirective: 'REPLACE', ContentType: 'application/json' }));
    expect(await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'dst/replaced.txt' }))).toMatchObject({ ContentType: 'application/json', Metadata: {} });
    await expectError(s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'src/a b.txt', CopySource: `${BUCKET}/src/a%20b.txt` })), 'InvalidRequest', 'trying to copy an object to itself');
    await expectError(s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'x', CopySource: `${BUCKET}/missing` })), 'NoSuchKey');
    await expectError(s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'x', CopySource: `${BUCKET}/src/a%20b.txt`, CopySourceIfMatch: '"other"' })), 'PreconditionFailed');
  });

  it('reports object attributes', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'attrs', Body: 'abc', ChecksumAlgorithm: 'CRC32' }));
    await s3.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: 'attrs', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }));
    const attributes = await s3.send(new GetObjectAttributesCommand({ Bucket: BUCKET, Key: 'attrs', ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass', 'Checksum'] }));
    expect(attributes).toMatchObject({ ETag: md5('abc').replace(/"/g, ''), ObjectSize: 3, StorageClass: 'STANDARD', Checksum: { ChecksumType: 'FULL_OBJECT' } });
    expect(attributes.Checksum?.ChecksumCRC32).toBeDefined();
  });
});
