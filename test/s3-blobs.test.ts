import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { existsSync, readdirSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, s3Url } from './helpers/s3.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// No reset between these cases: the blob collector is an outbox subscriber, and a reset starts the
// outbox afresh under it.
let server: TestServer;
let s3: S3Client;
const BUCKET = 'blob-bucket';

beforeAll(async () => {
  server = await startTestServer();
  s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => server.stop());

function blobFiles(): string[] {
  const dir = join(server.dataDir, 'blobs');
  return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : [];
}

/** Waits for work done after a commit (the blob collector); false if it never happens. */
async function eventually(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 500; i++) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

async function putNew(key: string, body: string | Buffer): Promise<string> {
  const before = blobFiles();
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  const added = blobFiles().filter((f) => !before.includes(f));
  expect(added).toHaveLength(1);
  return added[0]!;
}

describe('object bytes on disk', () => {
  it('deletes the blobs of overwritten and deleted objects once the change has committed', async () => {
    const first = await putNew('churn', 'one');
    const second = await putNew('churn', 'two');
    expect(await eventually(() => !blobFiles().includes(first))).toBe(true);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'churn' }))).Body!.transformToString()).toBe('two');
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'churn' }));
    expect(await eventually(() => !blobFiles().includes(second))).toBe(true);
  });

  it('releases a blob read by a download the client abandoned', async () => {
    const file = await putNew('abandoned', Buffer.alloc(8 * 1024 * 1024, 1));
    const url = await s3Url(server, { path: `/${BUCKET}/abandoned`, auth: 'presign' });
    await new Promise<void>((resolve) => {
      const request = httpGet(url, (response) => response.once('data', () => {
        request.destroy();
        resolve();
      }));
    });
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'abandoned' }));
    expect(await eventually(() => !blobFiles().includes(file))).toBe(true);
  });

  it('keeps a blob a download still reads, and deletes it when the download ends', async () => {
    const file = await putNew('reading', Buffer.alloc(4 * 1024 * 1024, 2));
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reading' }));
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'reading' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'after', Body: 'x' }));
    expect((await got.Body!.transformToByteArray()).length).toBe(4 * 1024 * 1024);
    expect(await eventually(() => !blobFiles().includes(file))).toBe(true);
  });
});
