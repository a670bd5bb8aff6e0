import { CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand, EnableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand,
  PutBucketEncryptionCommand, PutObjectCommand, S3Client, UploadPartCommand, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { iamUser, policyDocument } from './helpers/iam.js';
import { expectError, resetServer } from './helpers/assertions.js';
import { s3Client } from './helpers/s3.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// SSE-KMS objects are stored encrypted under a per-object data key from KMS, in 64 KiB frames,
// and decrypted as they are read; reads need kms:Decrypt, writes kms:GenerateDataKey.
let server: TestServer;
let s3: S3Client;
let kms: KMSClient;
const BUCKET = 'sealed-bucket';
const FRAME = 64 * 1024;

const doc = policyDocument;

async function user(name: string, policy: string): Promise<{ s3: S3Client; arn: string }> {
  const { arn, credentials } = await iamUser(server, name, policy);
  return { s3: s3Client(server, 'us-east-1', credentials), arn };
}

/** The bytes of every blob file in the data directory. */
function blobContents(): Buffer[] {
  const dir = join(server.dataDir, 'blobs');
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name)));
}

async function bytesOf(output: { Body?: { transformToByteArray(): Promise<Uint8Array> } }): Promise<Buffer> {
  return Buffer.from(await output.Body!.transformToByteArray());
}

async function newKey(): Promise<string> {
  return (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
}

beforeAll(async () => {
  server = await startTestServer();
  s3 = s3Client(server);
  kms = new KMSClient(server.clientConfig());
});
afterAll(() => server.stop());
beforeEach(async () => {
  await resetServer(server);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

describe('SSE-KMS objects', () => {
  it('round-trip byte for byte, ranges across frame boundaries included, and are not stored in plaintext', async () => {
    const keyArn = await newKey();
    const body = randomBytes(3 * FRAME + 1234);
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'data.bin', Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn }));
    expect(put).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn });
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'data.bin' }));
    expect(got).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, ContentLength: body.length, ETag: put.ETag });
    expect((await bytesOf(got)).equals(body)).toBe(true);
    for (const [start, end] of [[0, 9], [FRAME - 5, FRAME + 5], [2 * FRAME, 3 * FRAME + 100], [3 * FRAME + 1000, body.length - 1]] as const) {
      const part = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'data.bin', Range: `bytes=${start}-${end}` }));
      expect(part.ContentRange).toBe(`bytes ${start}-${end}/${body.length}`);
      expect((await bytesOf(part)).equals(body.subarray(start, end + 1))).toBe(true);
    }
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'data.bin' }));
    expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, ContentLength: body.length });
    const probe = body.subarray(FRAME, FRAME + 32);
    expect(blobContents().some((bytes) => bytes.includes(probe))).toBe(false);
  });

  it('use the account\'s aws/s3 managed key by default (bucket default aws:kms), created on first use', async () => {
    await s3.send(new PutBucketEncryptionCommand({ Bucket: BUCKET, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } }));
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'default.txt', Body: 'sealed by default' }));
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }));
    expect(KeyMetadata).toMatchObject({ KeyManager: 'AWS', Enabled: true });
    expect(put).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KeyMetadata!.Arn });
    expect(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'default.txt' }))).Body!.transformToString()).toBe('sealed by default');
    expect(blobContents().some((bytes) => bytes.includes('sealed by default'))).toBe(false);
  });

  it('work through multipart uploads, part reads and copies (re-encrypted for the destination)', async () => {
    const keyArn = await newKey();
    const parts = [randomBytes(5 * 1024 * 1024 + 10), randomBytes(FRAME + 7)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'multi.bin', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn }));
    const first = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'multi.bin', UploadId, PartNumber: 1, Body: parts[0] }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'plain.bin', Body: parts[1] }));
    const second = await s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: 'multi.bin', UploadId, PartNumber: 2, CopySource: `${BUCKET}/plain.bin` }));
    const done = await s3.send(new CompleteMultipartUploadCommand({
      Bucket: BUCKET, Key: 'multi.bin', UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: first.ETag }, { PartNumber: 2, ETag: second.CopyPartResult!.ETag }] },
    }));
    expect(done).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn });
    const whole = Buffer.concat(parts);
    expect((await bytesOf(await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'multi.bin' })))).equals(whole)).toBe(true);
    const part2 = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'multi.bin', PartNumber: 2 }));
    expect(part2.ContentLength).toBe(parts[1]!.length);
    expect((await bytesOf(part2)).equals(parts[1]!)).toBe(true);
    const across = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'multi.bin', Range: `bytes=${parts[0]!.length - 3}-${parts[0]!.length + 3}` }));
    expect((await bytesOf(across)).equals(whole.subarray(parts[0]!.length - 3, parts[0]!.length + 4))).toBe(true);

    const copied = await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy.bin', CopySource: `${BUCKET}/multi.bin` }));
    expect(copied.ServerSideEncryption).toBe('AES256');
    expect((await bytesOf(await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copy.bin' })))).equals(whole)).toBe(true);
    const other = await newKey();
    const resealed = await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'resealed.bin', CopySource: `${BUCKET}/plain.bin`, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: other }));
    expect(resealed).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: other });
    expect((await bytesOf(await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'resealed.bin' })))).equals(parts[1]!)).toBe(true);
  });

  it('need kms:Decrypt to be read and kms:GenerateDataKey to be written', async () => {
    const keyArn = await newKey();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'secret.txt', Body: 'top secret', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn }));
    const reader = await user('reader', doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }));
    const error = await expectError(
      reader.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'secret.txt' })),
      'AccessDenied',
      `User: ${reader.arn} is not authorized to perform: kms:Decrypt on resource: ${keyArn} because no identity-based policy allows the kms:Decrypt action`,
    );
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect((await reader.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'secret.txt' }))).ServerSideEncryption).toBe('aws:kms');
    await expectError(
      reader.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'mine.txt', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn })),
      'AccessDenied', /kms:GenerateDataKey/,
    );
    const trusted = await user('trusted', doc(
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn },
    ));
    expect(await (await trusted.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'secret.txt' }))).Body!.transformToString()).toBe('top secret');
    await trusted.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'mine.txt', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn }));
  });

  it('cannot be read or written while the key is disabled: KMS.DisabledException', async () => {
    const keyArn = await newKey();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'locked.txt', Body: 'locked away', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn }));
    await kms.send(new DisableKeyCommand({ KeyId: keyArn }));
    const error = await expectError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'locked.txt' })), 'KMS.DisabledException', `${keyArn} is disabled.`);
    expect(error.$metadata?.httpStatusCode).toBe(400);
    await expectError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'more.txt', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn })), 'KMS.DisabledException');
    await kms.send(new EnableKeyCommand({ KeyId: keyArn }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'locked.txt' }))).Body!.transformToString()).toBe('locked away');
  });
});
