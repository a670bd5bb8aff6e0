import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  GetObjectCommand, ListMultipartUploadsCommand, ListObjectsCommand, ListObjectsV2Command, ListObjectVersionsCommand, ListPartsCommand,
  PutBucketVersioningCommand, PutObjectCommand, S3Client, UploadPartCommand, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, resetServer } from './helpers/assertions.js';
import { s3Client, s3Fetch } from './helpers/s3.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let s3: S3Client;
const BUCKET = 'listing-bucket';
const KEYS = ['a.txt', 'b/1.txt', 'b/2.txt', 'b/c/3.txt', 'c d/4.txt', 'c+d/5.txt', 'e.txt', 'é.txt'];

beforeAll(async () => {
  server = await startTestServer();
  s3 = s3Client(server);
});
afterAll(() => server.stop());
beforeEach(async () => {
  await resetServer(server);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

async function putAll(keys: readonly string[]): Promise<void> {
  for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
}

describe('ListObjectsV2', () => {
  it('lists keys in UTF-8 order, rolls up common prefixes and pages with continuation tokens', async () => {
    await putAll(KEYS);
    const all = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(all.Contents?.map((o) => o.Key)).toEqual(KEYS);
    expect(all).toMatchObject({ KeyCount: 8, IsTruncated: false, MaxKeys: 1000, Name: BUCKET, Prefix: '' });
    expect(all.Contents?.[0]).toMatchObject({ Size: 5, StorageClass: 'STANDARD', ETag: `"${createHash('md5').update('a.txt').digest('hex')}"` });
    expect(all.Contents?.[0]?.Owner).toBeUndefined();
    const rolled = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/' }));
    expect(rolled.Contents?.map((o) => o.Key)).toEqual(['a.txt', 'e.txt', 'é.txt']);
    expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['b/', 'c d/', 'c+d/']);
    const inB = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'b/', Delimiter: '/', FetchOwner: true }));
    expect(inB.Contents?.map((o) => o.Key)).toEqual(['b/1.txt', 'b/2.txt']);
    expect(inB.CommonPrefixes).toEqual([{ Prefix: 'b/c/' }]);
    expect(inB.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/', MaxKeys: 2, ContinuationToken: token }));
      seen.push(...(page.Contents ?? []).map((o) => o.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      token = page.NextContinuationToken;
      expect(page.IsTruncated).toBe(token !== undefined);
    } while (token);
    expect(seen.sort()).toEqual(['a.txt', 'b/', 'c d/', 'c+d/', 'e.txt', 'é.txt'].sort());
    expect((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, StartAfter: 'b/2.txt' }))).Contents?.[0]?.Key).toBe('b/c/3.txt');
    await expectError(s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: 'made-up' })), 'InvalidArgument', 'The continuation token provided is incorrect');
  });

  it('URL-encodes keys and prefixes with encoding-type=url, as S3 does', async () => {
    await putAll(['c d/4.txt', 'c+d/5.txt', 'é.txt', '100%.csv']);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, EncodingType: 'url', Delimiter: '/' }));
    expect(listed.EncodingType).toBe('url');
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['100%25.csv', '%C3%A9.txt']);
    expect(listed.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['c+d/', 'c%2Bd/']);
    await expectError(s3.send(new ListObjectsV2Command({ Bucket: BUCKET, EncodingType: 'base64' as never })), 'InvalidArgument', 'Invalid Encoding Method specified in Request');
  });

  it('stays an index seek in a large bucket: a page of 1,000 from 5,000 keys, and prefix pages', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `dir${i % 5}/file-${String(i).padStart(5, '0')}`);
    await server.app.store.transaction(async (tx) => {
      for (const key of many) {
        await tx.s3Objects.put({ accountId: '123456789012', region: 'us-east-1' }, {
          bucket: BUCKET, key, versionId: 'null', deleteMarker: false, lastModified: Date.now(), size: 0, etag: '"d41d8cd98f00b204e9800998ecf8427e"',
          attributes: { blobs: [], owner: 'o' },
        });
      }
    });
    const first = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(first.KeyCount).toBe(1000);
    expect(first.IsTruncated).toBe(true);
    const prefixes = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/' }));
    expect(prefixes.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir0/', 'dir1/', 'dir2/', 'dir3/', 'dir4/']);
    const last = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'dir4/', StartAfter: 'dir4/file-04990' }));
    expect(last.Contents?.map((o) => o.Key)).toEqual(['dir4/file-04994', 'dir4/file-04999']);
  });
});

describe('ListObjects (v1) and ListObjectVersions', () => {
  it('pages v1 listings with markers (NextMarker with a delimiter)', async () => {
    await putAll(KEYS);
    const first = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, MaxKeys: 3 }));
    expect(first.Contents?.map((o) => o.Key)).toEqual(['a.txt', 'b/1.txt', 'b/2.txt']);
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBeUndefined();
    expect(first.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    const next = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, Marker: 'b/2.txt', MaxKeys: 3 }));
    expect(next.Contents?.map((o) => o.Key)).toEqual(['b/c/3.txt', 'c d/4.txt', 'c+d/5.txt']);
    const rolled = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, Delimiter: '/', MaxKeys: 2 }));
    expect(rolled.NextMarker).toBe('b/');
    const after = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, Delimiter: '/', Marker: rolled.NextMarker }));
    expect([...(after.CommonPrefixes ?? []).map((p) => p.Prefix), ...(after.Contents ?? []).map((o) => o.Key)]).toEqual(['c d/', 'c+d/', 'e.txt', 'é.txt']);
  });

  it('lists versions and delete markers, newest first, with key and version markers', async () => {
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    const a1 = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a', Body: '1' }));
    const a2 = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a', Body: '2' }));
    const dm = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'a' }));
    const b1 = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'b', Body: '3' }));
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));
    expect(listed.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([['a', a2.VersionId, false], ['a', a1.VersionId, false], ['b', b1.VersionId, true]]);
    expect(listed.DeleteMarkers?.map((d) => [d.Key, d.VersionId, d.IsLatest])).toEqual([['a', dm.VersionId, true]]);
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, MaxKeys: 2 }));
    expect(page).toMatchObject({ IsTruncated: true, NextKeyMarker: 'a', NextVersionIdMarker: a2.VersionId });
    const rest = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker }));
    expect(rest.Versions?.map((v) => v.VersionId)).toEqual([a1.VersionId, b1.VersionId]);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents?.map((o) => o.Key)).toEqual(['b']);
  });
});

describe('multipart uploads', () => {
  const MiB = 1024 * 1024;

  it('assembles parts in order, with the multipart ETag and a composite checksum, and lists uploads and parts', async () => {
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'big/file', ChecksumAlgorithm: 'CRC32', ContentType: 'application/x-big' }));
    const uploadId = created.UploadId!;
    expect(created).toMatchObject({ Bucket: BUCKET, Key: 'big/file', ChecksumAlgorithm: 'CRC32', ChecksumType: 'COMPOSITE' });
    const parts = [Buffer.alloc(5 * MiB, 1), Buffer.alloc(5 * MiB, 2), Buffer.from('tail')];
    const etags: string[] = [];
    const checksums: string[] = [];
    for (const [i, body] of parts.entries()) {
      const uploaded = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'big/file', UploadId: uploadId, PartNumber: i + 1, Body: body, ChecksumAlgorithm: 'CRC32' }));
      etags.push(uploaded.ETag!);
      checksums.push(uploaded.ChecksumCRC32!);
    }
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['big/file', uploadId]]);
    const listedParts = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'big/file', UploadId: uploadId, MaxParts: 2 }));
    expect(listedParts).toMatchObject({ IsTruncated: true, NextPartNumberMarker: '2', ChecksumAlgorithm: 'CRC32' });
    expect(listedParts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([[1, 5 * MiB, etags[0]], [2, 5 * MiB, etags[1]]]);
    const done = await s3.send(new CompleteMultipartUploadCommand({
      Bucket: BUCKET, Key: 'big/file', UploadId: uploadId,
      MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1, ChecksumCRC32: checksums[i] })) },
    }));
    const expected = createHash('md5').update(Buffer.concat(etags.map((e) => Buffer.from(e.slice(1, -1), 'hex')))).digest('hex');
    expect(done.ETag).toBe(`"${expected}-3"`);
    expect(done.ChecksumCRC32).toMatch(/-3$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big/file' }));
    expect(got).toMatchObject({ ContentLength: 10 * MiB + 4, ContentType: 'application/x-big', ETag: done.ETag });
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);
    const second = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big/file', PartNumber: 2 }));
    expect(second).toMatchObject({ PartsCount: 3, ContentLength: 5 * MiB, ContentRange: `bytes ${5 * MiB}-${10 * MiB - 1}/${10 * MiB + 4}` });
    const across = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big/file', Range: `bytes=${5 * MiB - 2}-${5 * MiB + 1}` }));
    expect([...await across.Body!.transformToByteArray()]).toEqual([1, 1, 2, 2]);
    await expectError(s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'big/file', UploadId: uploadId })), 'NoSuchUpload');
  });

  it('refuses bad completions with AWS\'s errors and aborts uploads', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'k' }));
    const small = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'k', UploadId, PartNumber: 1, Body: 'small' }));
    const last = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'k', UploadId, PartNumber: 2, Body: 'last' }));
    const complete = (parts: { ETag?: string; PartNumber: number }[]) =>
      s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'k', UploadId, MultipartUpload: { Parts: parts } }));
    await expectError(complete([{ ETag: last.ETag, PartNumber: 2 }, { ETag: small.ETag, PartNumber: 1 }]), 'InvalidPartOrder');
    await expectError(complete([{ ETag: '"0000"', PartNumber: 1 }]), 'InvalidPart');
    await expectError(complete([{ ETag: small.ETag, PartNumber: 1 }, { ETag: last.ETag, PartNumber: 2 }]), 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
    await expectError(s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'k', UploadId, PartNumber: 10001, Body: 'x' })), 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
    await expectError(s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'k', UploadId: 'nope', PartNumber: 1, Body: 'x' })), 'NoSuchUpload');
    const single = await complete([{ ETag: small.ETag, PartNumber: 1 }]);
    expect(single.ETag).toMatch(/-1"$/);
    const { UploadId: other } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'gone' }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'gone', UploadId: other }));
    await expectError(s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'gone', UploadId: other })), 'NoSuchUpload');
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? []).toEqual([]);
  });

  it('copies parts from another object, by range', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'source', Body: '0123456789' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'copied' }));
    const part = await s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: 'copied', UploadId, PartNumber: 1, CopySource: `${BUCKET}/source`, CopySourceRange: 'bytes=2-6' }));
    await expectError(s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: 'copied', UploadId, PartNumber: 2, CopySource: `${BUCKET}/source`, CopySourceRange: 'bytes=5-99' })), 'InvalidArgument');
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'copied', UploadId, MultipartUpload: { Parts: [{ ETag: part.CopyPartResult?.ETag, PartNumber: 1 }] } }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copied' }))).Body!.transformToString()).toBe('23456');
  });

  it('answers malformed XML bodies with MalformedXML', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'x' }));
    const response = await s3Fetch(server, {
      method: 'POST', path: `/${BUCKET}/x`, query: { uploadId: UploadId! }, body: '<CompleteMultipartUpload><Part><PartNumber>1</Part>',
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain('<Code>MalformedXML</Code><Message>The XML you provided was not well-formed or did not validate against our published schema</Message>');
  });
});
